"""Create the first versions of the packaged templates (src/proposal_docs/templates/*.docx) (run: .venv/bin/python tools/make_templates.py).

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
from gongwen import DIGIT, SIGNATURE_LEFT, TEXT_WIDTH, border, new_document, set_column_widths  # noqa: E402
from gongwen_shapes import (GAP, RULE_LENGTH, THICK, THIN, anchored_shape, cell_margins, double_rule,  # noqa: E402
                            frame, row_flags, text_paragraph_xml)
from docx.shared import Pt, Twips  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "src" / "proposal_docs" / "templates"


def para(doc, text: str = "", style: str = "公文正文"):
    return doc.add_paragraph(text, style=style)


def title(doc) -> None:
    """The title as the context's title_lines (broken by meaning, each fits the 156 mm line): one
    paragraph, one explicit line break between lines, so no word processor rewraps it."""
    paragraph = para(doc, "", "公文标题")
    for text in ("{%r for line in title_lines %}", "{%r if not loop.first %}"):
        paragraph.add_run(text)
    paragraph.add_run().add_break()
    for text in ("{%r endif %}", "{{ line }}", "{%r endfor %}"):
        paragraph.add_run(text)


# 信函格式 (GB/T 9704-2012 10.1), measured from the paper's edges
ISSUER_TOP = Mm(30)        # upper edge of the 发文机关标志 (of its 26 pt characters' em boxes)
ISSUER_BOX = Mm(30.7)      # its text box: LibreOffice sets a 26 pt line 0.7 mm above the box's top
ISSUER_RULE = Mm(43.2)     # the first red double line, 4 mm under the 发文机关标志 (30 + 9.2 + 4)
LOWER_RULE = Mm(297 - 20)  # the second red double line ends 20 mm above the bottom edge


def letter_head(doc, *, corner: bool) -> None:
    """The first page's 版头, anchored to the page in the first paragraph (the blank grid line the
    first rule crosses): the red 发文机关标志 30 mm from the top edge, the red double line 上粗下细
    4 mm under it and the red double line 上细下粗 20 mm above the bottom edge. None of it moves
    the body: the page keeps its 22-line grid, with the 发文字号 flush right on its second line, a
    blank line and the title. (Shapes with text in a header are misplaced by LibreOffice 7.)
    """
    host = para(doc, "", "发文字号")
    if corner:  # 答复类别 and 公开属性, top right above the 发文机关标志
        anchored_shape(host, "答复类别", y=Mm(12), width=Mm(100), height=Mm(16), x_align="right",
                       text_xml=text_paragraph_xml("{{ reply.category or '' }}", "GwCorner")
                       + text_paragraph_xml("{% if reply.disclosure %}公开属性：{{ reply.disclosure|label }}{% endif %}",
                                            "GwCorner"))
    anchored_shape(host, "发文机关标志", y=ISSUER_BOX, width=RULE_LENGTH, height=Mm(12),
                   text_xml=text_paragraph_xml("{{ org.name }}", "GwIssuer"))
    double_rule(host, top=ISSUER_RULE, thick_first=True)
    double_rule(host, top=LOWER_RULE - THIN - GAP - THICK, thick_first=False)
    para(doc, "{{ doc_number }}", "发文字号")
    para(doc, "", "主送机关")


def signature(doc, name: str, day: str) -> None:
    """落款 and 成文日期: the date 右空四字, the 落款 centred over it (GB/T 9704 7.3.5.1) whatever
    the date's width. 2024年7月2日 (six digits) and 2024年12月18日 (eight) are half a digit narrower
    and wider than the seven-digit date the 落款 style is centred over, so the 落款 of those dates
    takes a left indent one digit larger or smaller (only one of the three paragraphs is printed)."""
    width = "(" + day + "|date_cn)|length"  # 9, 10 or 11 characters: six, seven or eight digits
    for tag, shift in ((f"{{%p if {width} == 9 %}}", DIGIT), (f"{{%p elif {width} == 11 %}}", -DIGIT),
                       ("{%p else %}", 0)):
        para(doc, tag, "落款")
        line = para(doc, name, "落款")
        if shift:
            line.paragraph_format.left_indent = Twips(SIGNATURE_LEFT + shift)
    para(doc, "{%p endif %}", "落款")
    para(doc, "{{ " + day + "|date_cn }}", "成文日期")


def closing(doc, closing_line: str, *, cc: bool, day: str = "reply.date") -> None:
    """The end of the body, the signature block and the 版记.

    The template's closing line (结束语) is kept whole and with the blank line, 落款, 成文日期,
    附注 under it, so the signature never prints on a page without the end of the body, nor the
    date apart from the 落款. The 版记 is a frame at the foot of the text block of the page of its
    anchor, the closing line, which the keep-with-next chain makes the last page (GB/T 9704 10.1:
    最后一页版心内最下方); 左右各空一字, without the rules of other 版记.
    """
    if cc:  # before the closing line, its anchor: a frame at the end of the document would not be
        # kept with the signature by LibreOffice, which then sends the 附注 alone to a new page
        line = para(doc, "抄送：{{ cc|join('，') }}。", "抄送")
        frame(line, width=TEXT_WIDTH, x_align="center", y_align="bottom", v_anchor="margin")
        line.paragraph_format.keep_with_next = True
    para(doc, closing_line, "结束语")
    para(doc, "", "落款")
    signature(doc, "{{ org.name }}", day)
    para(doc, "{%p if case.handler %}", "附注")
    para(doc, "（联系人：{{ case.handler.name }}{% if case.handler.phone %}，"
              "联系电话：{{ case.handler.phone }}{% endif %}）", "附注")
    para(doc, "{%p endif %}", "附注")


def letter(name: str, *, corner: bool, title_text: str = "", addressee: str, opening: str, closing_line: str,
           cc: bool, after: str | None = None, day: str = "reply.date") -> None:
    """The 信函格式 the letters share: letterhead, title, addressee, opening, body, signature.
    after: a paragraph after the body; day: the context value the letter is dated by."""
    doc = new_document(letter=True)
    letter_head(doc, corner=corner)
    title(doc)
    para(doc, "", "主送机关")
    para(doc, addressee, "主送机关")
    para(doc, opening)
    para(doc, "{{p body }}")
    if after:
        para(doc, after)
    closing(doc, closing_line, cc=cc, day=day)
    doc.save(OUT / f"{name}.docx")


def reply_template() -> None:
    letter("reply", corner=True, cc=True,
           addressee="{{ case|salutation(recipient) }}：",
           # a 再次答复 (二次办理) names the replies before it instead of acknowledging receipt
           opening="您提出的《{{ case.title }}》（第{{ case.number }}号）{{ kind_word }}"
                   "{% if earlier %}，我局已于{% for r in earlier %}{{ r.date|date_cn }}{% if r.doc_number %}"
                   "（{{ r.doc_number }}）{% endif %}{{ '' if loop.last else '、' }}{% endfor %}作出答复。"
                   "根据您在征询意见表中反馈的意见，我局再次认真研究办理，现再次答复如下："
                   "{% else %}收悉。我局高度重视，"
                   "{% if case.co_units %}会同{{ case.co_units|join('、') }}{% endif %}认真研究办理，现答复如下："
                   "{% endif %}",
           closing_line="感谢您对我市科技和经济工作的关心和支持，欢迎继续提出宝贵意见。")


def co_opinion_template() -> None:
    letter("co_opinion", corner=False, cc=False,
           addressee="{{ case.lead_unit }}：",
           opening="{{ case|proposer_label }}提出的《{{ case.title }}》（第{{ case.number }}号）{{ kind_word }}收悉。"
                   "经研究，现将我局会办意见函告如下：",
           closing_line="特此函告。")


def return_request_template() -> None:
    letter("return_request", corner=False, cc=True, day="returned.date",
           addressee="{{ return_to }}：",
           opening="{{ session.name }}第{{ case.number }}号{{ kind_word }}《{{ case.title }}》（{{ case|proposer_label }}"
                   "提出）于{{ case.assigned|date_cn }}交由我局{{ case.role|label }}。经认真研究，"
                   "我局申请将该{{ kind_word }}退回调整承办单位，理由如下：",
           after="{% if returned.to %}建议改由{{ returned.to }}承办，{% endif %}请予调整交办。",
           closing_line="特此函告。")


def _cell(cell, text: str, style: str = "表格文字"):
    paragraph = cell.paragraphs[0]
    paragraph.text = text
    paragraph.style = style
    return paragraph


# 征询意见表 columns, 156 mm: the labels (5 characters of 四号, the widest 意见和建议) and 答复时间 with its
# date each fit on one line (2024年12月18日, eight digits, is 39 mm in 四号); the merged value cells
# hold a 25-character line, so the six contact modes fit on one line and no ☐ option is ever
# broken (☐电/话).
FORM_COLUMNS = (Mm(28), Mm(56), Mm(24), Mm(48))
FORM_CELL_MARGIN = Mm(1.5)


def feedback_form_template() -> None:
    """The form the member fills in and signs: the case's facts printed, every box empty, room to
    write, sign and date by hand. What the member returns is recorded in `feedback`, never printed.
    One page, sent with the letter: no page number on it (a second page, should a clerk's edits
    make one, is numbered)."""
    doc = new_document(letter=True)
    title(doc)
    para(doc, "", "主送机关")
    table = doc.add_table(rows=9, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_column_widths(table, FORM_COLUMNS)
    cell_margins(table, left=FORM_CELL_MARGIN, right=FORM_CELL_MARGIN)
    rows = table.rows
    for row in rows:
        row.height = Mm(12)
        row_flags(row)
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    def line(index: int, label: str, value: str):
        _cell(rows[index].cells[0], label, "表格居中")
        return _cell(rows[index].cells[1].merge(rows[index].cells[3]), value)

    _cell(rows[0].cells[0], "{{ kind_word }}号", "表格居中")
    _cell(rows[0].cells[1], "第{{ case.number }}号")
    _cell(rows[0].cells[2], "答复时间", "表格居中")
    _cell(rows[0].cells[3], "{{ reply.date|date_cn }}")
    line(1, "{{ kind_word }}人", "{{ case|proposer_label(plain=True) }}")
    line(2, "案由", "{{ case.title }}")
    line(3, "承办单位", "{{ org.name }}（{{ case.role|label }}）")
    line(4, "答复前沟通", "☐是　　☐否")
    line(5, "沟通方式", "{% for mode, label in contact_modes %}☐{{ label }}{{ '' if loop.last else ' ' }}{% endfor %}")
    line(6, "办理态度", "{% for value, label in satisfaction_levels %}☐{{ label }}{{ '' if loop.last else '　　' }}{% endfor %}")
    line(7, "办理结果", "{% for value, label in satisfaction_levels %}☐{{ label }}{{ '' if loop.last else '　　' }}{% endfor %}")
    # 意见和建议: blank room to write above; the signature and a date to fill in at the foot
    sign = line(8, "意见和建议", "{{ kind_word }}人（签名）：")
    rows[8].height = Mm(75)
    cell = rows[8].cells[1]
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    sign.paragraph_format.left_indent = Mm(42)  # leaves about 45 mm to sign in
    cell.add_paragraph("", "表格文字")
    date = cell.add_paragraph("年　　　月　　　日", "表格文字")
    date.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date.paragraph_format.right_indent = Mm(10)
    date.paragraph_format.space_after = Pt(10)
    para(doc, "", "表格说明")
    para(doc, "请于收到答复后15个工作日内填写，寄回{{ return_to }}。", "表格说明")
    doc.save(OUT / "feedback_form.docx")


# 归档文件目录 columns (DA/T 22-2015), 225 mm: the landscape text width. In 五号 with 1 mm cell
# margins each fits on one line (measured in LibreOffice): 档号 X012-WS·2024-D30-ZX-0001 (44 mm),
# 文号 up to 科经提函〔2024〕123号 (39 mm), 日期 20240530 (14 mm), two-character headers (7.3 mm),
# 责任者 six characters a line; 题名 takes the rest and wraps.
ARCHIVE_COLUMNS = (("序号", 10), ("档号", 48), ("文号", 42), ("责任者", 26), ("题名", 52),
                   ("日期", 17), ("密级", 10), ("页数", 10), ("备注", 10))
ARCHIVE_SIZE = Pt(10.5)  # 五号


def archive_index_template() -> None:
    doc = new_document(landscape=True)
    for name in ("目录文字", "目录居中"):
        style = doc.styles[name]
        style.font.size = ARCHIVE_SIZE
        style.paragraph_format.line_spacing = Pt(15)
    title(doc)
    para(doc, "全宗号：{{ fonds }}　　年度：{{ year }}　　保管期限：{{ retention }}　　机构（问题）：{{ unit_name }}",
         "表格文字")
    table = doc.add_table(rows=2, cols=len(ARCHIVE_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_column_widths(table, [Mm(w) for _, w in ARCHIVE_COLUMNS])
    cell_margins(table, left=Mm(1), right=Mm(1))
    row_flags(table.rows[0], header=True)  # the header row atop every page
    row_flags(table.rows[1])  # an entry never splits across pages
    fields = ("seq", "archive_code", "doc_number", "author", "title", "date", "secrecy", "pages", "note")
    for i, ((header, _), field) in enumerate(zip(ARCHIVE_COLUMNS, fields)):
        _cell(table.rows[0].cells[i], header, "目录居中")
        _cell(table.rows[1].cells[i], "{{ row.%s }}" % field, "目录居中" if i in (0, 5, 6, 7) else "目录文字")
        for row in table.rows:
            row.cells[i].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    # docxtpl wants {%tr %} tags in rows of their own around the repeated row
    item_row = table.rows[1]
    for tag, place in (("{%tr for row in rows %}", item_row._tr.addprevious), ("{%tr endfor %}", item_row._tr.addnext)):
        extra = table.add_row()
        _cell(extra.cells[0], tag)
        place(extra._tr)
    doc.save(OUT / "archive_index.docx")


SUMMARY = [
    ("title", ""),  # the context's title_lines: «org»关于«year»年市政协委员提案办理工作情况的总结
    ("主送机关", ""),
    ("section", "opening"),
    ("公文正文", "为切实做好{{ year }}年{{ body_words.full }}办理工作，本着对{{ body_words.proposer_side }}高度负责的态度，"
              "我局上下联动、加强沟通、密切配合，建立健全内部交办、督办、催办制度，在规定的期限内以正式文件形式，"
              "分别报送给了{{ body_words.cc|join('、') }}，答复了相关{{ kind_word }}人。现就今年{{ kind_word }}办理工作情况总结如下。"),
    ("endsection", ""),
    ("一级标题", "一、办理工作基本情况"),
    ("section", "basic"),
    ("公文正文", "今年，{{ org.short_name }}共承接办理{{ stats.session_names|join('、') }}{{ body_words.members }}{{ kind_word }}"
              "{{ stats.total }}件，其中主办{{ stats.lead }}件{% if stats.co %}、会办{{ stats.co }}件{% endif %}"
              "{% if stats.separate %}、分办{{ stats.separate }}件{% endif %}。"
              "{% if stats.lead_cases %}主办件{% if stats.lead_cases|length > 1 %}分别{% endif %}为{% for c in stats.lead_cases %}第{{ c.number }}号由{{ c|proposer_label }}"
              "提交的《{{ c.title }}》{{ '、' if not loop.last else '' }}{% endfor %}。{% endif %}"
              "{% if stats.returned %}另有{% for c in stats.returned %}第{{ c.number }}号《{{ c.title }}》"
              "{{ '、' if not loop.last else '' }}{% endfor %}经研究不属于我局职责范围，已按规定申请退办（退办"
              "{{ stats.returned|length }}件），不计入办理件数和办复率。{% endif %}"
              "在办理过程中，我局严格按照{{ body_words.short }}{{ kind_word }}的办理程序、办理时间和办理要求，逐件认真办理，"
              "{% if stats.replied == stats.total %}圆满地完成了办复工作{% else %}已办复{{ stats.replied }}件{% endif %}，"
              "办结率为{{ stats.reply_rate|rate }}。"),
    ("endsection", ""),
    ("一级标题", "二、办理程序"),
    ("section", "procedure"),
    ("公文正文", "1.加强组织领导。市人大代表建议、政协委员提案交办会议召开后，局党组即召开会议研究部署{{ body_words.full }}办理工作。"
              "根据局领导班子工作分工，明确主要负责同志负总责、分管办公室领导具体抓、相关职能科室具体承办，并对每一件{{ kind_word }}"
              "确定了承办人。同时把{{ body_words.full }}办理情况纳入单位绩效考核。"),
    ("公文正文", "2.健全相关制度。局党组高度重视{{ body_words.full }}办理工作，将其列入重要议事日程，建立并逐步完善了"
              "“主要领导负总责，分管领导具体抓，办公室明确专人跟踪落实”的办理工作责任机制。在办理过程中，严格执行市委办公室、"
              "市政府办公室关于做好{{ year }}年市人大代表建议和政协委员提案办理工作的通知等文件精神，在规定的期限内，"
              "{% if stats.replied == stats.total %}所有{{ kind_word }}都给予了书面答复{% else %}已答复的{{ stats.replied }}件"
              "{{ kind_word }}均给予了书面答复{% endif %}，并报送相关单位。{{ kind_word }}办理过程中的所有材料均整理归档。"),
    ("endsection", ""),
    ("一级标题", "三、协商程序"),
    ("section", "consultation"),
    ("公文正文", "1.{{ body_words.member }}沟通情况。在办理过程中，我局把与{{ body_words.member }}沟通作为重要一环，"
              "{% if stats.contacted == stats.handled and stats.handled %}所办理的{{ stats.handled }}件{{ kind_word }}均主动与"
              "{{ body_words.member }}沟通{% else %}主办和分办的{{ stats.handled }}件{{ kind_word }}中，{{ stats.contacted }}件在答复前与"
              "{{ body_words.member }}沟通{% endif %}，其中面商{{ stats.face_to_face }}件，面商率为{{ stats.face_rate|rate }}，"
              "有的到{{ body_words.member }}所在单位上门听取办理意见，有的邀请到我局了解相关意图。"
              "{% for e in stats.events %}{{ e.date|month_day }}，{{ org.short_name }}召开{{ e.title }}"
              "。{% if e.attendees %}会议邀请了{{ body_words.members_short }}{{ e.attendees|join('、') }}参加会议。{% endif %}{% endfor %}"
              "办理工作完成后，及时向{{ body_words.member }}寄送《{{ body_words.form_title }}》，"
              "{% if stats.rehandled %}对反馈办理结果不满意的{% for c in stats.rehandled %}第{{ c.number }}号"
              "{{ '、' if not loop.last else '' }}{% endfor %}{{ kind_word }}，再次与{{ body_words.member }}沟通、重新研究办理并"
              "再次答复，二次办理{{ stats.rehandled|length }}件，"
              "{% if stats.rehandled_pending == stats.rehandled|length %}再次征询的意见表尚未收回。{% else %}再次征询结果为满意"
              "{{ stats.rehandled_result.satisfied }}件、基本满意{{ stats.rehandled_result.basically_satisfied }}件、不满意"
              "{{ stats.rehandled_result.dissatisfied }}件{% if stats.rehandled_pending %}，{{ stats.rehandled_pending }}件尚未收回"
              "{% endif %}。{% endif %}{% endif %}"
              "{% if not stats.forms %}目前尚未收回。{% elif stats.all_satisfied %}据反馈情况看，我局办理的{{ stats.forms }}件"
              "{{ kind_word }}均为满意等次。{% else %}共收回{{ stats.forms }}份，办理结果满意{{ stats.result.satisfied }}件、"
              "基本满意{{ stats.result.basically_satisfied }}件、不满意{{ stats.result.dissatisfied }}件，满意率为"
              "{{ stats.satisfaction_rate|rate }}。{% endif %}"),
    ("公文正文", "2.协商办理情况。我局加强与会办单位的联系沟通，认真听取会办单位想法，"
              "{% if stats.co_opinions %}收到会办单位书面意见{{ stats.co_opinions }}份，{% endif %}及时体现到答复意见之中。"
              "承办工作注重在提高“三率”上下功夫，即{{ kind_word }}的办复率、落实率和{{ body_words.member }}满意率，确保"
              "“件件有落实，事事有回音”，及时以文件形式向{{ kind_word }}人通报办理结果。"),
    ("endsection", ""),
    ("一级标题", "四、办理成效"),
    ("section", "results"),
    ("公文正文", "1.{{ kind_word }}答复情况。{% for cat in stats.categories %}{{ cat.code }}类（{{ cat.label }}）{{ cat.count }}件"
              "{% if cat.numbers %}（第{{ cat.numbers|join('、') }}号）{% endif %}{{ '；' if not loop.last else '。' }}{% endfor %}"
              "答复内容均实事求是，具体明确，符合客观情况。"),
    ("公文正文", "2.成效体现情况。在办理过程中，认真采纳{{ body_words.member }}提出的合理意见和建议，制定改进工作的具体措施。"
              "{% if stats.solved %}积极主动解决{{ kind_word }}反映的意见和问题，如{{ stats.solved|join('号、') }}号{{ kind_word }}。{% endif %}"
              "{% if stats.explained %}对条件限制目前难以解决的，及时与{{ body_words.member }}面对面沟通，耐心细致地说明原因，"
              "取得{{ kind_word }}人理解，如{{ stats.explained|join('号、') }}号{{ kind_word }}。{% endif %}"),
    ("endsection", ""),
    ("一级标题", "五、创新举措"),
    ("section", "innovation"),
    ("公文正文", "stats.policies", "出台相关政策。今年以来，市委市政府先后出台了{% for p in stats.policies %}《{{ p }}》"
              "{{ '、' if not loop.last else '' }}{% endfor %}等政策措施，有力促进了全市工业经济的健康发展。"),
    ("公文正文", "stats.key_numbers", "请领导出面协调办理。对需要上级层面协调解决的{{ kind_word }}，我局提出具体办理意见和建议，"
              "并报请市分管领导牵头。如{{ stats.key_numbers|join('号、') }}号{{ body_words.member }}{{ kind_word }}，"
              "经市政府分管领导批示后，向{{ body_words.member }}提交答复意见。"),
    ("endsection", ""),
    ("signature", "summary_date"),  # a blank line, the 落款 and the date, kept with the body's last lines
]


def summary_template() -> None:
    """The seed's five sections; each section's default prose yields to year.yaml summary.sections."""
    doc = new_document()
    # a heading never ends a page: it goes over with the first lines of its section
    for name in ("一级标题", "二级标题"):
        doc.styles[name].paragraph_format.keep_with_next = True
    current = None
    for index, (style, *rest) in enumerate(SUMMARY):
        text = rest[-1]
        if len(rest) == 2 and current == "innovation":
            # the last paragraph of the last section goes over with the signature (keep with next);
            # the one before it is that paragraph only when no later one is printed
            later = [item[1] for item in SUMMARY[index + 1:] if len(item) == 3]
            if later:
                para(doc, "{%p if " + rest[0] + " and not (" + " or ".join(later) + ") %}")
                para(doc, text, style).paragraph_format.keep_with_next = True
                para(doc, "{%p elif " + rest[0] + " %}")
                para(doc, text, style)
            else:
                para(doc, "{%p if " + rest[0] + " %}")
                para(doc, text, style).paragraph_format.keep_with_next = True
            para(doc, "{%p endif %}")
        elif len(rest) == 2:  # a paragraph that exists only when its condition holds
            para(doc, "{%p if " + rest[0] + " %}")
            para(doc, text, style)
            para(doc, "{%p endif %}")
        elif style == "signature":  # never a page with only the 落款 and the date on it
            para(doc, "", "落款")
            signature(doc, "{{ org.name }}", text)
        elif style == "section":
            current = text
            para(doc, "{%p if sections." + current + " %}")
            para(doc, "{{p sections." + current + " }}")
            para(doc, "{%p else %}")
        elif style == "title":
            title(doc)
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
    return_request_template()
    feedback_form_template()
    archive_index_template()
    summary_template()
    print("templates written to", OUT)
