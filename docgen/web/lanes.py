"""How much of a worker process's threadpool uploads may take at once (#21, point 7).

An upload's work after its body is read (its type by content, its blob hashed and written, the
row saved) runs in a lane of its own, ``UPLOAD_LANES`` at a time per worker process, outside the
threadpool's shared tokens: a burst of uploads then waits for its lane instead of filling the
threadpool and the interpreter lock with a dozen threads that a page, an answer or the desk
would share the worker's time with. One limiter per event loop (a server's worker has one; a
test client makes one per request), so no loop ever waits on another's.
"""

from __future__ import annotations

import asyncio
import functools
import weakref
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread

UPLOAD_LANES = 1  # measured against 0 (the shared threadpool) and 2: benchmarks/README.md

_Result = TypeVar("_Result")
_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


async def run_upload(func: Callable[..., _Result], *args: object) -> _Result:
    """Returns ``func(*args)`` run in a thread of the uploads' lane."""
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters.setdefault(loop, anyio.CapacityLimiter(UPLOAD_LANES))
    return await anyio.to_thread.run_sync(functools.partial(func, *args), limiter=limiter)
