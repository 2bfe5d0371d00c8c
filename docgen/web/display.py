"""CORE: times as the pages show them."""

from __future__ import annotations

import datetime as dt

from docgen.text.web_text import WEB_TEXT

BEIJING = dt.timezone(dt.timedelta(hours=8), WEB_TEXT["display.beijing"])
"""The time the pages show: the notices' deadlines and an enterprise's day are Beijing time,
whatever zone the server runs in (the database keeps UTC)."""


def beijing_time(value: dt.datetime | str, seconds: bool = False) -> str:
    """Returns a UTC time (naive, as the database keeps it, or ISO text ending in Z) as Beijing
    time, «2026-12-03 21:05»."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.removesuffix("Z"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def beijing_today() -> dt.date:
    """Returns today's date in Beijing (a notice's deadline day ends at midnight Beijing time)."""
    return dt.datetime.now(BEIJING).date()
