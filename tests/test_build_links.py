"""build/ may come from anyone's pull request: links committed there lead nowhere.

A link to /dev/zero (or a FIFO) where the tool keeps its stamp, manifest or caches would make a
read that never ends; a link anywhere in build/ would have a build write documents, and delete
stale ones, wherever it leads. So the build reads its own files only as plain files, and refuses
to write anything while build/ is, or holds, a link."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import run

from proposal_docs.files import links_below
from proposal_docs.render.pdf import read_state


def build(root, *args: str) -> subprocess.CompletedProcess:
    """In a new process with a time limit: a read that never ends fails the test instead of hanging it."""
    return subprocess.run([sys.executable, "-m", "proposal_docs", "--root", str(root), "build", *args],
                          capture_output=True, text=True, timeout=300)


def documents(root) -> dict:
    return {p.relative_to(root / "build"): p.read_bytes() for p in (root / "build").rglob("*.docx")}


def precious_folder(path):
    path.mkdir()
    (path / "precious.txt").write_text("keep", "utf-8")
    (path / "p001.docx").write_text("a clerk's own file, named like a document", "utf-8")
    return path


def untouched(folder) -> bool:
    return sorted(p.name for p in folder.iterdir()) == ["p001.docx", "precious.txt"] \
        and (folder / "precious.txt").read_text("utf-8") == "keep"


def test_links_to_endless_files_are_not_read(example):
    assert run(example, "build", "--no-site").exit_code == 0
    expected = documents(example)
    cache = example / "build" / ".cache"
    fifo = example / "fifo"
    os.mkfifo(fifo)
    for path, target in [(example / "build" / ".stamp", "/dev/zero"),
                         (example / "build" / ".manifest.json", "/dev/zero"),
                         (cache / "parsed" / "cases-2024.json", "/dev/zero"),
                         (cache / "templates" / "reply.json", str(fifo))]:
        path.unlink()
        path.symlink_to(target)
    result = build(example, "--no-site")  # reads the stamp and the parse cache before it refuses
    assert result.returncode == 2, result.stderr
    assert "build/.cache/parsed/cases-2024.json（指向 /dev/zero）等 4 处是链接" in result.stderr
    assert documents(example) == expected


def test_a_linked_site_folder_is_neither_written_nor_cleaned(example, tmp_path):
    outside = precious_folder(tmp_path / "outside")
    (example / "build").mkdir()
    (example / "build" / "site").symlink_to(outside, target_is_directory=True)
    result = build(example, "--today", "2024-12-31")
    assert result.returncode == 2
    assert f"build/site（指向 {outside}）是链接" in result.stderr
    assert "本次没有写入任何文件" in result.stderr
    assert untouched(outside)
    assert not documents(example)


def test_a_linked_document_folder_named_in_the_manifest_is_left_alone(example, tmp_path):
    assert run(example, "build", "--no-site").exit_code == 0
    outside = precious_folder(tmp_path / "outside")
    build_dir = example / "build"
    letters = next(p for p in (build_dir / "2024").iterdir() if p.is_dir())
    for path in letters.iterdir():
        path.unlink()
    letters.rmdir()
    letters.symlink_to(outside, target_is_directory=True)
    manifest = json.loads((build_dir / ".manifest.json").read_text("utf-8"))
    # a stale entry: the build would delete the file it names as an output it no longer makes
    manifest["outputs"][f"2024/{letters.name}/precious.txt"] = {"fingerprint": "x", "hash": "x"}
    (build_dir / ".manifest.json").write_text(json.dumps(manifest), "utf-8")
    for args in (["--no-site"], ["--force", "--no-site"]):
        result = build(example, *args)
        assert result.returncode == 2, result.stderr
        assert f"build/2024/{letters.name}（指向 {outside}）是链接" in result.stderr
        assert untouched(outside)


def test_build_itself_as_a_link_is_refused(example, tmp_path):
    outside = precious_folder(tmp_path / "outside")
    (example / "build").symlink_to(outside, target_is_directory=True)
    result = build(example, "--no-site")
    assert result.returncode == 2
    assert f"build/（指向 {outside}）是链接" in result.stderr
    assert untouched(outside)
    (example / "build").unlink()
    assert build(example, "--no-site").returncode == 0  # as the message says: without the link, it builds


def test_linked_cache_folders_are_neither_written_nor_pruned(example, tmp_path):
    outside = {name: precious_folder(tmp_path / f"outside-{name}") for name in ("parsed", "templates", "previews")}
    similar = precious_folder(tmp_path / "outside-similar")
    cache = example / "build" / ".cache"
    cache.mkdir(parents=True)
    for name, folder in outside.items():
        (cache / name).symlink_to(folder, target_is_directory=True)
    assert build(example, "--today", "2024-12-31").returncode == 2
    for link in outside:  # `similar` keeps its cache in build/ without building: it checks on its own
        (cache / link).unlink()
    (cache / "similar").symlink_to(similar, target_is_directory=True)
    assert subprocess.run([sys.executable, "-m", "proposal_docs", "--root", str(example), "similar", "--title",
                           "关于加强工业园区用电保障的建议"], capture_output=True, timeout=300).returncode == 0
    for folder in [*outside.values(), similar]:
        assert untouched(folder)


def test_links_below_finds_links_without_following_them(tmp_path):
    top = tmp_path / "build"
    (top / "2024" / "答复函").mkdir(parents=True)
    (top / "2024" / "答复函" / "p001.docx").write_bytes(b"x")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "deep").mkdir(parents=True)
    (elsewhere / "deep" / "link").symlink_to("/")
    (top / "2024" / "folder").symlink_to(elsewhere, target_is_directory=True)
    (top / ".stamp").symlink_to("/dev/zero")
    (top / "dangling").symlink_to(tmp_path / "missing")
    assert links_below(top) == [".stamp", "2024/folder", "dangling"]  # nothing inside the linked folder
    assert links_below(top / "2024" / "答复函") == []
    assert links_below(top / "2024" / "folder") == ["."]
    assert links_below(tmp_path / "absent") == []


def test_the_pdf_record_names_only_documents_inside_build(tmp_path):
    state = tmp_path / ".sources.json"
    state.write_text(json.dumps({"2024/答复函/p001.docx": "a:b", "../../home/clerk/thesis.docx": "a:b",
                                 "/etc/passwd.docx": "a:b", "2024/x.docx": 3, "2024/notes.txt": "a:b"}), "utf-8")
    assert read_state(state) == {"2024/答复函/p001.docx": "a:b"}
    state.write_text("[1, 2]", "utf-8")
    assert read_state(state) == {}


def test_serve_serves_nothing_a_link_in_build_leads_to(example, tmp_path):
    """A pull request checked out while serve runs brings build/site/h → a folder of the clerk's and a
    page of its own (serve refuses to start with a link there, below): the rebuild refuses, but the
    running server must not hand the page's script the files the link leads to."""
    from conftest import get, serving, wait_until_served

    outside = precious_folder(tmp_path / "outside")
    assert run(example, "build", "--today", "2024-06-10").exit_code == 0
    with serving(example) as port:
        base = f"http://127.0.0.1:{port}/"
        wait_until_served(base + "2024/index.html")
        (example / "build" / "site" / "h").symlink_to(outside, target_is_directory=True)
        for path in ("h/precious.txt", "h/", "h/p001.docx"):
            assert get(base + path)[0] == 404, path


def test_similar_writes_no_cache_through_build_itself_a_link(example, tmp_path):
    """`similar` keeps its digests and parsed files in build/ without building, so without the build's
    refusal: build/ itself a link must have it keep nothing, as a linked cache folder does."""
    outside = precious_folder(tmp_path / "outside")
    (example / "build").symlink_to(outside, target_is_directory=True)
    result = subprocess.run([sys.executable, "-m", "proposal_docs", "--root", str(example), "similar", "--title",
                             "关于加强工业园区用电保障的建议"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert untouched(outside)


def test_number_opens_no_lock_through_a_link(example, tmp_path):
    """`number` takes the repository lock in build/ before it writes: a committed build/.lock link
    would have it create the file the link names, anywhere."""
    (example / "build").mkdir()
    target = tmp_path / "created-by-the-lock"
    (example / "build" / ".lock").symlink_to(target)
    before = {p: p.read_bytes() for p in (example / "cases").rglob("*.yaml")}
    result = run(example, "number")
    assert result.exit_code == 2 and f"build/.lock（指向 {target}）是链接" in result.stderr
    assert not target.exists()
    assert {p: p.read_bytes() for p in (example / "cases").rglob("*.yaml")} == before


def test_a_manifest_naming_a_folder_as_an_output_does_not_stop_every_build(example):
    """A committed manifest with a stale entry "2024": deleting it failed, before the manifest was
    written again, so every later build failed the same way."""
    assert run(example, "build", "--no-site").exit_code == 0
    manifest_file = example / "build" / ".manifest.json"
    manifest = json.loads(manifest_file.read_text("utf-8"))
    manifest["outputs"]["2024"] = {"fingerprint": "x", "hash": "x"}
    manifest_file.write_text(json.dumps(manifest), "utf-8")
    expected = documents(example)
    for _ in range(2):
        result = run(example, "build", "--no-site", "--force")
        assert result.exit_code == 0, result.stderr
        assert "删除 0 个" in result.output
    assert documents(example) == expected


def test_a_folder_committed_among_the_previews_does_not_stop_every_build(example):
    """Pruning the preview cache unlinked every name it did not need: a committed folder there made
    each build fail, and stay failing."""
    (example / "build" / ".cache" / "previews" / "x").mkdir(parents=True)
    for _ in range(2):
        result = run(example, "build", "--today", "2024-12-31", "--force")
        assert result.exit_code == 0, result.stderr
    assert (example / "build" / "site" / "index.html").is_file()


def test_a_leftover_temporary_folder_does_not_stop_every_build(example):
    """A build that finds no stamp cleans up the temporary files an interrupted one left; a
    temporary folder (a killed `build --pdf` leaves build/pdf/<folder>/.tmp-pdf-…, a pull request
    can commit one) failed that clean-up, so every build after it failed."""
    assert run(example, "build", "--no-site").exit_code == 0
    (example / "build" / ".stamp").unlink()
    leftover = example / "build" / "pdf" / "2024" / ".tmp-pdf-abc" / ".tmp-x"
    leftover.mkdir(parents=True)
    (leftover / "a.pdf").write_bytes(b"%PDF")
    result = run(example, "build", "--no-site")
    assert result.exit_code == 0, result.stderr
    assert not (example / "build" / "pdf" / "2024" / ".tmp-pdf-abc").exists()


def test_a_name_with_a_nul_in_a_committed_manifest_is_dropped(example):
    """os refuses a name holding NUL with ValueError, not OSError: deleting it as a stale output was
    an internal error on every build."""
    assert run(example, "build", "--no-site").exit_code == 0
    manifest_file = example / "build" / ".manifest.json"
    manifest = json.loads(manifest_file.read_text("utf-8"))
    manifest["outputs"]["2024/x\u0000y.docx"] = {"fingerprint": "x", "hash": "x"}
    manifest_file.write_text(json.dumps(manifest), "utf-8")
    result = run(example, "build", "--no-site", "--force")
    assert result.exit_code == 0, result.stderr
    assert read_state_of({"2024/x\u0000y.docx": "a:b"}) == {}


def read_state_of(state: dict) -> dict:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ".sources.json"
        path.write_text(json.dumps(state), "utf-8")
        return read_state(path)


def test_a_committed_letter_and_a_manifest_vouching_for_it_are_not_kept(example):
    """A pull request commits build/ as its author built it, one letter's words changed and the
    manifest given that letter's hash (fingerprints follow from the repository's content alone):
    the clerk's build must render the letter again, not keep words no case file says."""
    from docx import Document
    import hashlib

    from proposal_docs.render.text import document_text

    assert run(example, "build", "--no-site").exit_code == 0
    build_dir = example / "build"
    letter = sorted((build_dir / "2024").rglob("*.docx"))[0]
    rel = letter.relative_to(build_dir).as_posix()
    doc = Document(letter)
    doc.paragraphs[-1].text = "不予支持"
    doc.save(letter)  # as a checkout writes it: another file, stat fields the author's
    manifest = json.loads((build_dir / ".manifest.json").read_text("utf-8"))
    manifest["outputs"][rel].update(hash=hashlib.sha256(letter.read_bytes()).hexdigest(), inode=0, ctime_ns=0)
    (build_dir / ".manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    (build_dir / ".stamp").unlink()
    result = run(example, "build", "--no-site")
    assert result.exit_code == 0, result.stderr
    assert "不予支持" not in document_text(letter)


def test_serve_answers_only_requests_for_this_machine(example):
    """DNS rebinding: a page elsewhere points its own name at 127.0.0.1 and reads the letters as if
    it were local; its requests name that host, and are refused."""
    import http.client

    from conftest import serving, wait_until_served

    assert run(example, "build", "--today", "2024-06-10").exit_code == 0

    def status(port: int, host: str) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", "/index.html", headers={"Host": host})
            return connection.getresponse().status
        finally:
            connection.close()

    with serving(example) as port:
        wait_until_served(f"http://127.0.0.1:{port}/index.html")
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", "LOCALHOST", f"[::1]:{port}"):
            assert status(port, host) == 200, host
        for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1.evil.example:{port}"):
            assert status(port, host) == 403, host


def test_serve_with_a_link_in_build_stops_before_making_anything(example, tmp_path):
    """serve makes build/site before its first build: through a committed build link it would make it
    where the link leads. It stops at once instead, as build does."""
    outside = precious_folder(tmp_path / "outside")
    (example / "build").symlink_to(outside, target_is_directory=True)
    result = subprocess.run([sys.executable, "-m", "proposal_docs", "--root", str(example), "serve", "--port", "0"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert f"build/（指向 {outside}）是链接" in result.stderr
    assert untouched(outside)
