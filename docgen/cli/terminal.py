"""EDGE: score cards and evidence as rich tables on the terminal (called only by the CLI).

Every value shown passes through ``_text``: company, item and file names, messages and notes are
user or definition text, and reach rich neither as markup (``[/]`` would crash the table,
``[link=…]`` would hide a hyperlink) nor with terminal control characters.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, JustifyMethod
from rich.markup import escape
from rich.table import Table

from docgen.cli.output import visible
from docgen.model.results import ScoreCard
from docgen.model.review import Review
from docgen.numbers import fmt_fixed
from docgen.outputs.objects import industry_parts, score_rows
from docgen.text.commands import SAY
from docgen.text.labels import STATUS, TEXT


def _text(value: object) -> str:
    """Returns a value as rich markup that shows it as typed: control characters made visible,
    square brackets escaped."""
    return escape(visible(str(value)))


def _shown(value: object) -> object:
    """Returns a value for a table: an undefined one (a ratio whose proved denominator is 0) as —."""
    return "—" if value is None else value


def print_programs(rows: list[dict[str, Any]], console: Console | None = None) -> None:
    """Prints the defined programs: id, title, source, kinds, deadline and quota."""
    id_title, *titles = SAY["programs_columns"].split("|")
    table = Table(title=SAY["programs_title"], show_lines=True)
    table.add_column(id_title, no_wrap=True)
    for header in titles:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*[_text(row[key]) for key in ("id", "title", "seed", "kind", "deadline", "quota")])
    (console or Console()).print(table)


def print_score(card: ScoreCard, console: Console | None = None) -> None:
    """Prints the self-evaluation table grouped like the notice's form, then totals and notes."""
    console = console or Console()
    label = TEXT["reference_label"] if card.reference else TEXT["total_label"]
    title = _text(f"{card.program.title} 自评表 — {card.company}（{card.report_year} 年度）")
    table = Table(title=title, show_lines=False, expand=False)
    table.add_column("序号", justify="right")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("一级指标", "left"),
        ("二级指标", "left"),
        ("三级指标", "left"),
        ("数据值", "right"),
        ("评价值", "right"),
        ("权重", "right"),
        ("得分", "right"),
    )
    for header, justify in columns:
        table.add_column(header, justify=justify, overflow="fold")
    results = [*card.indicators, *card.bonus]
    for index, row in enumerate(score_rows(card), 1):
        table.add_row(str(index), *map(_text, row))
    table.add_section()
    table.add_row("", "", "", "基本分", "", "", "", fmt_fixed(card.base_score))
    table.add_row("", "", "", "加分", "", "", "", fmt_fixed(card.bonus_score))
    table.add_row("", "", "", f"[bold]{label}[/bold]", "", "", "", f"[bold]{fmt_fixed(card.total)}[/bold]")
    console.print(table)
    console.print("[bold]计分过程[/bold]")
    for index, result in enumerate(results, 1):
        console.print(_text(f"{index}. {result.title}：{result.explanation}"), highlight=False)
    industry = industry_parts(card)
    if industry is not None:
        console.print(_text(TEXT["industry"].format(code=industry[0], name=industry[1])))
    for e in card.eligibility:
        mark = "[green]✓[/green]" if e.passed else "[red]✗[/red]"
        console.print(f"{mark} {_text(e.title)}：{_text(e.detail)}")
    if not card.complete:
        console.print("[yellow]部分数据缺失，总分不完整。[/yellow]")
    for warning in dict.fromkeys(card.warnings):
        console.print(f"[yellow]警告：[/yellow]{_text(warning)}")
    if card.reference:
        console.print(f"[dim]{_text(TEXT['reference_explained'])}[/dim]")
    for index, note in enumerate(card.notes, 1):
        console.print(f"[dim]说明{index}：{_text(note)}[/dim]")


def print_evidence(data: dict[str, Any], console: Console | None = None) -> None:
    """Prints the document statuses, the shortfalls and claimed vs evidenced totals."""
    console = console or Console()
    table = Table(title="证明材料核对")
    for header in ("类别", "材料", "文件", "页数", "状态"):
        table.add_column(header)
    for doc in data["documents"]:
        status = STATUS.get(doc["status"], doc["status"])
        colour = "green" if doc["status"] in ("ok", "no-text") else "red"
        table.add_row(
            _text(doc["group"]),
            _text(doc["title"]),
            _text(doc["file"] or "—"),
            _text(doc["pages"] or "—"),
            f"[{colour}]{_text(status)}[/{colour}]",
        )
    console.print(table)
    if data["shortfalls"]:
        short = Table(title="证明不足的指标（核减）")
        for header in ("指标", "填报值", "有证明值", "得分影响"):
            short.add_column(header)
        for s in data["shortfalls"]:
            short.add_row(
                _text(s["label"]),
                _text(_shown(s["claimed"])),
                _text(_shown(s["evidenced"])),
                f"{s['score_effect']:+.2f}",
            )
        console.print(short)
    console.print(f"自评分 {data['claimed_total']:.2f}，核定分 {data['evidenced_total']:.2f}")


def print_review(review: Review, console: Console | None = None) -> None:
    """Prints the review as a table: rank, company, totals, eligibility, recommendation."""
    from docgen.outputs.summary import cell_text, numbered, summary_columns, summary_notes, summary_rows

    console = console or Console()
    table = Table(title=_text(f"{review.program.title} 评审汇总"))
    shown = ("index", "company", "claimed", "evidenced", "eligible", "rank", "opinion")
    columns = summary_columns(review)
    keys = [c.key for c in columns]
    titles = [c.title for c in columns]
    for key in shown:
        table.add_column(
            _text(titles[keys.index(key)].replace("\n", "")),
            overflow="fold",
            no_wrap=key in ("index", "claimed", "evidenced", "rank"),
        )
    for row in summary_rows(review):
        cells = [_text(cell_text(c, v)) for c, v in zip(columns, row, strict=True)]
        table.add_row(*[cells[keys.index(key)] for key in shown])
    console.print(table)
    broken = sum(1 for r in review.rows if r.broken)
    recommended = sum(1 for r in review.rows if r.recommended)
    console.print(f"共 {len(review.rows)} 份，未予评审 {broken} 份，推荐 {recommended} 份。")
    for reviewed in review.rows:  # what stopped each broken one, so the reviewer need not open it
        if reviewed.broken and reviewed.prepared.errors:
            first = reviewed.prepared.errors[0].message
            line = SAY["review_broken_first"].format(folder=reviewed.prepared.folder, message=first)
            console.print(_text(line), highlight=False)
    if review.warnings:
        console.print(_text(SAY["review_warnings_title"]))
        for warning in review.warnings:
            console.print(_text(f"  {warning}"), highlight=False)
    for note in numbered(summary_notes(review)):
        console.print(f"[dim]{_text(note)}[/dim]", highlight=False)
