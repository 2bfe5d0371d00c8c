"""The ``docgen`` command group: catches every DocgenError in one place and exits.

Exit codes: 0 done (an ineligible or low score is still 0); 1 the input has errors; 2 wrong usage.
The commands live in the modules beside this one; each imports what it needs when it runs.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from docgen.cli import chinese

chinese.install()  # before the commands are declared: click names their types as they are made

from docgen.cli import (  # noqa: E402
    data_command,
    program_commands,
    review_command,
    serve_command,
    submission_commands,
    users_command,
)
from docgen.cli.output import EXIT_INPUT, echo, print_error, print_usage_error  # noqa: E402
from docgen.errors import DocgenError  # noqa: E402
from docgen.text.commands import HELP, SAY, USAGE  # noqa: E402


class _Group(click.Group):
    """Catches DocgenError (and unexpected errors) in one place; prints click's usage errors in
    Chinese through cli.output (standalone mode: what a user at the terminal sees)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if not kwargs.get("standalone_mode", True):
            return super().main(*args, **kwargs)
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click.ClickException as exc:
            print_usage_error(exc)
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            echo(SAY["aborted"], err=True)
            sys.exit(EXIT_INPUT)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except DocgenError as exc:
            print_error(exc)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:  # the reader went away (`docgen … | head`): nothing to report
            sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - keep Python quiet at exit
            ctx.exit(0)
        except Exception as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            echo(SAY["internal"].format(name=type(exc).__name__, detail=exc), err=True)
            echo(SAY["internal.hint"], err=True)
            ctx.exit(EXIT_INPUT)


@click.group(cls=_Group, help=HELP["cli"])
@click.option("--debug", is_flag=True, help=HELP["debug"])
@click.version_option(package_name="docgen")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """The group: remembers --debug for the error handler."""
    ctx.obj = {"debug": debug}


cli.options_metavar = USAGE["options_metavar"]
cli.subcommand_metavar = USAGE["subcommand_metavar"]
for _module in (
    program_commands,
    submission_commands,
    review_command,
    serve_command,
    users_command,
    data_command,
):
    for _command in _module.COMMANDS:
        _command.options_metavar = USAGE["options_metavar"]
        if isinstance(_command, click.Group):
            _command.subcommand_metavar = USAGE["subcommand_metavar"]
            for _sub in _command.commands.values():
                _sub.options_metavar = USAGE["options_metavar"]
        cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="docgen")


if __name__ == "__main__":
    main()
