"""往年相似提案 on a case page: the three cases of earlier years most like it, with links."""

from __future__ import annotations

from pathlib import Path

from ..engine.plan import KIND_WORD
from ..model.repository import Repository


def similar_links(repo: Repository, href) -> dict[str, list[dict]]:
    """By case file: [{"href", "title", "label", "percent"}], best first; href(*parts) makes a
    relative link from a case page (site/<year>/cases/) to another one."""
    if len(repo.years) < 2:  # no earlier year to look in: numpy and scipy are not even loaded
        return {}
    items = list(repo.all_cases())
    from ..rules.similarity import build_index, earlier_years_alike

    links: dict[str, list[dict]] = {}
    for rel, matches in earlier_years_alike(build_index(items)).items():
        links[rel] = [{"href": href("../..", str(m.year), "cases", Path(m.item.rel).stem + ".html"),
                       "title": m.item.case.title, "percent": m.percent,
                       "label": f"{m.year}年{KIND_WORD[m.item.case.body]}第{m.item.case.number}号"
                                + (f"（{m.item.case.reply.category}类）" if m.item.case.reply and m.item.case.reply.category else "")}
                      for m in matches]
    return links
