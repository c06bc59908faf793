"""页数 in the archive index: the page estimate (render/pages.py) against LibreOffice's page count.

The estimate sets each letter line by line as LibreOffice does; here ≥ 200 generated letters of
one to four pages — replies and co-opinions, short and long paragraphs, headings 一、（一）1.（1）,
digits, Latin words, quotation marks, half-width punctuation the build prints full-width — are
printed through LibreOffice (`build --pdf`) and the estimate must give the printed page count for
at least 98 % of them. The 征询意见表 prints on one page, as the archive index says.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil

import pytest
from hypothesis import given, settings, strategies as st
import yaml

from conftest import PROJECT_ROOT, edit, run
from proposal_docs.engine.plan import LETTER_TEMPLATES, counted_letters, plan
from proposal_docs.model.repository import read_repository
from proposal_docs.render.batch import Templates
from proposal_docs.render.contexts import FORM_PAGES, estimated_pages
from proposal_docs.render.pages import (_LATIN, SPACING, Paragraph, _advances, _ideograph, line_count,
                                        next_line_start, pages)
from proposal_docs.render.pdf import find_office

OFFICE = find_office()
NEEDS_OFFICE = pytest.mark.skipif(OFFICE is None, reason="LibreOffice 未安装（Debian: apt-get install "
                                  "libreoffice-writer-nogui fonts-noto-cjk），无法比对打印页数")

HAN = ("我局市委政府企业发展工作推进建设项目服务管理产业经济科技创新园区资金政策支持重点加快提升完善体系机制"
       "组织实施开展调研走访落实加强优化环境营商招商引资人才培养技能数字化转型绿色制造品牌质量标准规划用地"
       "厂房电力保障融资担保贷款银行小微民营中小协调解决问题困难需求意见建议办理答复委员代表会议研究部署")
LATIN = ["R&D", "GDP", "5G", "AI", "ERP", "Wi-Fi", "IPO", "PPP", "APP", "ISO 9001", "OA", "B2B", "MES"]
FIGURES = ["2024年", "45天", "3.5%", "86个", "0556-5551201", "1.2亿元", "300亩", "18家", "40%以上",
           "2023—2025年", "第108号", "12.6万平方米", "7×24小时", "1000万元", "6月30日"]
NUMERALS = "一二三四五六七八九十"


def _words(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(HAN) for _ in range(rng.randint(low, high)))


def _sentence(rng: random.Random, length: int) -> str:
    text = ""
    while len(text) < length:
        roll = rng.random()
        if roll < 0.07:
            text += rng.choice(LATIN)
        elif roll < 0.17:
            text += rng.choice(FIGURES)
        elif roll < 0.22:
            text += f"《{_words(rng, 4, 12)}》"
        elif roll < 0.25:
            text += f"“{_words(rng, 2, 8)}”"
        elif roll < 0.27:
            text += f"（{_words(rng, 2, 8)}）"
        else:
            text += _words(rng, 2, 9) + rng.choice("，，，，、；。")
    return text.rstrip("，、；") + ("" if text.endswith("。") else "。")


def _body(rng: random.Random, size: int, half_width: bool) -> str:
    paragraphs, total, h1, h2, h3 = [], 0, 0, 0, 0
    while total < size:
        roll = rng.random()
        if roll < 0.12:
            h1, h2, h3 = h1 + 1, 0, 0
            text = f"{NUMERALS[(h1 - 1) % 10]}、{_words(rng, 4, 20)}"
        elif roll < 0.22:
            h2, h3 = h2 + 1, 0
            text = f"（{NUMERALS[(h2 - 1) % 10]}）{_words(rng, 4, 16)}"
            if rng.random() < 0.4:
                text += "。" + _sentence(rng, rng.randint(10, 120))
        elif roll < 0.35:
            h3 += 1
            text = f"{h3}." + _sentence(rng, rng.randint(8, 150))
        elif roll < 0.38:
            text = f"（{rng.randint(1, 9)}）" + _sentence(rng, rng.randint(8, 80))
        else:
            text = _sentence(rng, rng.choice([rng.randint(10, 60), rng.randint(40, 200), rng.randint(100, 400)]))
        if half_width:  # as typed on an ordinary keyboard: the build prints these full-width
            text = text.translate(str.maketrans("，（）；：", ",();:"))
        paragraphs.append(text)
        total += len(text)
    return "\n\n".join(paragraphs)


def letters_repository(root, count: int, seed: int = 11):
    """The example's project, templates and year file with `count` replied cases of 1 to 4 pages."""
    rng = random.Random(seed)
    root.mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "proposal-docs.yaml", root / "proposal-docs.yaml")
    year = root / "cases" / "2024"
    year.mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "cases" / "2024" / "year.yaml", year / "year.yaml")
    units = ["市财政局", "市市场监管局", "市自然资源和规划局", "市人社局", "市发展改革委", "市生态环境局"]
    for number in range(1, count + 1):
        npc = rng.random() < 0.25
        role = "co" if rng.random() < 0.3 else rng.choice(["lead", "lead", "separate"])
        names = [_words(rng, 2, 3) for _ in range(rng.choice([1, 1, 2, 3]))]
        case = {"kind": "suggestion" if npc else "proposal", "session": "npc-17-4" if npc else "cppcc-13-4",
                "number": number, "title": f"关于{_words(rng, 4, 30)}的建议", "proposers": names, "role": role,
                "assigned": dt.date(2024, 3, 20)}
        if rng.random() < 0.9:
            case["handler"] = {"unit": "产业发展科", "name": _words(rng, 2, 3), "phone": "0556-5551201"}
        if role == "co":
            case["lead_unit"] = rng.choice(units)
        elif role == "lead":
            case["co_units"] = rng.sample(units, rng.choice([0, 0, 1, 2, 3]))
        case["reply"] = {"date": dt.date(2024, 5, rng.randint(1, 30)),
                         "body": _body(rng, int(rng.choice([rng.uniform(20, 250), rng.uniform(250, 1700), rng.uniform(250, 1700)])),
                                       half_width=rng.random() < 0.3)}
        if role != "co":
            case["reply"].update(category=rng.choice("ABC"), disclosure="public")
            if rng.random() < 0.5:
                case["reply"]["doc_number"] = f"科经提〔2024〕{number}号"
            if rng.random() < 0.5:
                case["feedback"] = {"date": dt.date(2024, 6, 20), "attitude": "satisfied", "result": "satisfied"}
        text = yaml.safe_dump(case, allow_unicode=True, sort_keys=False, width=1000)
        (year / f"c{number:04d}.yaml").write_text(text, encoding="utf-8")
    return root


def printed_pages(pdf) -> int:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return len(document.pages)


# --- without LibreOffice: the line model on cases measured once in LibreOffice 7.4 -----------------


def test_a_full_line_holds_28_chinese_characters():
    assert line_count("中" * 26, first_indent=640) == 1  # the first line, indented two characters
    assert line_count("中" * 27, first_indent=640) == 2
    assert line_count("中" * (26 + 28)) == 2
    assert line_count("中" * (26 + 29)) == 3


def test_closing_marks_never_start_a_line():
    # the 29th character would be a comma: the 28th moves down with it, no mark hangs in the margin
    assert line_count("中" * 26 + "中" * 28 + "，") == 3
    assert line_count("中" * 26 + "中" * 27 + "，") == 2


def test_digits_and_latin_are_narrower_with_a_gap_beside_chinese():
    # 2 + 24 + "2024" (4 × 8 pt + gaps) fits the indented first line no longer than 26 characters
    assert line_count("中" * 22 + "2024") == 1
    assert line_count("中" * 24 + "2024") == 2
    assert line_count("中" * 20 + "ISO 9001") == 1


def test_quotation_marks_stay_with_their_neighbours():
    # LibreOffice 7 breaks neither before nor after “ ”: 施量” moves down whole
    text = "中" * 24 + "“施量”" + "中" * 10
    assert line_count(text) == 2


def _letter(body: list[str]) -> list[Paragraph]:
    """A co-opinion's paragraphs as the template lays them out, around body paragraphs."""
    return [Paragraph("GwDocNumber"), Paragraph("GwDocNumber", ("科经提〔2024〕7号",)), Paragraph("GwSalutation"),
            Paragraph("GwTitle", ("关于市政协十三届四次会议第1号提案的答复",)), Paragraph("GwSalutation"),
            Paragraph("GwSalutation", ("王五委员：",)), Paragraph("GwBody", ("中" * 20,)),
            *(Paragraph("GwBody", (text,)) for text in body),
            Paragraph("GwClosing", ("特此函告。",)), Paragraph("GwSignature"),
            Paragraph("GwSignature", ("潜山市科技和经济信息化局",)), Paragraph("GwDate", ("2024年5月30日",))]


def test_signature_block_moves_whole_when_the_page_is_full():
    body = ["中" * 54] * 7  # 14 lines: with the 版头, title and opening, 21 of the first page's 22
    assert pages(_letter(body)) == 2
    assert pages(_letter(body[:2])) == 1
    # the 版记 frame goes to the page of the paragraph it is anchored to, the closing line: with
    # 18 lines before them, the closing line and the signature block fill the page, the 版记 is one too many
    full = _letter([*body[:5], "中" * 20])
    cc = Paragraph("GwCc", ("抄送：市政府督查室。",), framed=True)
    assert pages(full) == 1 and pages([*full[:-4], cc, *full[-4:]]) == 2


def test_line_breaks_and_the_paragraphs_own_indents_count():
    assert pages([Paragraph("GwBody", ("中" * 26,) * 22)]) == 1  # 22 lines, no first-line indent after a break
    assert pages([Paragraph("GwBody", ("中" * 26,) * 23)]) == 2
    assert pages([Paragraph("GwSignature", ("中" * 15,))] * 22) == 1
    wider = Paragraph("GwSignature", ("中" * 15,), indents=(("left", 4200),))  # 14 characters a line
    assert pages([wider] * 11) == 1 and pages([wider] * 12) == 2


def prepared_letters(root):
    return Templates().get(root, LETTER_TEMPLATES)


def test_the_example_letters_estimate_from_the_case(example):
    repo = read_repository(example)
    letters = prepared_letters(example)
    for year in repo.years.values():
        for item in year.cases:
            for output in counted_letters(item, year.year, repo.project.reply_to):  # replies, 再次答复, 退办申请函
                assert 1 <= estimated_pages(repo, item, output, letters) <= 3


# --- with LibreOffice ------------------------------------------------------------------------------


@NEEDS_OFFICE
def test_estimated_pages_agree_with_libreoffice(tmp_path):
    root = letters_repository(tmp_path / "letters", 220)
    result = run(root, "build", "--pdf", "--no-site", "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    repo = read_repository(root)
    letters = prepared_letters(root)
    cases = {item.rel: item for year in repo.years.values() for item in year.cases}
    compared, agreeing, wrong, forms = 0, 0, [], []
    by_length: dict[int, int] = {}
    for output in plan(repo):
        if output.template not in ("reply", "co_opinion", "feedback_form"):
            continue
        printed = printed_pages(root / "build" / "pdf" / output.path.replace(".docx", ".pdf"))
        if output.template == "feedback_form":
            if printed != FORM_PAGES:
                forms.append((output.path, printed))
            continue
        estimate = estimated_pages(repo, cases[output.case_file], output, letters)
        compared += 1
        agreeing += estimate == printed
        by_length[printed] = by_length.get(printed, 0) + 1
        if estimate != printed:
            wrong.append(f"{output.path}: printed {printed}, estimated {estimate}")
    share = agreeing / compared
    report = (f"{agreeing} of {compared} letters ({share:.1%}) estimated at their printed page count; "
              f"printed lengths {dict(sorted(by_length.items()))}; differing: {wrong[:10]}")
    print(report)
    assert compared >= 200 and {1, 2, 3, 4} <= set(by_length), report
    assert share >= 0.98, report
    assert not forms, f"征询意见表 not on {FORM_PAGES} page: {forms}"


def test_an_edit_counts_the_pages_of_its_own_letter_only(example, monkeypatch):
    """Each letter's pages are recorded when it is rendered; rewording one reply re-renders that
    letter and the archive index, and counts no other case's letter again."""
    import json

    from proposal_docs.render import contexts

    assert run(example, "build", "--no-site", "-j", "1").exit_code == 0
    manifest = json.loads((example / "build" / ".manifest.json").read_text("utf-8"))["outputs"]
    letters = {path: entry for path, entry in manifest.items() if "/答复函/" in path or "/会办意见/" in path}
    assert letters and all(entry["pages"] >= 1 for entry in letters.values())
    counted = []
    real = contexts.estimated_pages
    monkeypatch.setattr(contexts, "estimated_pages", lambda *args: counted.append(args[1].rel) or real(*args))
    edit(example / "cases/2024/p041.yaml", "年内完成诊断企业30家以上", "年内完成诊断企业40家以上")
    result = run(example, "-v", "build", "--no-site", "-j", "1")
    assert result.exit_code == 0 and "会办意见/提案第041号" in result.output
    assert counted == []


def test_pages_counted_for_a_build_from_before_are_kept_for_the_next_edit(example, monkeypatch):
    """A build/ whose manifest has no pages yet (made by an earlier version) gets them on the next
    build, so the edit after that counts no letter again."""
    import json

    from proposal_docs.render import contexts

    assert run(example, "build", "--no-site", "-j", "1").exit_code == 0
    path = example / "build" / ".manifest.json"
    data = json.loads(path.read_text("utf-8"))
    for entry in data["outputs"].values():
        entry.pop("pages", None)
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    edit(example / "cases/2024/p041.yaml", "年内完成诊断企业30家以上", "年内完成诊断企业40家以上")
    assert run(example, "build", "--no-site", "-j", "1").exit_code == 0
    counted = []
    real = contexts.estimated_pages
    monkeypatch.setattr(contexts, "estimated_pages", lambda *args: counted.append(args[1].rel) or real(*args))
    edit(example / "cases/2024/p041.yaml", "年内完成诊断企业40家以上", "年内完成诊断企业50家以上")
    assert run(example, "build", "--no-site", "-j", "1").exit_code == 0
    assert counted == []


# --- the line setter against its definition, character by character ------------------------------

def _script_by_character(text: str) -> list[bool]:
    """True where a character is set in the Chinese font: from U+2E80 on; a weak mark (“”‘’—–…)
    takes the script of the character before it, and is Latin at the start."""
    asian: list[bool] = []
    for ch in text:
        asian.append(asian[-1] if ch in "“”‘’—–…" and asian else ord(ch) >= 0x2E80 and ch not in "“”‘’—–…")
    return asian


def _advances_by_character(text: str, size: int) -> tuple[list[int], list[int]]:
    """Each character's advance and the gap after it, as the module docstring says."""
    asian, n = _script_by_character(text), len(text)
    base, gap = [], []
    for i, ch in enumerate(text):
        width = size if asian[i] else -(-_LATIN.get(ch, 1024) * size // 2048)
        switch = i + 1 < n and asian[i + 1] != asian[i]
        base.append(width + (SPACING if i + 1 < n and not switch else 0))
        nxt = text[i + 1] if switch else ""
        beside = switch and ((_ideograph(ch) and nxt.isascii() and nxt.isalnum())
                             or (_ideograph(nxt) and ch.isascii() and ch.isalnum()))
        gap.append(size // 5 if beside else 0)
    return base, gap


def _lines_by_character(text: str, width: int, first_indent: int, size: int) -> int:
    """Lines filled one character at a time: what line_count finds by bisect."""
    text = text.strip()
    if not text:
        return 1
    base, gap = _advances_by_character(text, size)
    n, start, lines, limit = len(text), 0, 0, width - first_indent
    while start < n:
        lines += 1
        total, end = 0, start
        while end < n and total + base[end] <= limit:
            total, end = total + base[end] + gap[end], end + 1
        if end >= n:
            break
        start, limit = next_line_start(text, start, end), width
    return lines


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("中文字，。、；：？！（）《》“”‘’—–…·%℃ abXY019-.,;:()'\"\u3000ｱ\u2e80\u2e7f")),
               max_size=90),
       st.sampled_from([(8845, 640, 320), (8845 - 3937, 0, 320), (7470, -825, 280), (8845, 0, 440), (2000, 0, 320)]))
def test_line_count_sets_lines_as_the_rules_say_character_by_character(text, setting):
    width, first_indent, size = setting
    assert _advances(text, size) == _advances_by_character(text, size)
    assert line_count.__wrapped__(text, width=width, first_indent=first_indent, size=size) == \
        _lines_by_character(text, width, first_indent, size)
