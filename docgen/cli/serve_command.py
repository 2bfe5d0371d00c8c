"""``docgen serve``: the web workspace (SPEC §10) on this machine."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import click

from docgen.cli.output import echo
from docgen.errors import UsageError
from docgen.text.web import ERRORS, SERVE


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
def serve(
    data: Path | None,
    host: str,
    port: int,
    open_browser: bool,
    platform: bool,
    allowed_hosts: tuple[str, ...],
) -> None:
    """docgen serve: the workspace over the same application layer as the CLI."""
    if not platform and not is_loopback(host):
        raise UsageError(ERRORS["loopback_only"].format(host=host))
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host.strip("[]"), port))
        except OSError:
            raise UsageError(SERVE["port_busy"].format(port=port, other=port + 1)) from None
    import uvicorn

    from docgen.web.app import create_app
    from docgen.web.settings import Settings, default_data_folder

    folder = data or default_data_folder()
    app = create_app(Settings(data=folder, platform=platform, allowed_hosts=allowed_hosts))
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    echo(SERVE["started"].format(url=url, data=folder))
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(app, host=host.strip("[]"), port=port, log_level="warning", server_header=False)


COMMANDS = (serve,)
