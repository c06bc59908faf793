"""The three file kinds of a document repository, as pydantic models.

Field names are the contract of docs/DESIGN.md. Models only describe the *shape* of one file;
rules that compare fields or files (a reply after its assignment, unique numbers, …) live in
``rules.py`` so that each finding can point at the exact line it is about.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .scalars import LINE_BREAKS, Count, Day, Line, Note, Positive, Text, YesNo, whole  # noqa: F401 - LINE_BREAKS for users of models


class Strict(BaseModel):
    """Unknown keys are errors: a typo must never pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Kind(StrEnum):
    proposal = "proposal"
    suggestion = "suggestion"


class Body(StrEnum):
    cppcc = "cppcc"
    npc = "npc"


class Role(StrEnum):
    lead = "lead"
    co = "co"
    separate = "separate"


class ContactMode(StrEnum):
    visit = "visit"
    invite = "invite"
    meeting = "meeting"
    phone = "phone"
    letter = "letter"
    online = "online"


class Disclosure(StrEnum):
    public = "public"
    summary = "summary"
    on_request = "on_request"
    withheld = "withheld"


class Satisfaction(StrEnum):
    satisfied = "satisfied"
    basically_satisfied = "basically_satisfied"
    dissatisfied = "dissatisfied"


KIND_BODY = {Kind.proposal: Body.cppcc, Kind.suggestion: Body.npc}

# Chinese words for enum values, used by messages and documents alike.
LABELS: dict[str, str] = {
    "proposal": "提案", "suggestion": "建议",
    "cppcc": "政协", "npc": "人大",
    "lead": "主办", "co": "会办", "separate": "分办",
    "visit": "上门走访", "invite": "邀请来局", "meeting": "座谈会",
    "phone": "电话", "letter": "书面", "online": "网络",
    "public": "全文公开", "summary": "摘要公开", "on_request": "依申请公开", "withheld": "不予公开",
    "satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意",
}

DEFAULT_CATEGORIES = {"A": "已解决或采纳", "B": "正在解决或列入计划解决", "C": "因条件限制留作参考"}

SUMMARY_SECTIONS = ("opening", "basic", "procedure", "consultation", "results", "innovation")

# Contacts that count as face to face (面商) in the annual summary.
FACE_TO_FACE = frozenset({ContactMode.visit, ContactMode.invite, ContactMode.meeting})

# --- case file -------------------------------------------------------------------------------


class Handler(Strict):
    unit: Line | None = Field(None, title="承办科室")
    name: Line = Field(title="承办人")
    phone: Line | None = Field(None, title="联系电话")


class Communication(Strict):
    date: Day = Field(title="沟通日期")
    mode: ContactMode = Field(title="沟通方式", description="visit 上门走访 | invite 邀请来局 | meeting 座谈会 | phone 电话 | letter 书面 | online 网络")
    with_: Line | None = Field(None, alias="with", title="沟通对象")
    note: Note = Field("", title="说明")


class CoOpinion(Strict):
    unit: Line = Field(title="会办单位")
    date: Day = Field(title="收到日期")
    summary: Note = Field("", title="意见摘要")


class Extension(Strict):
    due: Day = Field(title="延期后的办理期限")
    reason: Text = Field(title="延期理由")


class Reply(Strict):
    # editors know 摘要公开 needs its abstract as it is typed, like `check` does
    model_config = ConfigDict(json_schema_extra={
        "if": {"properties": {"disclosure": {"const": "summary"}}, "required": ["disclosure"]},
        "then": {"required": ["abstract"], "properties": {"abstract": {"not": {"type": "null"}}}}})

    date: Day = Field(title="答复日期")
    doc_number: Line | None = Field(None, title="文号", description="一经写入永不改变；留空则由 proposal-docs number 编号")
    category: Line | None = Field(None, title="答复类别", description="按 proposal-docs.yaml 的 categories，默认 A/B/C")
    disclosure: Disclosure | None = Field(None, title="公开属性", description="public 全文公开 | summary 摘要公开 | on_request 依申请公开 | withheld 不予公开")
    abstract: Text | None = Field(None, title="摘要", validate_default=True,
                                  description="公开页面显示的答复摘要；disclosure 为 summary（摘要公开）时必填")
    signer: Line | None = Field(None, title="签发人")
    body: Text = Field(title="答复正文", description="段落之间空一行；一、（一）1.（1）开头的段落为标题")
    cc: list[Line] = Field(default_factory=list, title="增加的抄送单位")

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str | None, info: ValidationInfo) -> str | None:
        """The scheme is the project's, so it arrives as validation context."""
        categories = (info.context or {}).get("categories") or DEFAULT_CATEGORIES
        if value is not None and value not in categories:
            raise PydanticCustomError("category", '取值应为 {expected} 之一，实际为 "{value}"',
                                      {"expected": "、".join(categories), "value": value})
        return value

    @field_validator("abstract")
    @classmethod
    def _abstract_for_summary(cls, value: str | None, info: ValidationInfo) -> str | None:
        """摘要公开 publishes the abstract instead of the letter: without one there is nothing to publish."""
        if value is None and info.data.get("disclosure") is Disclosure.summary:
            raise PydanticCustomError("abstract_missing", "公开属性为 summary（摘要公开）时必须写摘要 abstract")
        return value


class Feedback(Strict):
    date: Day = Field(title="征询意见表回收日期")
    attitude: Satisfaction = Field(title="办理态度")
    result: Satisfaction = Field(title="办理结果")
    comments: Note = Field("", title="意见建议")


# 退办: the case is not this bureau's and was handed back to the assigning office. (A comment, not
# a docstring: pydantic would make a docstring the schema's description, shown to clerks on hover.)
class Returned(Strict):
    model_config = ConfigDict(title="退办", json_schema_extra={"description": "不属于本单位职责、已退回交办单位的案件"})

    date: Day = Field(title="退办日期", description="须在交办后 deadlines.<body>.return（默认 7 个工作日）之内")
    reason: Text = Field(title="退办理由", description="如 不属于本单位职责范围")
    to: Line | None = Field(None, title="建议承办单位", description="可选：建议改由哪个单位承办")
    doc_number: Line | None = Field(None, title="退办申请函文号",
                                    description="与答复函同一序列；一经写入永不改变，留空则由 proposal-docs number 编号")


# 二次办理: a further reply after a 不满意 feedback, and the opinion on it.
class Followup(Strict):
    model_config = ConfigDict(title="二次办理", json_schema_extra={"description": "再次答复及其征询意见表反馈"})

    reply: Reply = Field(title="再次答复", description="字段与 reply 相同")
    feedback: Feedback | None = Field(None, title="再次征询意见表反馈", description="字段与 feedback 相同")


class ArchiveItem(Strict):
    title: Line = Field(title="题名")
    date: Day = Field(title="日期")
    author: Line | None = Field(None, title="责任者")
    pages: Positive | None = Field(None, title="页数")
    doc_number: Line | None = Field(None, title="文号")


class Case(Strict):
    """One proposal or suggestion: cases/<year>/<name>.yaml."""

    kind: Kind = Field(title="类型", description="proposal 政协委员提案 | suggestion 人大代表建议")
    session: Line = Field(title="会议", description="year.yaml 中 sessions 的键")
    number: Positive = Field(title="提案号/建议号")
    title: Line = Field(title="案由", description="不带书名号《》")
    proposers: list[Line] = Field(default_factory=list, title="提案人", description="第一位为领衔人")
    proposer_org: Line | None = Field(None, title="集体提案单位", description="如 民建市委")
    role: Role = Field(Role.lead, title="办理方式", description="lead 主办 | co 会办 | separate 分办")
    lead_unit: Line | None = Field(None, title="主办单位", description="role 为 co 时必填")
    co_units: list[Line] = Field(default_factory=list, title="会办单位")
    assigned: Day = Field(title="交办日期")
    due: Day | None = Field(None, title="办理期限", description="可选，覆盖计算出的期限")
    extension: Extension | None = Field(None, title="延期")
    key: YesNo = Field(False, title="重点提案")
    handler: Handler | None = Field(None, title="承办人")
    communications: list[Communication] = Field(default_factory=list, title="沟通记录")
    co_opinions: list[CoOpinion] = Field(default_factory=list, title="会办意见")
    reply: Reply | None = Field(None, title="答复")
    feedback: Feedback | None = Field(None, title="征询意见表反馈")
    archive: list[ArchiveItem] = Field(default_factory=list, title="归档材料")
    returned: Returned | None = Field(None, title="退办", description="不属于本单位职责、已退回交办单位的案件；退办后不再答复")
    followups: list[Followup] = Field(default_factory=list, title="二次办理",
                                      description="对“不满意”反馈再次办理、再次答复，按时间先后排列")

    @property
    def body(self) -> Body:
        return KIND_BODY[self.kind]

    @property
    def rounds(self) -> list[tuple[Reply, Feedback | None]]:
        """Each round of handling, oldest first: the reply and its feedback, then every followup."""
        if self.reply is None:
            return []
        return [(self.reply, self.feedback)] + [(f.reply, f.feedback) for f in self.followups]

    @property
    def final_feedback(self) -> Feedback | None:
        """The opinion rates count: the latest feedback received (a second reply whose form is not
        back yet leaves the 不满意 that asked for it standing)."""
        return next((feedback for _, feedback in reversed(self.rounds) if feedback), None)

    @property
    def final_reply(self) -> Reply | None:
        """The latest reply: its 答复类别 is the case's outcome."""
        rounds = self.rounds
        return rounds[-1][0] if rounds else None

    def letters(self) -> list[tuple[tuple[str | int, ...], Reply | Returned]]:
        """Every letter of the case that carries a 文号, with where it is written: the reply, each
        followup reply (再次答复) and the return request (退办申请函)."""
        found: list[tuple[tuple[str | int, ...], Reply | Returned]] = []
        if self.reply:
            found.append((("reply",), self.reply))
        found += [(("followups", i, "reply"), f.reply) for i, f in enumerate(self.followups)]
        if self.returned:
            found.append((("returned",), self.returned))
        return found

    @property
    def proposer_names(self) -> list[str]:
        return list(self.proposers) or ([self.proposer_org] if self.proposer_org else [])


# --- year file -------------------------------------------------------------------------------


class Session(Strict):
    body: Body = Field(title="会议类别", description="cppcc 政协 | npc 人大")
    name: Line = Field(title="会议名称", description="如 市政协十三届四次会议")


class Event(Strict):
    date: Day = Field(title="日期")
    title: Line = Field(title="名称")
    body: Body | None = Field(None, title="只列入该类总结")
    attendees: list[Line] = Field(default_factory=list, title="参加的委员或代表")


class Summary(Strict):
    date: Day | None = Field(None, title="总结日期")
    events: list[Event] = Field(default_factory=list, title="座谈会等活动")
    policies: list[Line] = Field(default_factory=list, title="出台的政策", description="不带书名号")
    sections: dict[str, Note] = Field(default_factory=dict, title="替换或补充的段落",
                                     description="键为 opening basic procedure consultation results innovation（替换该部分），"
                                                 "或其后加 _extra（追加在该部分之后）")

    @field_validator("sections")
    @classmethod
    def _known_sections(cls, value: dict[str, str]) -> dict[str, str]:
        allowed = [k for base in SUMMARY_SECTIONS for k in (base, base + "_extra")]
        for key in value:
            if key not in allowed:
                raise ValueError(f"未知的段落“{key}”，可选：{'、'.join(allowed)}")
        return value


YearNumber = whole(ge=1949, le=2999)


class YearFile(Strict):
    """cases/<year>/year.yaml."""

    year: YearNumber = Field(title="年度")
    sessions: dict[str, Session] = Field(title="会议")
    summary: Summary = Field(default_factory=Summary, title="年度总结")


# --- project file ----------------------------------------------------------------------------


class Duration(Strict):
    """A span counted from the assignment date: exactly one of the four keys."""

    months: Count | None = Field(None, title="自然月")
    days: Count | None = Field(None, title="自然日")
    workdays: Count | None = Field(None, title="工作日")
    date: Day | None = Field(None, title="固定日期")

    @model_validator(mode="after")
    def _exactly_one(self) -> Duration:
        given = [k for k in ("months", "days", "workdays", "date") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("期限须且只须写 months、days、workdays、date 之一")
        return self


class DeadlineRules(Strict):
    reply: Duration = Field(default_factory=lambda: Duration(months=3), title="答复期限")
    max: Duration = Field(default_factory=lambda: Duration(months=6), title="延期最长期限")
    co_opinion: Duration = Field(default_factory=lambda: Duration(months=1), title="会办意见期限")
    first_contact: Duration | None = Field(None, title="办前沟通期限")
    return_: Duration = Field(default_factory=lambda: Duration(workdays=7), alias="return", title="退办期限",
                              description="自交办日期起，在此期限内可申请退办，之后不作调整")
    rehandle: Duration = Field(default_factory=lambda: Duration(months=1), title="二次办理期限",
                               description="自“不满意”反馈的日期起，须在此期限内再次答复")
    warn_days: Count = Field(15, title="提前提醒天数")


class Organisation(Strict):
    name: Line = Field(title="单位全称", description="如 xx市科技和经济信息化局")
    short_name: Line = Field(title="单位简称", description="如 市科经局")
    aliases: list[Line] = Field(default_factory=list, title="其他名称",
                                description="交办清单中本单位的其他写法，如 市科技经信局；import 据此认出本单位")
    fonds: Note = Field("", title="全宗号")

    def names(self) -> set[str]:
        """Every way an assignment list may name this bureau."""
        return {self.name, self.short_name, *self.aliases}


class Numbering(Strict):
    reply: Text = Field("科经提〔{year}〕{seq}号", title="答复函文号格式")
    co_opinion: Text = Field("科经提函〔{year}〕{seq}号", title="会办意见文号格式")


class ArchiveCodes(Strict):
    class_code: Line = Field("WS", title="门类代码")
    units: dict[Body, Line] = Field(default_factory=lambda: {Body.cppcc: "ZX", Body.npc: "RD"}, title="机构（问题）代码")


class Typography(Strict):
    fullwidth_punctuation: YesNo = Field(True, title="全角标点",
                                        description="true：案件文字中紧邻汉字的半角 , : ; ( ) ? ! 在文书和网页中印为全角"
                                                    "（GB/T 15834），数字和西文保持原样，案件文件本身不改；false：照录")


DEFAULT_CC = {Body.cppcc: ["市政协提案委员会", "市政府督查室"], Body.npc: ["市人大常委会选工委", "市政府督查室"]}
# where a 退办申请函 goes: the office that assigned the case
DEFAULT_ASSIGNING_OFFICE = {Body.cppcc: "市政府督查室", Body.npc: "市人大常委会选工委"}


class Project(Strict):
    """proposal-docs.yaml at the root of a document repository."""

    organisation: Organisation = Field(title="承办单位")
    numbering: Numbering = Field(default_factory=Numbering, title="文号")
    categories: dict[str, Line] = Field(default_factory=lambda: dict(DEFAULT_CATEGORIES), min_length=1, title="答复类别")
    cc: dict[Body, list[Line]] = Field(default_factory=lambda: {k: list(v) for k, v in DEFAULT_CC.items()}, title="默认抄送")
    assigning_office: dict[Body, Line] = Field(default_factory=lambda: dict(DEFAULT_ASSIGNING_OFFICE), title="交办单位",
                                              description="退办申请函的主送单位，默认 cppcc：市政府督查室，npc：市人大常委会选工委")
    reply_to: Literal["lead", "each"] = Field("lead", title="答复函收件人", description="lead 只致领衔人 | each 每位提案人一份")
    timezone: Line = Field("Asia/Shanghai", title="时区", description="IANA 时区名，如 Asia/Shanghai")
    deadlines: dict[Body, DeadlineRules] = Field(default_factory=lambda: {Body.cppcc: DeadlineRules(), Body.npc: DeadlineRules()}, title="期限规则")
    retention: Literal["永久", "30年", "10年"] = Field("30年", title="保管期限")
    archive: ArchiveCodes = Field(default_factory=ArchiveCodes, title="档号代码")
    typography: Typography = Field(default_factory=Typography, title="排版")

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        """Checked with the file, so every command reports it alike (not only the ones asking the clock)."""
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise PydanticCustomError("timezone", '未知的时区 "{value}"，应为 IANA 时区名，如 Asia/Shanghai',
                                      {"value": value}) from None
        return value

    def rules_for(self, body: Body) -> DeadlineRules:
        return self.deadlines.get(body) or DeadlineRules()

    def cc_for(self, body: Body) -> list[str]:
        return list(self.cc.get(body, DEFAULT_CC[body]))

    def assigning_office_for(self, body: Body) -> str:
        return self.assigning_office.get(body, DEFAULT_ASSIGNING_OFFICE[body])
