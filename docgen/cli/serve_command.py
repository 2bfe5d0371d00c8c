"""``docgen serve``: the web workspace (SPEC §10) on this machine."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import click

from docgen.cli.output import echo
from docgen.errors import UsageError
from docgen.text.web import ERRORS, SERVE

MAX_DEFAULT_WORKERS = 4  # worker processes by default: one a core, at most this many


def is_loopback(host: str) -> bool:
    """Returns whether ``host`` names this machine only (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command(help=SERVE["help"])
@click.option("--data", "data", type=click.Path(path_type=Path, file_okay=False), help=SERVE["data"])
@click.option("--host", default="127.0.0.1", show_default=True, help=SERVE["host"])
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help=SERVE["port"])
@click.option("--open", "open_browser", is_flag=True, help=SERVE["open"])
@click.option("--platform", is_flag=True, help=SERVE["platform"])
@click.option("--allowed-host", "allowed_hosts", multiple=True, help=SERVE["allowed_host"])
@click.option("--workers", type=click.IntRange(1, 64), help=SERVE["workers"])
def serve(
    data: Path | None,
    host: str,
    port: int,
    open_browser: bool,
    platform: bool,
    allowed_hosts: tuple[str, ...],
    workers: int | None,
) -> None:
    """docgen serve: the workspace over the same application layer as the CLI."""
    if not platform and not is_loopback(host):
        raise UsageError(ERRORS["loopback_only"].format(host=host))
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host.strip("[]"), port))
        except OSError:
            raise UsageError(SERVE["port_busy"].format(port=port, other=port + 1)) from None
    import json
    import os

    import uvicorn

    from docgen.web.app import SETTINGS_ENV, create_app
    from docgen.web.settings import Settings, default_data_folder

    folder = (data or default_data_folder()).resolve()
    count = workers or min(MAX_DEFAULT_WORKERS, os.cpu_count() or 1)
    settings = Settings(data=folder, platform=platform, allowed_hosts=allowed_hosts)
    create_app(settings).state.workspace.engine.dispose()  # migrations and problems now, in this process
    os.environ[SETTINGS_ENV] = json.dumps(
        {"data": str(folder), "platform": platform, "allowed_hosts": list(allowed_hosts)}
    )
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    echo(SERVE["started"].format(url=url, data=folder))
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.5, webbrowser.open, args=(url,)).start()
    uvicorn.run(
        "docgen.web.app:worker_app",
        factory=True,
        host=host.strip("[]"),
        port=port,
        workers=count,
        log_level="warning",
        server_header=False,
    )


COMMANDS = (serve,)
