"""The ``docgen`` command group: catches every DocgenError in one place and exits.

Exit codes: 0 done (an ineligible or low score is still 0); 1 the input has errors; 2 wrong usage.
The commands live in the modules beside this one; each imports what it needs when it runs.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from docgen.cli import program_commands, review_command, submission_commands
from docgen.cli.output import EXIT_INPUT, echo, print_error
from docgen.errors import DocgenError
from docgen.text.commands import HELP, SAY


class _Group(click.Group):
    """Catches DocgenError (and unexpected errors) in one place."""

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


for _module in (program_commands, submission_commands, review_command):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="docgen")


if __name__ == "__main__":
    main()
