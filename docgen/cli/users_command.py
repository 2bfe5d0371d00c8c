"""``docgen users add``: platform accounts (SPEC §11)."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli.output import echo
from docgen.errors import DocgenError, UsageError
from docgen.text.web import USERS


@click.group(help=USERS["help"])
def users() -> None:
    """docgen users: the platform's accounts."""


@users.command("add", help=USERS["add"])
@click.argument("name")
@click.option(
    "--role", required=True, type=click.Choice(["enterprise", "reviewer", "admin"]), help=USERS["role"]
)
@click.option("--region", default="", help=USERS["region"])
@click.option("--programs", default="", help=USERS["programs"])
@click.option("--data", "data", type=click.Path(path_type=Path, file_okay=False), help=USERS["data"])
@click.option("--password-file", type=click.Path(path_type=Path, dir_okay=False), help=USERS["password_file"])
def add(
    name: str, role: str, region: str, programs: str, data: Path | None, password_file: Path | None
) -> None:
    """docgen users add NAME --role …: one account, its password from the terminal or a file."""
    from docgen.web.accounts import add_user
    from docgen.web.errors import WebError
    from docgen.web.settings import Settings, default_data_folder
    from docgen.web.workspace import Workspace

    if password_file is not None:
        try:
            password = (
                password_file.read_text("utf-8").splitlines()[0] if password_file.stat().st_size else ""
            )
        except (OSError, UnicodeDecodeError, IndexError):
            raise UsageError(USERS["password_unreadable"].format(path=password_file)) from None
    else:
        password = click.prompt(USERS["prompt"], hide_input=True, confirmation_prompt=USERS["again"])
    ws = Workspace(Settings(data=data or default_data_folder(), platform=True))
    try:
        user = add_user(ws, name, role, password, region, tuple(p for p in programs.split(",") if p))
    except WebError as exc:
        raise DocgenError(exc.message) from None
    finally:
        ws.engine.dispose()
    echo(USERS["added"].format(name=user.name, role=USERS[f"role.{user.role}"], region=user.region or "—"))


COMMANDS = (users,)
