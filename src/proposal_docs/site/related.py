"""往年相似提案 on a case page: the three cases of earlier years most like it, with links."""

from __future__ import annotations

from pathlib import Path

from ..engine.plan import KIND_WORD
from ..model.repository import Repository
from ..rules.comparable import comparable


def similar_links(repo: Repository, href) -> dict[str, list[dict]]:
    """By case file: [{"href", "title", "label", "percent"}], best first; href(*parts) makes a
    relative link from a case page (site/<year>/cases/) to another one."""
    if len(repo.years) < 2:  # no earlier year to look in: numpy and scipy are not even loaded
        return {}
    items = [comparable(item, year) for year in repo.years.values() for item in year.cases]
    from ..rules.similarity import build_index, earlier_years_alike

    links: dict[str, list[dict]] = {}
    for rel, matches in earlier_years_alike(build_index(items)).items():
        links[rel] = [{"href": href("../..", str(m.item.year), "cases", Path(m.item.rel).stem + ".html"),
                       "title": m.item.title, "percent": m.percent,
                       "label": f"{m.item.year}年{KIND_WORD[m.item.body]}第{m.item.number}号"
                                + (f"（{m.item.category}类）" if m.item.category else "")}
                      for m in matches]
    return links
