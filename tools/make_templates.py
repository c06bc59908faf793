"""Create the first versions of templates/*.docx (run: .venv/bin/python tools/make_templates.py).

The committed .docx files are the source of truth: clerks edit them in Word or WPS. This script
exists so the initial layout is reviewable as code and can be recreated; rerunning it overwrites
the templates.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

sys.path.insert(0, str(Path(__file__).parent))
from gongwen import border, frame, new_document, set_column_widths  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "templates"


def para(doc, text: str = "", style: str = "公文正文"):
    return doc.add_paragraph(text, style=style)


def letter_head(doc, *, corner: bool) -> None:
    """发文机关标志 30 mm from the top edge with the red rule of 信函格式, then the document number.

    Both sit in frames anchored to the page (GB/T 9704 10.1 measures from the paper's edge, above
    the 37 mm text area); the body text flows below them.
    """
    if corner:
        for text in ("{{ reply.category or '' }}", "{% if reply.disclosure %}公开属性:{{ reply.disclosure|label }}{% endif %}"):
            frame(para(doc, text, "答复类别"), y=Mm(10), x_align="right")  # two 20 pt lines end at 24 mm
    issuer = para(doc, "{{ org.name }}", "发文机关标志")
    frame(issuer, y=Mm(30), width=Mm(170), x=Mm(20))
    # a red double line, thick over thin, 4 mm under the 发文机关标志
    border(issuer, "bottom", val="thickThinSmallGap", size=24, color="FF0000", space=6)
    para(doc, "{{ doc_number }}", "发文字号")
    para(doc, "", "主送机关")


def closing(doc) -> None:
    para(doc, "", "公文正文")
    para(doc, "{{ org.name }}", "落款")
    para(doc, "{{ reply.date|date_cn }}", "落款")
    para(doc, "{% if case.handler %}(联系人:{{ case.handler.name }}{% if case.handler.phone %},"
              "联系电话:{{ case.handler.phone }}{% endif %}){% endif %}", "附注")


def letter(name: str, *, corner: bool, title: str, addressee: str, opening: str, closing_line: str | None,
           cc: bool) -> None:
    """The 信函格式 both letters share: letterhead, title, addressee, opening, body, signature."""
    doc = new_document(letter=True)
    letter_head(doc, corner=corner)
    para(doc, title, "公文标题")
    para(doc, "", "主送机关")
    para(doc, addressee, "主送机关")
    para(doc, opening)
    para(doc, "{{p body }}")
    if closing_line:
        para(doc, closing_line)
    closing(doc)
    if cc:
        para(doc, "", "公文正文")
        line = para(doc, "抄送:{{ cc|join(',') }}。", "抄送")
        border(line, "top", size=8)  # 版记: first and last rules 0.35 mm (GB/T 9704 7.4.1)
        border(line, "bottom", size=8)
    doc.save(OUT / f"{name}.docx")


def reply_template() -> None:
    letter("reply", corner=True, cc=True,
           title="关于{{ session.name }}第{{ case.number }}号{{ kind_word }}的答复",
           addressee="{{ case|salutation(recipient) }}:",
           opening="您提出的《{{ case.title }}》(第{{ case.number }}号){{ kind_word }}收悉。我局高度重视,"
                   "{% if case.co_units %}会同{{ case.co_units|join('、') }}{% endif %}认真研究办理,现答复如下:",
           closing_line="感谢您对我市科技和经济工作的关心和支持,欢迎继续提出宝贵意见。")


def co_opinion_template() -> None:
    letter("co_opinion", corner=False, cc=False,
           title="关于{{ session.name }}第{{ case.number }}号{{ kind_word }}的会办意见",
           addressee="{{ case.lead_unit }}:",
           opening="{{ case|proposer_label }}提出的《{{ case.title }}》(第{{ case.number }}号){{ kind_word }}收悉。"
                   "经研究,现将我局会办意见函告如下:",
           closing_line=None)


def _cell(cell, text: str, style: str = "表格文字") -> None:
    cell.paragraphs[0].text = text
    cell.paragraphs[0].style = style


def feedback_form_template() -> None:
    doc = new_document()
    para(doc, "{% if npc %}市人大代表建议{% else %}市政协提案{% endif %}办理情况征询意见表", "公文标题")
    para(doc, "", "主送机关")
    table = doc.add_table(rows=8, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_column_widths(table, (Mm(31), Mm(57), Mm(24), Mm(44)))
    for row in table.rows[:6]:
        row.height = Mm(12)
    for row in table.rows:
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    rows = table.rows
    _cell(rows[0].cells[0], "{{ kind_word }}号", "表格居中")
    _cell(rows[0].cells[1], "第{{ case.number }}号")
    _cell(rows[0].cells[2], "{{ kind_word }}人", "表格居中")
    _cell(rows[0].cells[3], "{{ case|proposer_label(plain=True) }}")
    _cell(rows[1].cells[0], "案由", "表格居中")
    _cell(rows[1].cells[1].merge(rows[1].cells[3]), "{{ case.title }}")
    _cell(rows[2].cells[0], "承办单位", "表格居中")
    _cell(rows[2].cells[1], "{{ org.name }}({{ case.role|label }})")
    _cell(rows[2].cells[2], "答复时间", "表格居中")
    _cell(rows[2].cells[3], "{{ reply.date|date_cn }}")
    _cell(rows[3].cells[0], "答复前沟通", "表格居中")
    _cell(rows[3].cells[1].merge(rows[3].cells[3]),
          "{{ contacted|box }}是 {{ (not contacted)|box }}否    方式:"
          "{% for mode, label in contact_modes %}{{ (mode in modes_used)|box }}{{ label }} {% endfor %}")
    _cell(rows[4].cells[0], "办理态度", "表格居中")
    _cell(rows[4].cells[1].merge(rows[4].cells[3]),
          "{% for value, label in satisfaction_levels %}{{ (feedback and feedback.attitude == value)|box }}{{ label }} {% endfor %}")
    _cell(rows[5].cells[0], "办理结果", "表格居中")
    _cell(rows[5].cells[1].merge(rows[5].cells[3]),
          "{% for value, label in satisfaction_levels %}{{ (feedback and feedback.result == value)|box }}{{ label }} {% endfor %}")
    _cell(rows[6].cells[0], "意见和建议", "表格居中")
    _cell(rows[6].cells[1].merge(rows[6].cells[3]), "{{r comments }}")
    rows[6].height = Mm(60)
    _cell(rows[7].cells[0], "", "表格居中")
    _cell(rows[7].cells[1].merge(rows[7].cells[3]),
          "{{ kind_word }}人(签名):{% if feedback %}{{ feedback.date|date_cn }}{% else %}    年  月  日{% endif %}")
    rows[7].cells[1].paragraphs[0].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    para(doc, "", "表格说明")
    para(doc, "请于收到答复后15个工作日内填写,寄回{{ return_to }}。", "表格说明")
    doc.save(OUT / "feedback_form.docx")


ARCHIVE_COLUMNS = (("序号", 10), ("档号", 46), ("文号", 34), ("责任者", 28), ("题名", 59),
                   ("日期", 22), ("密级", 8), ("页数", 8), ("备注", 10))  # 225 mm: the landscape text width


def archive_index_template() -> None:
    doc = new_document(landscape=True)
    para(doc, "归档文件目录", "公文标题")
    para(doc, "全宗号:{{ fonds }}    年度:{{ year }}    保管期限:{{ retention }}    机构(问题):{{ unit_name }}", "表格文字")
    table = doc.add_table(rows=2, cols=len(ARCHIVE_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_column_widths(table, [Mm(w) for _, w in ARCHIVE_COLUMNS])
    fields = ("seq", "archive_code", "doc_number", "author", "title", "date", "secrecy", "pages", "note")
    for i, ((header, _), field) in enumerate(zip(ARCHIVE_COLUMNS, fields)):
        _cell(table.rows[0].cells[i], header, "目录居中")
        _cell(table.rows[1].cells[i], "{{ row.%s }}" % field, "目录居中" if i in (0, 5, 6, 7) else "目录文字")
    # docxtpl wants {%tr %} tags in rows of their own around the repeated row
    item_row = table.rows[1]
    for tag, place in (("{%tr for row in rows %}", item_row._tr.addprevious), ("{%tr endfor %}", item_row._tr.addnext)):
        extra = table.add_row()
        _cell(extra.cells[0], tag)
        place(extra._tr)
    doc.save(OUT / "archive_index.docx")


SUMMARY = [
    ("公文标题", "{{ org.name }}关于{{ year }}年市{{ body_words.full }}办理工作情况的总结"),
    ("主送机关", ""),
    ("section", "opening"),
    ("公文正文", "为切实做好{{ year }}年{{ body_words.full }}办理工作,本着对{{ body_words.proposer_side }}高度负责的态度,"
              "我局上下联动、加强沟通、密切配合,建立健全内部交办、督办、催办制度,在规定的期限内以正式文件形式,"
              "分别报送给了{{ body_words.cc|join('、') }},答复了相关{{ kind_word }}人。现就今年{{ kind_word }}办理工作情况总结如下。"),
    ("endsection", ""),
    ("一级标题", "一、办理工作基本情况"),
    ("section", "basic"),
    ("公文正文", "今年,{{ org.short_name }}共承接办理{{ stats.session_names|join('、') }}{{ body_words.members }}{{ kind_word }}"
              "{{ stats.total }}件,其中主办{{ stats.lead }}件{% if stats.co %}、会办{{ stats.co }}件{% endif %}"
              "{% if stats.separate %}、分办{{ stats.separate }}件{% endif %}。"
              "{% if stats.lead_cases %}主办件{% if stats.lead_cases|length > 1 %}分别{% endif %}为{% for c in stats.lead_cases %}第{{ c.number }}号由{{ c|proposer_label }}"
              "提交的《{{ c.title }}》{{ '、' if not loop.last else '' }}{% endfor %}。{% endif %}"
              "在办理过程中,我局严格按照{{ body_words.short }}{{ kind_word }}的办理程序、办理时间和办理要求,逐件认真办理,"
              "{% if stats.replied == stats.total %}圆满地完成了办复工作{% else %}已办复{{ stats.replied }}件{% endif %},"
              "办结率为{{ stats.reply_rate|rate }}。"),
    ("endsection", ""),
    ("一级标题", "二、办理程序"),
    ("section", "procedure"),
    ("公文正文", "1.加强组织领导。市人大代表建议、政协委员提案交办会议召开后,局党组即召开会议研究部署{{ body_words.full }}办理工作。"
              "根据局领导班子工作分工,明确主要负责同志负总责、分管办公室领导具体抓、相关职能科室具体承办,并对每一件{{ kind_word }}"
              "确定了承办人。同时把{{ body_words.full }}办理情况纳入单位绩效考核。"),
    ("公文正文", "2.健全相关制度。局党组高度重视{{ body_words.full }}办理工作,将其列入重要议事日程,建立并逐步完善了"
              "“主要领导负总责,分管领导具体抓,办公室明确专人跟踪落实”的办理工作责任机制。在办理过程中,严格执行市委办公室、"
              "市政府办公室关于做好{{ year }}年市人大代表建议和政协委员提案办理工作的通知等文件精神,在规定的期限内,"
              "{% if stats.replied == stats.total %}所有{{ kind_word }}都给予了书面答复{% else %}已答复的{{ stats.replied }}件"
              "{{ kind_word }}均给予了书面答复{% endif %},并报送相关单位。{{ kind_word }}办理过程中的所有材料均整理归档。"),
    ("endsection", ""),
    ("一级标题", "三、协商程序"),
    ("section", "consultation"),
    ("公文正文", "1.{{ body_words.member }}沟通情况。在办理过程中,我局把与{{ body_words.member }}沟通作为重要一环,"
              "{% if stats.contacted == stats.handled and stats.handled %}所办理的{{ stats.handled }}件{{ kind_word }}均主动与"
              "{{ body_words.member }}沟通{% else %}主办和分办的{{ stats.handled }}件{{ kind_word }}中,{{ stats.contacted }}件在答复前与"
              "{{ body_words.member }}沟通{% endif %},其中面商{{ stats.face_to_face }}件,面商率为{{ stats.face_rate|rate }},"
              "有的到{{ body_words.member }}所在单位上门听取办理意见,有的邀请到我局了解相关意图。"
              "{% for e in stats.events %}{{ e.date|month_day }},{{ org.short_name }}召开{{ e.title }}"
              "。{% if e.attendees %}会议邀请了{{ body_words.members_short }}{{ e.attendees|join('、') }}参加会议。{% endif %}{% endfor %}"
              "办理工作完成后,及时向{{ body_words.member }}寄送《{{ body_words.form_title }}》,"
              "{% if not stats.forms %}目前尚未收回。{% elif stats.all_satisfied %}据反馈情况看,我局办理的{{ stats.forms }}件"
              "{{ kind_word }}均为满意等次。{% else %}共收回{{ stats.forms }}份,办理结果满意{{ stats.result.satisfied }}件、"
              "基本满意{{ stats.result.basically_satisfied }}件、不满意{{ stats.result.dissatisfied }}件,满意率为"
              "{{ stats.satisfaction_rate|rate }}。{% endif %}"),
    ("公文正文", "2.协商办理情况。我局加强与会办单位的联系沟通,认真听取会办单位想法,"
              "{% if stats.co_opinions %}收到会办单位书面意见{{ stats.co_opinions }}份,{% endif %}及时体现到答复意见之中。"
              "承办工作注重在提高“三率”上下功夫,即{{ kind_word }}的办复率、落实率和{{ body_words.member }}满意率,确保"
              "“件件有落实,事事有回音”,及时以文件形式向{{ kind_word }}人通报办理结果。"),
    ("endsection", ""),
    ("一级标题", "四、办理成效"),
    ("section", "results"),
    ("公文正文", "1.{{ kind_word }}答复情况。{% for cat in stats.categories %}{{ cat.code }}类({{ cat.label }}){{ cat.count }}件"
              "{% if cat.numbers %}(第{{ cat.numbers|join('、') }}号){% endif %}{{ ';' if not loop.last else '。' }}{% endfor %}"
              "答复内容均实事求是,具体明确,符合客观情况。"),
    ("公文正文", "2.成效体现情况。在办理过程中,认真采纳{{ body_words.member }}提出的合理意见和建议,制定改进工作的具体措施。"
              "{% if stats.solved %}积极主动解决{{ kind_word }}反映的意见和问题,如{{ stats.solved|join('号、') }}号{{ kind_word }}。{% endif %}"
              "{% if stats.explained %}对条件限制目前难以解决的,及时与{{ body_words.member }}面对面沟通,耐心细致地说明原因,"
              "取得{{ kind_word }}人理解,如{{ stats.explained|join('号、') }}号{{ kind_word }}。{% endif %}"),
    ("endsection", ""),
    ("一级标题", "五、创新举措"),
    ("section", "innovation"),
    ("公文正文", "stats.policies", "出台相关政策。今年以来,市委市政府先后出台了{% for p in stats.policies %}《{{ p }}》"
              "{{ '、' if not loop.last else '' }}{% endfor %}等政策措施,有力促进了全市工业经济的健康发展。"),
    ("公文正文", "stats.key_numbers", "请领导出面协调办理。对需要上级层面协调解决的{{ kind_word }},我局提出具体办理意见和建议,"
              "并报请市分管领导牵头。如{{ stats.key_numbers|join('号、') }}号{{ body_words.member }}{{ kind_word }},"
              "经市政府分管领导批示后,向{{ body_words.member }}提交答复意见。"),
    ("endsection", ""),
    ("公文正文", ""),
    ("落款", "{{ org.name }}"),
    ("落款", "{{ summary_date|date_cn }}"),
]


def summary_template() -> None:
    """The seed's five sections; each section's default prose yields to year.yaml summary.sections."""
    doc = new_document()
    current = None
    for style, *rest in SUMMARY:
        text = rest[-1]
        if len(rest) == 2:  # a paragraph that exists only when its condition holds
            para(doc, "{%p if " + rest[0] + " %}")
            para(doc, text, style)
            para(doc, "{%p endif %}")
        elif style == "section":
            current = text
            para(doc, "{%p if sections." + current + " %}")
            para(doc, "{{p sections." + current + " }}")
            para(doc, "{%p else %}")
        elif style == "endsection":
            para(doc, "{%p endif %}")
            para(doc, "{%p if sections." + current + "_extra %}")
            para(doc, "{{p sections." + current + "_extra }}")
            para(doc, "{%p endif %}")
        else:
            para(doc, text, style)
    doc.save(OUT / "summary.docx")


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    reply_template()
    co_opinion_template()
    feedback_form_template()
    archive_index_template()
    summary_template()
    print("templates written to", OUT)
