"""EDGE: the Jinja environment every Word template is rendered in (sandboxed, strict)."""

from __future__ import annotations

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment


def environment() -> SandboxedEnvironment:
    """Returns the Jinja environment every template renders in."""
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
