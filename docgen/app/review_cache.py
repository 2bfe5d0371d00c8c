"""EDGE: what a review keeps in docgen's cache folder, read back or silently rebuilt.

Two kinds of entry, both data (``docgen.cache``, written by the typed codecs below: JSON
directed by the declared types, decoded only as them): each prepared submission under a hash of
its files and the definitions (``submission_key``), and — for a cohort-relative program — the
cohort's scores under a hash of every member's key and the cohort maxima, so a re-review of an
unchanged folder neither prepares nor scores anything again. Each member's cohort rescoring is
kept by ``rescore_cache``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from docgen import cache
from docgen.evidence.inspect import MAX_BYTES
from docgen.model.answers import AnswerSet
from docgen.model.definitions import Program
from docgen.model.results import CohortFigures, ScoreCard
from docgen.model.review import Prepared
from docgen.resources import definitions_fingerprint
from docgen.typed_codec import TypedCodec

HASH_CHUNK = 1024 * 1024  # bytes read at a time while hashing a submission's files
MAX_HASHED_BYTES = MAX_BYTES  # larger files are keyed by size and time (inspection refuses them unread)


def submission_key(folder: Path, program_id: str) -> str | None:
    """Returns a hash of the program, docgen's code and definitions, and every file of the
    submission folder; None when a part of the folder cannot be read.

    Files are hashed in chunks. Nothing outside the folder is read: a symbolic link counts by
    its target's name and status (size, time), never its content, so a link to /dev/zero or to a
    huge file elsewhere costs nothing; FIFOs, sockets and devices count by name and kind only.
    """
    digest = hashlib.sha256(f"{program_id}\0{definitions_fingerprint()}".encode())
    try:
        for relative, entry in _entries(folder, ""):
            digest.update(relative.encode("utf-8", "replace") + b"\0")
            digest.update(_entry_digest(entry))
    except OSError:
        return None
    return digest.hexdigest()


def _entries(folder: Path | str, prefix: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Yields (relative name, entry) for everything under ``folder`` in name order, descending
    into real sub-folders only (a link to a folder is an entry, not followed)."""
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda e: e.name)
    for entry in entries:
        relative = f"{prefix}{entry.name}"
        yield relative, entry
        if entry.is_dir(follow_symlinks=False):
            yield from _entries(entry.path, relative + "/")


def _entry_digest(entry: os.DirEntry[str]) -> bytes:
    """Returns what an entry contributes to the key: a regular file's content hash, a link's
    target and its status, a folder's or special file's kind."""
    if entry.is_symlink():
        try:
            target = os.stat(entry.path)  # follows the link, reads nothing
            seen = f"{target.st_mode}:{target.st_size}:{target.st_mtime_ns}"
        except OSError:
            seen = "dangling"
        return f"link\0{os.readlink(entry.path)}\0{seen}".encode("utf-8", "replace")
    if entry.is_dir(follow_symlinks=False):
        return b"folder"
    if not entry.is_file(follow_symlinks=False):
        return b"special"
    status = entry.stat(follow_symlinks=False)
    if status.st_size > MAX_HASHED_BYTES:
        return f"large\0{status.st_size}\0{status.st_mtime_ns}".encode()
    content = hashlib.sha256()
    with open(entry.path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            content.update(chunk)
    return content.digest()


@dataclass
class ScoringPart:
    """The scoring part of a prepared submission's entry (``load_prepared``): the evidenced
    answers and either the cards scored alone or, for a cohort-relative program, the figures."""

    evidenced: AnswerSet | None
    claimed_card: ScoreCard | None = None
    evidenced_card: ScoreCard | None = None
    claimed_figures: CohortFigures | None = None
    evidenced_figures: CohortFigures | None = None


# a cohort's scores: per scorable member, in order, its (claimed, evidenced) detached cards
CohortCards = list[tuple[ScoreCard, ScoreCard]]
# the entries' codecs; a card's program is detached (review.detached_card), stored as null
PREPARED: TypedCodec[Prepared] = TypedCodec(Prepared, "prepared", detached=(Program,))
SCORING: TypedCodec[ScoringPart] = TypedCodec(ScoringPart, "scoring", detached=(Program,))
COHORT: TypedCodec[CohortCards] = TypedCodec(list[tuple[ScoreCard, ScoreCard]], "cohort", detached=(Program,))
PAIR: TypedCodec[tuple[ScoreCard, ScoreCard]] = TypedCodec(
    tuple[ScoreCard, ScoreCard], "pair", detached=(Program,)
)  # a cohort's item


def prepared_path(cache_dir: str | None, folder: Path, program_id: str) -> Path | None:
    """Returns where the prepared ``folder`` is kept; None without a cache or a readable folder."""
    key = submission_key(folder, program_id) if cache_dir else None
    return Path(cache_dir) / "prepared" / key[:2] / f"{key}.json" if cache_dir and key else None


def _scoring_path(path: Path) -> Path:
    """Returns where the scoring part of the entry at ``path`` (cache/prepared/ab/key.json) is."""
    return path.parents[2] / "scoring" / path.parent.name / path.name


def load_prepared(path: Path | None, folder: Path, *, scoring: bool = True) -> Prepared | None:
    """Returns the prepared submission kept at ``path`` (named after ``folder``), or None.

    An entry is kept in two parts: what the review shows (answers, documents, findings) and what
    only scoring needs (the evidenced answers and the cards scored alone, or for a
    cohort-relative program the figures its maxima need). ``scoring=False``
    reads the first part only — enough when the cohort's scores are kept (``load_cohort``).
    """
    result = cache.load_typed(path, PREPARED)
    if result is None:
        return None
    result.folder = folder.name
    if scoring and not load_scoring(path, result):
        return None
    return result


def load_scoring(path: Path | None, prepared: Prepared) -> bool:
    """Fills in the scoring part of ``prepared`` from its entry at ``path``; False when that part
    is absent or damaged (a submission that could not be scored has none, and needs none)."""
    if prepared.claimed is None:
        return True
    if path is None:
        return False
    stored = cache.load_typed(_scoring_path(path), SCORING)
    if stored is None or stored.evidenced is None:
        return False
    cards = stored.claimed_card is not None and stored.evidenced_card is not None
    figures = stored.claimed_figures is not None and stored.evidenced_figures is not None
    if cards == figures:  # one or the other, in pairs
        return False
    prepared.evidenced, prepared.claimed_card, prepared.evidenced_card = (
        stored.evidenced,
        stored.claimed_card,
        stored.evidenced_card,
    )
    prepared.claimed_figures, prepared.evidenced_figures = stored.claimed_figures, stored.evidenced_figures
    return True


def store_prepared(path: Path | None, prepared: Prepared) -> None:
    """Keeps ``prepared`` at ``path`` in its two parts (the scoring part first)."""
    if path is None:
        return
    if prepared.claimed is not None:
        part = ScoringPart(prepared.evidenced, prepared.claimed_card, prepared.evidenced_card)
        if prepared.claimed_figures is not None:  # a cohort-relative program's (see Prepared)
            part = ScoringPart(
                prepared.evidenced, None, None, prepared.claimed_figures, prepared.evidenced_figures
            )
        cache.store_typed(_scoring_path(path), SCORING, part)
    shown = replace(prepared, evidenced=None, claimed_card=None, evidenced_card=None)
    cache.store_typed(path, PREPARED, replace(shown, claimed_figures=None, evidenced_figures=None))


def cohort_path(cache_dir: str | None, program_id: str, members: Sequence[Path | None]) -> Path | None:
    """Returns where the scores of this cohort are kept: a hash of the program, the definitions
    and every member's entry in order (each a hash of its files: the same entries make the same
    cohort, maxima included); None without a cache or when a member's files could not be read."""
    if cache_dir is None or not members or any(m is None for m in members):
        return None
    digest = hashlib.sha256(f"cohort\0{program_id}\0{definitions_fingerprint()}".encode())
    for member in members:
        digest.update(str(member).encode("utf-8", "replace") + b"\0")
    key = digest.hexdigest()
    return Path(cache_dir) / "cohort" / key[:2] / f"{key}.json"


def load_cohort(path: Path | None, count: int) -> CohortCards | None:
    """Returns the ``count`` card pairs kept at ``path``; None when absent or not exactly that."""
    stored = cache.load_typed(path, COHORT)
    return stored if stored is not None and len(stored) == count else None


def store_cohort(path: Path | None, cards: CohortCards) -> None:
    cache.store_typed(path, COHORT, cards)


def encode_pair(claimed: ScoreCard, evidenced: ScoreCard) -> bytes:
    """Returns one member's (claimed, evidenced) detached cards as stored in a cohort's entry."""
    return PAIR.body((claimed, evidenced))


def store_cohort_pairs(path: Path | None, pairs: Sequence[bytes]) -> None:
    """Keeps a cohort's scores from its members' pairs encoded by ``encode_pair``: the same
    bytes as ``store_cohort`` of the cards (a JSON list is its items joined by commas)."""
    if path is not None:
        cache.write_entry(path, COHORT.join(pairs))
