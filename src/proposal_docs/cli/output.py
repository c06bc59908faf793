"""How results look on a terminal (rich tables) and in logs (plain lines)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ..model.findings import Finding, to_github, to_json

if TYPE_CHECKING:  # rich, and status with its models (pydantic), only where used: `similar` needs neither
    from rich.console import Console

    from ..commands.status import Status


def print_findings(console: Console, findings: list[Finding], fmt: str) -> None:
    if fmt == "json":
        click.echo(to_json(findings))
    elif fmt == "github":
        if findings:
            click.echo(to_github(findings))
    elif console.is_terminal and findings:
        from rich.table import Table

        table = Table()
        table.add_column("位置", no_wrap=True)  # file:line:column must stay whole to be clickable
        table.add_column("字段", overflow="fold")
        table.add_column("级别", no_wrap=True)
        table.add_column("说明", overflow="fold")
        for f in findings:
            table.add_row(f.location(), f.field, "[red]错误[/]" if f.is_error else "[yellow]警告[/]", f.message)
        console.print(table)
    else:
        for f in findings:
            click.echo(f.as_text())


def print_status(console: Console, report: Status, on) -> None:
    from rich.table import Table

    from ..commands.status import describe

    table = Table(title=f"未办结案件（{on.isoformat()}）")
    for header in ("期限", "剩余天数", "状态", "案件", "案由", "文件"):
        table.add_column(header)
    for row in report.open_rows:
        days = f"{row.days_left}" if row.days_left >= 0 else f"超期 {-row.days_left}"
        table.add_row(row.due.isoformat(), days, row.state_label, describe(row.item), row.item.case.title, row.item.rel)
    console.print(table)
    if report.returned:
        returned = Table(title="已退办")
        for header in ("退办日期", "案件", "案由", "理由", "建议承办单位", "文件"):
            returned.add_column(header)
        for item in report.returned:
            back = item.case.returned
            returned.add_row(back.date.isoformat(), describe(item), item.case.title, back.reason, back.to or "", item.rel)
        console.print(returned)
    if report.unnumbered:
        numbers = Table(title="已发出但未编文号")
        for header in ("日期", "文书", "案件", "文件"):
            numbers.add_column(header)
        for date, letter, item in report.unnumbered:
            numbers.add_row(date.isoformat(), letter, describe(item), item.rel)
        console.print(numbers)
    console.print("  ".join(f"{k} {v}" for k, v in report.totals.items()), markup=False)


def print_similar(found: list, about: str) -> None:
    """similar: a short block per case, best first (commands.similar.Row); reads in any width."""
    if not found:
        click.echo(f"没有找到与“{about}”相似的案件。")
        return
    click.echo(f"与“{about}”相似的案件：")
    for n, row in enumerate(found, 1):
        number = f"；{row.doc_number}" if row.doc_number else ""
        click.echo(f"{n}. {row.title}（相似度 {row.percent}%）\n"
                   f"   {row.year}年 {row.session}第{row.number}号；{row.outcome}{number}\n   {row.file}")
