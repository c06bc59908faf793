"""build/public/: the replies a bureau may publish — and nothing it must not."""

from __future__ import annotations

import re
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse
from urllib.request import urlopen

import pytest

from conftest import edit, run
from test_site import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

from proposal_docs.model.models import Disclosure
from proposal_docs.render.typography import fullwidth_punctuation
from proposal_docs.rules.checking import load_repository

SECRET_COMMENT = "希望加大对小微企业的扶持力度"


def publish(root: Path) -> Path:
    """The example with feedback comments, one reply on request and one withheld, built."""
    edit(root / "cases/2024/p009.yaml", "  result: satisfied", f"  result: satisfied\n  comments: {SECRET_COMMENT}")
    edit(root / "cases/2024/p108.yaml", "disclosure: public", "disclosure: on_request")
    edit(root / "cases/2024/p089.yaml", "disclosure: public", "disclosure: withheld")
    result = run(root, "build", "--today", "2024-06-10")
    assert result.exit_code == 0, result.output + result.stderr
    return root / "build/public"


def pages(public: Path) -> dict[str, str]:
    return {p.relative_to(public).as_posix(): p.read_text(encoding="utf-8") for p in sorted(public.rglob("*")) if p.is_file()}


def test_public_pages_and_what_they_show(example):
    public = publish(example)
    found = pages(public)
    # co cases (p016, p041…), the returned p046, on_request p108 and withheld p089 have no page
    assert set(found) == {"index.html", "2024/index.html", "2024/cppcc-13-4-007.html", "2024/cppcc-13-4-009.html",
                          "2024/cppcc-13-4-012.html", "2024/cppcc-13-4-035.html", "2024/cppcc-13-4-052.html",
                          "2024/npc-17-4-023.html"}
    page = found["2024/cppcc-13-4-007.html"]
    for shown in ("<h1>关于市政协十三届四次会议第7号提案的答复</h1>", "<dd>市政协十三届四次会议</dd>", "<dd>第7号提案</dd>",
                  "<dd>尽快建设绿色环保家具产业园，促传统产业转型升级</dd>", "<dt>提案人</dt><dd>聂银峰</dd>",
                  "<dd>A类（已解决或采纳）</dd>", "<dd>2024年5月30日</dd>", "<dd>科经提〔2024〕1号</dd>",
                  "<dd>全文公开</dd>", '<p class="h1">一、关于家具产业园规划建设</p>'):
        assert shown in page, shown
    # 摘要公开: the abstract, never the letter's text
    summary = found["2024/cppcc-13-4-035.html"]
    assert "<h2>答复摘要</h2>" in summary and "全市工业园区闲置厂房共27处" in summary
    # 二次办理: the second reply follows the first, each with its own category, date and number
    again = found["2024/cppcc-13-4-052.html"]
    assert again.index("<h2>答复全文</h2>") < again.index("<h2>再次答复全文</h2>")
    assert "<dd>科经提〔2024〕10号</dd>" in again and "投资额门槛由200万元降至50万元" in again
    index = found["2024/index.html"]
    assert '<a href="cppcc-13-4-007.html">' in index and "人大建议答复（1 件）" in index and "政协提案答复（5 件）" in index
    assert not any("046" in name for name in found) and "农村饮水" not in index  # 退办: never published
    assert '<a href="2024/index.html">2024年</a>' in found["index.html"]


def _forbidden(root: Path) -> list[str]:
    """Every value of the example that no public page may show."""
    repo = load_repository(root)
    values = {SECRET_COMMENT, "p007.yaml", "cases/2024"}
    for item in repo.all_cases():
        case = item.case
        if case.handler:
            values |= {case.handler.name, case.handler.phone or ""}
        values |= {o.summary for o in case.co_opinions}
        values |= {c.note for c in case.communications}
        for reply, feedback in case.rounds:
            values.add(reply.signer or "")
            if feedback:
                values.add(feedback.comments)
            published = reply.disclosure in (Disclosure.public, Disclosure.summary) and case.role.value != "co"
            if not published or reply.disclosure is Disclosure.summary:  # its text stays inside
                values |= {line.strip() for line in reply.body.splitlines()}
            if not published:
                values.add(reply.doc_number or "")
        if case.reply is None or case.reply.disclosure not in (Disclosure.public, Disclosure.summary):
            values.add(case.title)
    return sorted(v for v in values if len(v) >= 2)


def test_no_public_page_shows_what_must_never_appear(example):
    public = publish(example)
    forbidden = _forbidden(example)
    assert {"王五", "陈立", "0556-5551201", SECRET_COMMENT, "同意主办单位意见",
            "诊断覆盖面小,补助申报门槛高,希望有针对小微企业的具体措施"} <= set(forbidden)
    printed = {fullwidth_punctuation(v) for v in forbidden}  # as the pages would print them
    leaks = [(rel, value) for rel, text in pages(public).items() for value in {*forbidden, *printed} if value in text]
    assert leaks == []
    for words in ("承办人", "签发", "联系电话", "满意", "会办意见", "征询意见"):
        assert not [rel for rel, text in pages(public).items() if words in text], words


def test_public_pages_escape_case_text_and_link_relatively(example):
    edit(example / "cases/2024/p007.yaml", "title: 尽快建设绿色环保家具产业园,促传统产业转型升级",
         'title: "关于<script>alert(1)</script>&家具园的建议"')
    public = publish(example)
    for rel, text in pages(public).items():
        assert "<script>" not in text, rel
        for link in re.findall(r'(?:href|src)="([^"]*)"', text):
            assert not urlparse(link).scheme and not link.startswith("/"), (rel, link)
            assert (public / rel).parent.joinpath(unquote(link)).resolve().is_file(), (rel, link)
    assert "关于&lt;script&gt;alert(1)&lt;/script&gt;&amp;家具园的建议" in (public / "2024/cppcc-13-4-007.html").read_text(
        encoding="utf-8")


def test_public_pages_are_incremental(example):
    public = publish(example)
    before = {p: p.stat().st_mtime_ns for p in public.rglob("*.html")}
    edit(example / "cases/2024/p012.yaml", "一、优化民营经济发展环境", "一、进一步优化民营经济发展环境")
    edit(example / "cases/2024/p041.yaml", "刷业数字化车间", "刷业数字化示范车间")  # a co case: never public
    assert run(example, "build", "--today", "2024-06-10").exit_code == 0
    changed = {p.relative_to(public).as_posix() for p in public.rglob("*.html") if p.stat().st_mtime_ns != before[p]}
    assert changed == {"2024/cppcc-13-4-012.html"}
    edit(example / "cases/2024/p012.yaml", "disclosure: public", "disclosure: withheld")
    assert run(example, "build", "--today", "2024-06-10").exit_code == 0
    assert not (public / "2024/cppcc-13-4-012.html").exists()
    assert "cppcc-13-4-012.html" not in (public / "2024/index.html").read_text(encoding="utf-8")


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def test_public_folder_works_under_any_sub_path_of_a_web_server(example, tmp_path):
    public = publish(example)
    www = tmp_path / "www"
    shutil.copytree(public, www / "gk" / "jytabl")
    handler = partial(Quiet, directory=str(www))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        start = f"http://127.0.0.1:{server.server_address[1]}/gk/jytabl/index.html"
        seen, todo = set(), [start]
        while todo and len(seen) < 50:
            url = todo.pop()
            if url in seen:
                continue
            seen.add(url)
            with urlopen(url, timeout=10) as response:
                assert response.status == 200, url
                text = response.read().decode("utf-8")
            todo += [urljoin(url, link) for link in re.findall(r'href="([^"]*)"', text)]
        assert len(seen) == 8  # home, the year, six replies: every one reached through links
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium 未安装(Debian: apt-get install chromium);.ci/run 会安装")
def test_public_pages_on_a_phone(example):
    from playwright.sync_api import sync_playwright

    public = publish(example)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 360, "height": 740})
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        for path in sorted(public.rglob("*.html")):
            page.goto(path.as_uri())
            assert page.title().endswith("潜山市科技和经济信息化局"), path
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{path.name} 横向滚动"
            for link in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                assert Path(unquote(urlparse(link).path)).is_file(), f"{path.name}: {link}"
        page.goto((public / "2024/cppcc-13-4-007.html").as_uri())
        assert page.locator(".text p").count() >= 5
        page.screenshot(path=str(ARTIFACTS / "public-case.png"), full_page=True)
        browser.close()
    assert problems == []
