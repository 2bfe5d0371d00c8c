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
from docgen.text.cli_text import CLI_TEXT
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
    title = _text(
        CLI_TEXT["terminal.score.title"].format(
            title=card.program.title, company=card.company, report_year=card.report_year
        )
    )
    table = Table(title=title, show_lines=False, expand=False)
    table.add_column(CLI_TEXT["terminal.score.index"], justify="right")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        (CLI_TEXT["terminal.score.level1"], "left"),
        (CLI_TEXT["terminal.score.level2"], "left"),
        (CLI_TEXT["terminal.score.level3"], "left"),
        (CLI_TEXT["terminal.score.data_value"], "right"),
        (CLI_TEXT["terminal.score.evaluated"], "right"),
        (CLI_TEXT["terminal.score.weight"], "right"),
        (CLI_TEXT["terminal.score.score"], "right"),
    )
    for header, justify in columns:
        table.add_column(header, justify=justify, overflow="fold")
    results = [*card.indicators, *card.bonus]
    for index, row in enumerate(score_rows(card), 1):
        table.add_row(str(index), *map(_text, row))
    table.add_section()
    table.add_row("", "", "", CLI_TEXT["terminal.score.base_row"], "", "", "", fmt_fixed(card.base_score))
    table.add_row("", "", "", CLI_TEXT["terminal.score.bonus_row"], "", "", "", fmt_fixed(card.bonus_score))
    table.add_row("", "", "", f"[bold]{label}[/bold]", "", "", "", f"[bold]{fmt_fixed(card.total)}[/bold]")
    console.print(table)
    console.print(CLI_TEXT["terminal.score.process_heading"])
    for index, result in enumerate(results, 1):
        console.print(
            _text(
                CLI_TEXT["terminal.score.explanation"].format(
                    index=index, title=result.title, explanation=result.explanation
                )
            ),
            highlight=False,
        )
    industry = industry_parts(card)
    if industry is not None:
        console.print(_text(TEXT["industry"].format(code=industry[0], name=industry[1])))
    for e in card.eligibility:
        mark = "[green]✓[/green]" if e.passed else "[red]✗[/red]"
        console.print(
            CLI_TEXT["terminal.score.eligibility_line"].format(
                mark=mark, title=_text(e.title), detail=_text(e.detail)
            )
        )
    if not card.complete:
        console.print(CLI_TEXT["terminal.score.incomplete"])
    for warning in dict.fromkeys(card.warnings):
        console.print(CLI_TEXT["terminal.score.warning"].format(warning=_text(warning)))
    if card.reference:
        console.print(f"[dim]{_text(TEXT['reference_explained'])}[/dim]")
    for index, note in enumerate(card.notes, 1):
        console.print(CLI_TEXT["terminal.score.note"].format(index=index, note=_text(note)))


def _table(title: str, *headers: str) -> Table:
    """Returns a table titled and headed by the CLI texts of these keys."""
    table = Table(title=CLI_TEXT[title])
    for header in headers:
        table.add_column(CLI_TEXT[header])
    return table


def print_evidence(data: dict[str, Any], console: Console | None = None) -> None:
    """Prints the document statuses, the shortfalls and claimed vs evidenced totals."""
    console = console or Console()
    table = _table(
        "terminal.evidence.documents_title",
        "terminal.evidence.group",
        "terminal.evidence.document",
        "terminal.evidence.file",
        "terminal.evidence.pages",
        "terminal.evidence.status",
    )
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
        short = _table(
            "terminal.evidence.shortfalls_title",
            "terminal.evidence.shortfall_indicator",
            "terminal.evidence.shortfall_claimed",
            "terminal.evidence.shortfall_evidenced",
            "terminal.evidence.shortfall_effect",
        )
        for s in data["shortfalls"]:
            short.add_row(
                _text(s["label"]),
                _text(_shown(s["claimed"])),
                _text(_shown(s["evidenced"])),
                f"{s['score_effect']:+.2f}",
            )
        console.print(short)
    console.print(
        CLI_TEXT["terminal.evidence.totals"].format(
            claimed_total=data["claimed_total"], evidenced_total=data["evidenced_total"]
        )
    )


def print_review(review: Review, console: Console | None = None) -> None:
    """Prints the review as a table: rank, company, totals, eligibility, recommendation."""
    from docgen.outputs.summary import cell_text, numbered, summary_columns, summary_notes, summary_rows

    console = console or Console()
    table = Table(title=_text(CLI_TEXT["terminal.review.title"].format(title=review.program.title)))
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
    console.print(
        CLI_TEXT["terminal.review.counts"].format(
            total=len(review.rows), broken=broken, recommended=recommended
        )
    )
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
