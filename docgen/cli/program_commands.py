"""The commands on programs: programs, init, forms, templates export; convert (answers files)."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli.output import echo, emit_json
from docgen.text.commands import HELP, SAY
from docgen.text.punctuation import ENUM_COMMA


@click.command(help=HELP["programs"])
@click.option("--json", "as_json", is_flag=True, help=HELP["json"])
def programs(as_json: bool) -> None:
    """docgen programs: the defined programs as a table, or JSON."""
    from docgen.app.programs import program_rows
    from docgen.definitions.load import load_catalog

    rows = program_rows(load_catalog())
    if as_json:
        emit_json(rows)
        return
    from docgen.cli.terminal import print_programs

    print_programs(rows)


@click.command(help=HELP["init"])
@click.argument("program")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--xlsx", "as_xlsx", is_flag=True, help=HELP["init_xlsx"])
def init(program: str, directory: Path, as_xlsx: bool) -> None:
    """docgen init: the commented answers.yaml skeleton of a program (or the answers.xlsx)."""
    from docgen.definitions.load import load_catalog

    if as_xlsx:
        from docgen.app.convert import write_workbook_skeleton

        target = write_workbook_skeleton(load_catalog(), program, directory)
    else:
        from docgen.app.programs import write_skeleton

        target = write_skeleton(load_catalog(), program, directory)
    echo(SAY["written"].format(path=target))


@click.command(help=HELP["convert"])
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("target", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--program", "program_id", help=HELP["program"])
@click.option("--force", is_flag=True, help=HELP["force"])
def convert(source: Path, target: Path, program_id: str | None, force: bool) -> None:
    """docgen convert: answers between .yaml, .json and .xlsx."""
    from docgen.app.convert import convert_answers, other_answers
    from docgen.definitions.load import load_catalog

    written = convert_answers(load_catalog(), source, target, force=force, program_id=program_id)
    echo(SAY["written"].format(path=written))
    others = other_answers(written)
    if others:
        names = ENUM_COMMA.join([written.name, *others])
        echo(SAY["convert_two"].format(folder=written.parent, names=names), err=True)


@click.command(help=HELP["forms"])
@click.argument("program", required=False)
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help=HELP["output"],
)
@click.option("--all", "all_programs", is_flag=True, help=HELP["all"])
@click.option("--fill", "submission", type=click.Path(path_type=Path), help=HELP["fill"])
def forms(program: str | None, out: Path, all_programs: bool, submission: Path | None) -> None:
    """docgen forms: the notice's attachments, blank or filled with one submission."""
    from docgen.app.programs import write_forms
    from docgen.app.submission import open_submission, require_program
    from docgen.definitions.load import load_catalog
    from docgen.errors import UsageError

    catalog = load_catalog()
    if all_programs == bool(program):
        raise UsageError(
            SAY["forms_one_or_all"],
            hint=SAY["programs_hint"].format(programs=ENUM_COMMA.join(catalog.programs)),
        )
    if program:
        require_program(catalog, program)
    if submission is not None and all_programs:
        raise UsageError(SAY["fill_one_program"])
    fill = open_submission(submission, program, catalog) if submission is not None else None
    targets = [program] if program else list(catalog.programs)
    for path in write_forms(catalog, targets, out, per_program=all_programs, fill=fill):
        echo(SAY["written"].format(path=path))


@click.group(help=HELP["templates"])
def templates() -> None:
    """docgen templates: the default Word templates."""


@templates.command("export", help=HELP["templates_export"])
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def templates_export(directory: Path) -> None:
    """docgen templates export: copies the default templates, never over a file."""
    from docgen.app.programs import export_templates

    written, skipped = export_templates(directory)
    for path in skipped:
        echo(SAY["skipped_existing"].format(path=path))
    for path in written:
        echo(SAY["written"].format(path=path))
    echo(SAY["templates_next"])


COMMANDS = (programs, init, forms, templates, convert)
