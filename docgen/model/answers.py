"""Frozen dataclasses for an enterprise's answers: items, evidence references, narrative
sections and the answer set (what the answers file says, checked)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from docgen.text.model_text import MODEL_TEXT


@dataclass(frozen=True)
class Item:
    """One itemised claim with canonical field values."""

    kind: str
    index: int
    values: dict[str, Any]
    line: int | None = None
    identity: str | None = None  # the normalised identifier where it must not repeat (counted once)

    @property
    def evidence(self) -> str | None:
        """Returns the item's evidence path, if given."""
        value = self.values.get("evidence")
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class EvidenceRef:
    """A file named under ``evidence:`` (with the count it proves, for {file, count} lists)."""

    key: str
    file: str
    count: Fraction | None = None
    line: int | None = None


@dataclass(frozen=True)
class NarrativeSection:
    """The user's Markdown for one outline section.

    From a Word draft, ``file`` is the draft, ``line`` is None and ``paragraphs`` holds
    (offset in the text, the draft's paragraph number) for each paragraph or table the text
    starts, the first one the section's heading.
    """

    id: str
    text: str
    line: int | None = None
    file: str | None = None
    paragraphs: tuple[tuple[int, int], ...] = ()

    def line_at(self, offset: int) -> int | None:
        """Returns the answers-file line of the character at ``offset`` of the text (a block
        scalar starts on the line after its key)."""
        return self.line + 1 + self.text.count("\n", 0, offset) if self.line else None

    def paragraph_at(self, offset: int | None) -> int | None:
        """Returns the draft paragraph holding the character at ``offset`` (None: the heading's)."""
        found = self.paragraphs[0][1] if self.paragraphs else None
        for start, paragraph in self.paragraphs[1:] if offset is not None else ():
            if offset is None or start > offset:
                break
            found = paragraph
        return found

    def where(self, offset: int | None, file: str) -> dict[str, Any]:
        """Returns where a finding about the text at ``offset`` goes (None: the section itself):
        ``file`` (the answers file) and its line, or the draft and its paragraph."""
        if self.file is None:
            return {"file": file, "line": self.line if offset is None else self.line_at(offset)}
        return {"file": self.file, "line": None, "paragraph": self.paragraph_at(offset)}


def application_type_of(profile: dict[str, Any]) -> str:
    """Returns the application type a profile gives: 认定 or 评价 (认定 when not given)."""
    return str(profile.get("application_type") or MODEL_TEXT["answers.default_application_type"])


@dataclass
class AnswerSet:
    """A validated submission: profile, figures (given and derived), items, narrative, evidence."""

    program_id: str
    file: str
    profile: dict[str, Any]
    figures: dict[str, Fraction]
    given: dict[str, Fraction]
    derived: dict[str, Fraction]
    items: dict[str, tuple[Item, ...]]
    ratings: dict[str, str]
    narrative: dict[str, NarrativeSection]
    evidence: dict[str, tuple[EvidenceRef, ...]]
    narrative_file: str | None = None  # the Word draft the narrative was read from, if any

    @property
    def company(self) -> str:
        """Returns the company name."""
        return str(self.profile.get("company_name", ""))

    @property
    def report_year(self) -> int:
        """Returns the report year (报告年度)."""
        return int(self.profile.get("report_year", 0))

    @property
    def application_type(self) -> str:
        """Returns 认定 or 评价 (认定 when not given)."""
        return application_type_of(self.profile)

    @property
    def report_date(self) -> dt.date | None:
        """Returns the report date from the answers, if given."""
        value = self.profile.get("report_date")
        return value if isinstance(value, dt.date) else None
