"""The parse cache gives back exactly what YAML reading made of a file: the same values, the same
types (an unquoted scalar stays unquoted, so its field still decides what it means), the same marks."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from hypothesis import given, strategies as st

from proposal_docs.engine.parsecache import ParseCache
from proposal_docs.model.loading import Source
from proposal_docs.model.scalars import Plain

text = st.text(max_size=12)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text,
                    text.map(Plain), st.dates(), st.datetimes(), st.binary(max_size=8))
keys = st.one_of(text, text.map(Plain), st.integers(), st.dates())
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(keys, inner, max_size=4)), max_leaves=20)


def typed(value):
    """A value with the type of every part spelled out: Plain and str are equal as strings."""
    if isinstance(value, list):
        return ["list", [typed(v) for v in value]]
    if isinstance(value, dict):
        return ["dict", [(typed(k), typed(v)) for k, v in value.items()]]
    return [type(value).__name__, value]


@given(data=values)
def test_what_is_put_is_what_is_got_back_in_the_next_build(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("parsed")
    key = b"k" * 32
    source = Source.from_text("cases/2024/p001.yaml", "", [])
    cache = ParseCache(folder, key)
    cache.put("cases/2024/p001.yaml", "digest", (data, source))
    cache.save()
    got = ParseCache(folder, key).get("cases/2024/p001.yaml", "digest")
    assert got is not None
    assert typed(got[0]) == typed(data)
    assert got[1].path == source.path


def test_an_entry_of_another_content_is_not_given_back(tmp_path: Path):
    cache = ParseCache(tmp_path, b"k" * 32)
    cache.put("cases/2024/p001.yaml", "one", ({"n": dt.date(2024, 3, 1)}, Source.from_text("p", "", [])))
    cache.save()
    assert ParseCache(tmp_path, b"k" * 32).get("cases/2024/p001.yaml", "two") is None


def test_a_file_name_with_a_line_break_is_parsed_each_time_and_the_rest_stay_cached(example):
    """A shard holds a line per file: a name with a tab or a line break is left out of it (parsed
    again on every build), and does not cost the other files of its year their entries."""
    from conftest import run

    odd = example / "cases" / "2024" / "p009\ncopy.yaml"
    odd.write_bytes((example / "cases" / "2024" / "p009.yaml").read_bytes().replace(b"number: 9", b"number: 99")
                    .replace("〔2024〕2号".encode(), "〔2024〕99号".encode()))
    assert run(example, "build", "--no-site").exit_code == 0
    cache = ParseCache(example / "build" / ".cache" / "parsed")
    for path in sorted((example / "cases" / "2024").glob("*.yaml")):
        rel = f"cases/2024/{path.name}"
        found = cache.get(rel, hashlib.sha256(path.read_bytes()).hexdigest())
        assert (found is None) == ("\n" in path.name), rel
