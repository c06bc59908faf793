"""Every kind of input in tests/bad_inputs/ ends in correct documents or one clear Chinese message.

For refused input: the expected exit code, the file and field named, no traceback, and every
document of the earlier build byte for byte as it was.
"""

import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT_ROOT, run
from proposal_docs.sample import generate

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
KINDS = sorted(p.stem for p in CORPUS.glob("*.yaml"))


def apply(root: Path, step: dict) -> None:
    (op, arg), = step.items()
    if op == "replace":
        path = root / arg["path"]
        text = path.read_text(encoding="utf-8")
        assert arg["old"] in text, arg
        path.write_text(text.replace(arg["old"], arg["new"], 1), encoding="utf-8")
    elif op == "append":
        path = root / arg["path"]
        path.write_text(path.read_text(encoding="utf-8") + arg["text"] * arg.get("repeat", 1), encoding="utf-8")
    elif op == "write":  # a new folder too: the example has no templates/ of its own
        (root / arg["path"]).parent.mkdir(parents=True, exist_ok=True)
        (root / arg["path"]).write_text(arg["text"], encoding="utf-8")
    elif op == "write_bytes":
        (root / arg["path"]).parent.mkdir(parents=True, exist_ok=True)
        (root / arg["path"]).write_bytes(arg["text"].encode(arg["encoding"]))
    elif op == "delete":
        target = root / arg
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    elif op == "make_file":
        (root / arg).parent.mkdir(parents=True, exist_ok=True)
        (root / arg).write_text("占位", encoding="utf-8")
    elif op == "bom_crlf":
        path = root / arg
        path.write_bytes(b"\xef\xbb\xbf" + path.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))
    elif op == "copy":  # to_bytes: the name's characters are its bytes (a name that is not UTF-8)
        target = os.fsdecode(arg["to"].encode("latin-1")) if arg.get("to_bytes") else arg["to"]
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / arg["from"], root / target)
    elif op == "link_outside":  # a symbolic link to a copy of a file placed beside the repository
        outside = root.parent / "outside.yaml"
        shutil.copy2(root / arg["copy_of"], outside)
        (root / arg["path"]).symlink_to(outside)
    elif op == "generate":
        generate(root, arg["count"], PROJECT_ROOT, first=arg["first"])
    else:
        raise AssertionError(f"unknown patch step {op}")


def outputs(root: Path) -> dict[str, str]:
    build = root / "build"
    if not build.is_dir():
        return {}
    return {p.relative_to(build).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in build.rglob("*.docx") if not p.name.startswith(".")}


def test_corpus_is_large_enough():
    refused = [k for k in KINDS if not k.startswith("accepted_")]
    assert len(refused) >= 30 and len(KINDS) - len(refused) >= 3


@pytest.mark.parametrize("kind", KINDS)
def test_bad_input(example, kind):
    spec = yaml.safe_load((CORPUS / f"{kind}.yaml").read_text(encoding="utf-8"))
    assert run(example, "build", "--no-site").exit_code == 0  # the earlier outputs
    for step in spec["patch"]:
        apply(example, step)
    earlier = outputs(example)
    for command in spec["run"]:
        result = run(example, *command["command"])
        said = result.output + result.stderr
        assert result.exit_code == command["exit"], f"{kind} {command['command']}: {said[-800:]}"
        assert "Traceback" not in said and "内部错误" not in said, said[-800:]
        if spec.get("accepted"):
            continue
        expect = command.get("expect", spec["expect"])  # a command may say what it shows instead
        lines = [line for line in said.splitlines() if expect["text"] in line]
        assert lines, f"{kind}: {expect['text']!r} not in {said[-800:]}"
        if "file" in expect:
            assert any(expect["file"] in line for line in lines), f"{kind}: {expect['file']} not in {lines}"
        if "field" in expect:
            assert any(f" {expect['field']}：" in line for line in lines), f"{kind}: {expect['field']} not in {lines}"
        assert outputs(example) == earlier, f"{kind}: an earlier output changed"
