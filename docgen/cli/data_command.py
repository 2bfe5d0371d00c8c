"""``docgen data backup`` / ``docgen data restore``: a server's data (docs/deploy.md)."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli.output import echo
from docgen.text.web import BACKUP

_DATA = click.option("--data", "data", type=click.Path(path_type=Path, file_okay=False), help=BACKUP["data"])


@click.group(help=BACKUP["help"])
def data() -> None:
    """docgen data: the server's data folder."""


@data.command("backup", help=BACKUP["backup"])
@click.argument("target", type=click.Path(path_type=Path))
@_DATA
def backup_command(target: Path, data: Path | None) -> None:
    """docgen data backup TARGET [--data DIR]."""
    from docgen.web.backup import backup
    from docgen.web.settings import Settings, default_data_folder

    done = backup(Settings(data=data or default_data_folder()), target)
    echo(BACKUP["done_backup"].format(path=target, **vars(done)))


@data.command("restore", help=BACKUP["restore"])
@click.argument("source", type=click.Path(path_type=Path, file_okay=False, exists=True))
@_DATA
def restore_command(source: Path, data: Path | None) -> None:
    """docgen data restore SOURCE [--data DIR]."""
    from docgen.web.backup import restore
    from docgen.web.settings import Settings, default_data_folder

    done = restore(Settings(data=data or default_data_folder()), source)
    echo(BACKUP["done_restore"].format(**vars(done)))


COMMANDS = (data,)
