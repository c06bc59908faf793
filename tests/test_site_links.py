"""The site's links to the documents resolve: from file:// (the pages opened from disk) and under
`serve`, asked over real HTTP; what build/ keeps for itself is not served."""

from __future__ import annotations

import re
import time
import urllib.parse
import zipfile
from io import BytesIO
from pathlib import Path

from conftest import get, run, serving, wait_until_served


def document_links(page: Path) -> list[str]:
    return re.findall(r'href="([^"]+\.docx)"', page.read_text(encoding="utf-8"))


def case_pages(root: Path) -> list[Path]:
    return sorted((root / "build/site").rglob("cases/*.html"))


def test_document_links_resolve_from_disk(example):
    assert run(example, "build", "--today", "2024-06-10").exit_code == 0
    links = 0
    for page in case_pages(example):
        for href in document_links(page):
            target = (page.parent / urllib.parse.unquote(href)).resolve()
            assert target.is_file(), (page.name, href)
            assert (example / "build").resolve() in target.parents
            links += 1
    assert links >= 10


def test_document_links_resolve_under_serve(example):
    assert run(example, "build", "--today", "2024-06-10").exit_code == 0
    with serving(example) as port:
        base = f"http://127.0.0.1:{port}/"
        wait_until_served(base + "2024/index.html")
        pages = case_pages(example)
        assert pages
        checked = 0
        for page in pages:
            page_url = base + urllib.parse.quote(page.relative_to(example / "build/site").as_posix())
            status, body, _ = get(page_url)
            assert status == 200, page_url
            for href in re.findall(r'href="([^"]+\.docx)"', body.decode("utf-8")):
                url = urllib.parse.urljoin(page_url, href)
                status, content, kind = get(url)
                assert status == 200, url
                assert zipfile.ZipFile(BytesIO(content)).read("word/document.xml")  # the document itself
                local = example / "build" / urllib.parse.unquote(urllib.parse.urlparse(url).path).lstrip("/")
                assert content == local.read_bytes()
                checked += 1
        assert checked >= 10
        # build/'s own files and anything outside it stay private
        for path in (".manifest.json", ".stamp", ".cache/parsed/root.json", "site/index.html", "../proposal-docs.yaml",
                     "%2e%2e/proposal-docs.yaml", "2024/../../proposal-docs.yaml"):
            assert get(base + path)[0] == 404, path


def test_a_document_link_downloads_in_chromium_under_serve(example):
    """A clerk clicks the letter on a case page served by `serve`: the browser receives the .docx."""
    from playwright.sync_api import sync_playwright

    from test_site import CHROMIUM, CHROMIUM_ARGS

    if CHROMIUM is None:
        import pytest

        pytest.skip("chromium 未安装")
    with serving(example) as port, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        deadline = time.monotonic() + 60  # until the first build is served (not a timing assertion)
        while time.monotonic() < deadline:
            try:
                page.goto(f"http://127.0.0.1:{port}/2024/cases/p007.html")
                if page.locator("a[href$='.docx']").count():
                    break
            except Exception:  # noqa: BLE001 - not listening yet
                pass
            page.wait_for_timeout(300)
        link = page.locator("a[href$='.docx']").first
        with page.expect_download() as download:
            link.click()
        saved = Path(download.value.path())
        assert download.value.suggested_filename.endswith(".docx")
        assert zipfile.ZipFile(saved).read("word/document.xml")
        browser.close()
