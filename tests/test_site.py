"""The HTML site, opened in a real headless Chromium: no console errors, every case, working links."""

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import run

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture
def site(example):
    result = run(example, "build", "--today", "2024-06-10")
    assert result.exit_code == 0, result.output + result.stderr
    return example / "build" / "site"


def test_site_pages_exist_and_escape_case_text(example):
    from conftest import edit

    edit(example / "cases/2024/p041.yaml", "title: 关于加快刷业产业数字化转型的建议",
         'title: "关于<script>alert(1)</script>&刷业的建议"')
    assert run(example, "build", "--today", "2024-06-10").exit_code == 0
    site = example / "build/site"
    assert {"index.html", "2024/index.html", "2024/statistics.html", "2024/cases/p007.html"} <= {
        p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    page = (site / "2024/cases/p041.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;&amp;刷业" in page


def test_site_is_incremental(example):
    run(example, "build", "--today", "2024-06-10")
    site = example / "build/site"
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
    from conftest import edit

    edit(example / "cases/2024/p057.yaml", "优先保障重点企业", "优先保障重点工业企业")
    result = run(example, "-v", "build", "--today", "2024-06-10")
    assert "网页更新 1 页" in result.output  # only the case page: its preview changed
    changed = {p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.stat().st_mtime_ns != before[p]}
    assert changed == {"2024/cases/p057.html"}


def test_a_preview_committed_under_build_is_never_shown(example):
    """Previews go into the pages as HTML: one planted in build/.cache (a pull request can carry it)
    is converted again, not believed — only this user's key signs a preview."""
    from conftest import edit

    assert run(example, "build", "--today", "2024-06-10").exit_code == 0
    cache = example / "build/.cache/previews"
    planted = sorted(cache.glob("*.html"))
    assert planted
    for path in planted:
        path.write_text("<p>伪造预览</p><script>alert(1)</script>", encoding="utf-8")
    edit(example / "cases/2024/p057.yaml", "优先保障重点企业", "优先保障重点工业企业")  # pages are written again
    assert run(example, "build", "--force", "--today", "2024-06-10").exit_code == 0
    pages = "".join(p.read_text(encoding="utf-8") for p in (example / "build/site").rglob("*.html"))
    assert "伪造预览" not in pages and "alert(1)" not in pages
    assert all("伪造预览" not in p.read_text(encoding="utf-8", errors="replace") for p in cache.glob("*.html"))


def test_site_status_follows_the_day(example):
    case = example / "cases/2024/p035.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text[: text.index("reply:")], encoding="utf-8")
    run(example, "build", "--today", "2024-06-10")
    assert "即将到期" in (example / "build/site/2024/index.html").read_text(encoding="utf-8")
    run(example, "build", "--today", "2024-07-01")
    assert "已超期" in (example / "build/site/2024/index.html").read_text(encoding="utf-8")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium 未安装(Debian: apt-get install chromium);.ci/run 会安装")
def test_every_page_in_a_real_browser(site):
    from playwright.sync_api import sync_playwright

    pages = sorted(site.rglob("*.html"))
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        for path in pages:
            page.goto(path.as_uri())
            assert page.title(), path
            for link in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                target = Path(unquote(urlparse(link).path))
                assert target.is_file(), f"{path.name}: {link}"
        page.goto((site / "2024/index.html").as_uri())
        assert page.locator("#cases tbody tr").count() == 14
        assert "尽快建设绿色环保家具产业园" in page.inner_text("#cases")
        page.screenshot(path=str(ARTIFACTS / "site-index.png"), full_page=True)
        page.goto((site / "2024/cases/p012.html").as_uri())
        assert page.locator(".document").count() == 2
        page.screenshot(path=str(ARTIFACTS / "site-case.png"), full_page=True)
        browser.close()
    assert problems == []


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium 未安装（Debian: apt-get install chromium）；.ci/run 会安装")
def test_serve_reloads_the_open_page_after_a_rebuild(example):
    """`serve` in the foreground: a page open in the browser shows an edit without being reloaded by hand."""
    from playwright.sync_api import sync_playwright

    from conftest import edit, serving

    with serving(example) as port, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        for _ in range(120):  # the first build
            try:
                page.goto(f"http://127.0.0.1:{port}/2024/index.html")
                if "尽快建设绿色环保家具产业园" in page.inner_text("body"):
                    break
            except Exception:  # noqa: BLE001 - not listening yet
                pass
            page.wait_for_timeout(500)
        edit(example / "cases/2024/p057.yaml", "title: 关于加强工业园区用电保障的建议", "title: 关于保障园区用电的建议")
        page.wait_for_function("document.body.innerText.includes('关于保障园区用电的建议')", timeout=60_000)
        browser.close()


def test_case_timeline_shows_the_return_and_each_round(site):
    returned = (site / "2024/cases/p046.html").read_text(encoding="utf-8")
    assert ("2024年3月26日</b> 申请退办（科经提〔2024〕8号）：该提案所提农村饮水工程建设和水质保障事项，"
            "属水利部门和卫生健康部门职责，不属于我局职责范围，建议改由市水利局承办") in returned
    assert "办理期限" not in returned and "退办申请函/提案第046号" in returned
    rounds = (site / "2024/cases/p052.html").read_text(encoding="utf-8")
    order = ["答复（科经提〔2024〕9号，B类）", "收回征询意见表：办理态度基本满意，办理结果不满意",
             "再次答复（科经提〔2024〕10号，A类）", "收回再次答复的征询意见表：办理态度满意，办理结果满意"]
    assert all(text in rounds for text in order)
    assert [rounds.index(text) for text in order] == sorted(rounds.index(text) for text in order)
    # the documents in the order of the rounds: reply, its form, the second reply, its form
    links = [rounds.index(name) for name in ("答复函/提案第052号-关于支持中小企业数字化转型的建议.docx",
                                             "征询意见表/提案第052号-关于支持中小企业数字化转型的建议.docx",
                                             "答复函/提案第052号-关于支持中小企业数字化转型的建议-再次答复.docx",
                                             "征询意见表/提案第052号-关于支持中小企业数字化转型的建议-再次答复.docx")]
    assert links == sorted(links)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium 未安装(Debian: apt-get install chromium);.ci/run 会安装")
def test_year_index_filters_by_state_from_a_file(site):
    """办理中 / 已答复 / 退办 / 二次办理, opened from file:// with scripts off."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(java_script_enabled=False)
        page.goto((site / "2024/index.html").as_uri())
        rows = page.locator("#cases tbody tr")

        def shown() -> list[str]:
            return [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count()) if rows.nth(i).is_visible()]

        assert len(shown()) == 14
        page.click("label[for=show-returned]")
        assert shown() == ["提案第46号"]
        page.click("label[for=show-rehandle]")
        assert shown() == ["提案第52号"]
        page.click("label[for=show-open]")
        assert shown() == []
        page.click("label[for=show-replied]")
        assert len(shown()) == 12 and "提案第46号" not in shown() and "提案第52号" not in shown()
        assert "退办（1）" in page.inner_text("body") and "二次办理（1）" in page.inner_text("body")
        page.click("label[for=show-all]")
        assert len(shown()) == 14
        page.screenshot(path=str(ARTIFACTS / "site-index-filtered.png"), full_page=True)
        browser.close()


def test_a_preview_is_of_its_own_document_whatever_brackets_its_name_holds(tmp_path):
    """pypandoc reads a path as a pattern: 提案第001号-[张]三.docx would preview 提案第001号-张三.docx."""
    from docx import Document

    from proposal_docs.site.previews import previews

    for name, text in [("提案第001号-张三.docx", "致张三"), ("提案第001号-[张]三.docx", "致[张]三")]:
        doc = Document()
        doc.add_paragraph(text)
        doc.save(tmp_path / name)
    shown = previews(tmp_path, {"提案第001号-[张]三.docx": "a" * 64}, jobs=1, key=None)
    assert "致[张]三" in shown["提案第001号-[张]三.docx"] and "致张三" not in shown["提案第001号-[张]三.docx"]


def test_a_pandoc_committed_in_the_repository_is_never_run(example):
    """pypandoc first runs a bare `pandoc --version`: Windows looks for it in the current folder, the
    repository, where a pull request can put a pandoc.exe (here: an empty PATH entry). The site's
    previews come from the pandoc shipped with pypandoc, by full path."""
    import os
    import subprocess
    import sys

    marker = example / "ran"
    program = example / "pandoc"
    program.write_text(f"#!/bin/sh\necho \"$*\" >> '{marker}'\necho 'pandoc 99.0'\n", "utf-8")
    program.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "PYPANDOC_PANDOC"}
    env["PATH"] = os.pathsep + env.get("PATH", "")  # "" first: the current folder
    result = subprocess.run([sys.executable, "-m", "proposal_docs", "build", "--today", "2024-12-31"], cwd=example,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
    assert "data-custom-style" in next((example / "build/site/2024/cases").glob("*.html")).read_text("utf-8")
