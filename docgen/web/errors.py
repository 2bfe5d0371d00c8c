"""The web layer's errors: each carries its HTTP status, a stable code and a Chinese message.

The API answers them as ``{"error": {"code": …, "message": …}}`` (SPEC §10); a request that
stops on the answers' findings carries the ``check`` object instead (``body``).
"""

from __future__ import annotations

from typing import Any

from docgen.text.web import ERRORS


class WebError(Exception):
    """A request that cannot be done as asked."""

    def __init__(self, status: int, code: str, body: dict[str, Any] | None = None, **fields: Any) -> None:
        self.status = status
        self.code = code
        self.message = ERRORS[code].format(**fields)
        self.body = body
        super().__init__(self.message)

    def payload(self) -> dict[str, Any]:
        """Returns the JSON body: the error object, or the object the caller attached."""
        if self.body is not None:
            return self.body
        return {"error": {"code": self.code, "message": self.message}}


def not_found(sid: str) -> WebError:
    """Returns the 404 of a submission that is not there or not the caller's (the same answer)."""
    return WebError(404, "not_found", sid=sid)
