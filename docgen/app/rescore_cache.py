"""EDGE: each member's cohort rescoring, kept in this process and — for the web's worker
processes — shared through files in the cache folder (``cache/review/rescored/ab/KEY.json``).

A member of a cohort-relative review (Luzhou) is scored again against the cohort maxima; that
rescoring depends only on the member's prepared entry (a hash of its files and the definitions:
its answers, evidenced answers and warnings) and the two maxima, so it is kept under a hash of
those. The maxima are hashed once per cohort (``RescoreStore.keys``), each member's key then
costs one copy of that digest and its entry's name. A file holds the member's detached
(claimed, evidenced) cards as data (``review_cache.PAIR``, the typed codec), written through a temporary file and a
rename (``docgen.cache``); on reading it is decoded only as that declared pair, else it is ignored (and
rewritten).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from docgen import cache
from docgen.app.review_cache import PAIR
from docgen.model.results import ScoreCard

RESCORED_KEPT = 400  # cohort rescorings kept in this process (a pair is ~18 kB pickled)
Pair = tuple[ScoreCard, ScoreCard]  # a member's detached (claimed, evidenced) cards
_rescored: OrderedDict[str, Pair] = OrderedDict()
_rescored_lock = threading.Lock()


def _maxima_text(maxima: dict[str, Fraction]) -> str:
    return ";".join(f"{k}={v.numerator}/{v.denominator}" for k, v in sorted(maxima.items()))


def _valid_pair(value: object) -> Pair | None:
    """Returns ``value`` when it is a pair of score cards (what an entry must hold), else None."""
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(c, ScoreCard) for c in value):
        return value[0], value[1]
    return None


class RescoreStore:
    """The rescorings of this process (memory, least recently used going first beyond
    RESCORED_KEPT), and with a ``directory`` those of every process sharing it."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory

    def keys(
        self,
        members: Sequence[Path | None],
        claimed_max: dict[str, Fraction],
        evidenced_max: dict[str, Fraction],
    ) -> list[str | None]:
        """Returns each member's key: a hash of the two maxima (computed once) and its entry's
        name; None for a member without an entry (nothing is kept for it)."""
        base = hashlib.sha256(b"rescored\0")
        base.update(f"{_maxima_text(claimed_max)}\0{_maxima_text(evidenced_max)}\0".encode())
        out: list[str | None] = []
        for member in members:
            if member is None:
                out.append(None)
                continue
            digest = base.copy()
            digest.update(str(member).encode("utf-8", "replace"))
            out.append(digest.hexdigest())
        return out

    def path(self, key: str) -> Path | None:
        """Returns the file of ``key``; None without a directory."""
        return self.directory / key[:2] / f"{key}.json" if self.directory is not None else None

    def fetch(self, keys: Sequence[str | None]) -> list[Pair | None]:
        """Returns the cards kept for each key (this process first, then the files), None where
        none are or the file is damaged."""
        with _rescored_lock:
            found = [_rescored.get(k) if k is not None else None for k in keys]
        read: list[tuple[str, Pair]] = []
        for index, key in enumerate(keys):
            if key is None or found[index] is not None or self.directory is None:
                continue
            stored: Pair | None = cache.load_typed(self.path(key), PAIR)
            pair = _valid_pair(stored)
            if pair is not None:
                found[index] = pair
                read.append((key, pair))
        if read:
            self._remember(read)
        return found

    def keep(self, keys: Sequence[str | None], scored: Sequence[Pair], fresh: Sequence[bytes | None]) -> None:
        """Keeps each member's cards under its key; with a directory, writes the file of each
        member scored here: ``fresh[i]`` is None for a pair that was fetched, else the pair's
        encoding (``review_cache.encode_pair``: the typed pair's JSON, or empty: encoded here)."""
        self._remember([(k, p) for k, p in zip(keys, scored, strict=True) if k is not None])
        if self.directory is None:
            return
        for key, pair, data in zip(keys, scored, fresh, strict=True):
            if key is not None and data is not None:
                cache.write_entry(self.path(key), PAIR.header + data if data else PAIR.encode(pair))

    @staticmethod
    def _remember(pairs: Sequence[tuple[str, Pair]]) -> None:
        with _rescored_lock:
            for key, pair in pairs:
                _rescored[key] = pair
                _rescored.move_to_end(key)
            while len(_rescored) > RESCORED_KEPT:
                _rescored.popitem(last=False)
