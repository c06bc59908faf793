"""Patched template sources kept in build/.cache/templates: used only for the very bytes they were
made from, only when signed with the user's own key, and never changing a document."""

from __future__ import annotations

import hashlib

import pytest

from conftest import own_template, run
from proposal_docs.engine.plan import TEMPLATES
from proposal_docs.engine.signing import cache_key, sign, verified
from proposal_docs.engine.templatecache import PatchedSources
from proposal_docs.render import docx
from proposal_docs.render.batch import Templates
from proposal_docs.render.text import document_text


@pytest.fixture
def patching(monkeypatch):
    """The hash of each template docxtpl is asked to patch."""
    opened = []
    original = docx._patcher

    def counted(content):
        opened.append(hashlib.sha256(content).hexdigest())
        return original(content)

    monkeypatch.setattr(docx, "_patcher", counted)
    return opened


def test_a_second_build_patches_no_template(example, patching):
    first = Templates().get(example, TEMPLATES)
    assert len(patching) == len(TEMPLATES)
    assert sorted(p.name for p in (example / "build" / ".cache" / "templates").iterdir()) == sorted(
        f"{name}.json" for name in TEMPLATES)
    patching.clear()
    again = Templates().get(example, TEMPLATES)
    assert patching == []
    for name in TEMPLATES:
        assert again[name].patched == first[name].patched and again[name].sources == first[name].sources


def test_the_documents_are_the_same_with_kept_sources(example, tmp_path):
    assert run(example, "build", "--no-site").exit_code == 0
    first = {p.relative_to(example / "build"): p.read_bytes() for p in (example / "build").rglob("*.docx")}
    assert run(example, "build", "--no-site", "--force").exit_code == 0  # every template from the kept sources
    again = {p.relative_to(example / "build"): p.read_bytes() for p in (example / "build").rglob("*.docx")}
    assert first and again == first


def _forge(example, name: str, key: bytes, edit) -> None:
    path = example / "build" / ".cache" / "templates" / f"{name}.json"
    kept = PatchedSources(example / "build")
    signed_for = kept._signed_for(name)
    body = verified(cache_key(), path.read_bytes(), signed_for)
    assert body is not None
    forged = edit(body)
    assert forged != body
    path.write_bytes(sign(key, forged, signed_for))


@pytest.mark.parametrize("key", ["another user's", "no signature change"])
def test_a_forged_source_is_never_rendered(example, key):
    """A pull request can commit build/: a Jinja source in it changed by hand, or signed with
    someone else's key, is not believed — the template is patched again from its own bytes."""
    assert run(example, "build", "--no-site").exit_code == 0
    letter = next((example / "build" / "2024" / "答复函").glob("*.docx"))
    before = document_text(letter)
    path = example / "build" / ".cache" / "templates" / "reply.json"
    if key == "another user's":
        _forge(example, "reply", b"k" * 32, lambda body: body.replace("答复".encode(), "伪造".encode()))
    else:
        data = path.read_bytes()
        assert "答复".encode() in data
        path.write_bytes(data.replace("答复".encode(), "伪造".encode()))
    assert run(example, "build", "--no-site", "--force").exit_code == 0
    assert document_text(letter) == before and "伪造" not in document_text(letter)


def test_sources_kept_for_other_bytes_are_not_used(example, patching):
    """A kept entry names the hash of the bytes it was patched from; another template is patched."""
    Templates().get(example, ["reply"])
    template = own_template(example, "reply")
    template.write_bytes(template.read_bytes() + b"\0")
    patching.clear()
    got = Templates().get(example, ["reply"])["reply"]
    assert patching == [hashlib.sha256(template.read_bytes()).hexdigest()]
    kept = PatchedSources(example / "build").get("reply", hashlib.sha256(template.read_bytes()).hexdigest())
    assert kept == got.patched
