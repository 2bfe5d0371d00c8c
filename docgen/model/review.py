"""The review of many submissions: one row per submission plus the rules applied (SPEC §7)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from docgen.diagnostics import Diagnostic
from docgen.model.answers import AnswerSet
from docgen.model.definitions import Program
from docgen.model.results import CohortFigures, DocumentStatus, ScoreCard


@dataclass
class Prepared:
    """What a worker returns for one submission (picklable, small).

    A scorable submission brings the cards scored alone or, for a cohort-relative program, only
    the figures its cohort's maxima need (``*_figures``): it is scored against the cohort."""

    folder: str
    company: str = ""
    claimed: AnswerSet | None = None
    evidenced: AnswerSet | None = None
    documents: list[DocumentStatus] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)
    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    narrative_issues: dict[str, int] = field(default_factory=dict)  # finding code → count
    claimed_card: ScoreCard | None = None  # scored alone; `program` detached for pickling
    evidenced_card: ScoreCard | None = None
    declared_program: str | None = None  # the program the answers name (may differ from the review's)
    # a cohort-relative program's stand-ins for the cards scored alone: what the maxima need
    claimed_figures: CohortFigures | None = None
    evidenced_figures: CohortFigures | None = None


@dataclass
class ReviewRow:
    """One submission in the review."""

    prepared: Prepared
    claimed: ScoreCard | None = None
    evidenced: ScoreCard | None = None
    rank: int | None = None
    recommended: bool = False
    reason: str = ""
    remarks: list[str] = field(default_factory=list)  # batch warnings about this one (重复申报 …)
    scored: str = ""  # a cohort member's cards: the key of the rescoring they are (rescore_cache)

    @property
    def broken(self) -> bool:
        """Returns True when the submission could not be scored."""
        return self.claimed is None

    def cards(self) -> tuple[ScoreCard, ScoreCard]:
        """Returns the claimed and evidenced score cards of a row that is not broken."""
        assert self.claimed is not None, "a broken row has no cards"
        assert self.evidenced is not None, "a row with a claimed card has an evidenced one"
        return self.claimed, self.evidenced

    @property
    def unreadable(self) -> bool:
        """Returns True when the answers file itself could not be read (not just wrong figures)."""
        return any(d.code.startswith(_UNREADABLE) for d in self.prepared.errors)


# narrative findings a reviewer must see beside the scores (the 汇总表's 备注)
NARRATIVE_ISSUES = ("narrative.contradiction", "narrative.other_company")


# diagnostic codes that mean the answers file could not be read at all
_UNREADABLE = ("file.", "yaml.", "json.", "answers.not_mapping", "answers.empty", "submission.unusable")


@dataclass(frozen=True)
class SummaryHeader:
    """The lines above the 汇总表 that the sending bureau fills in: 填报单位（盖章）, 经办人及联系电话,
    填报日期 (each left blank to write by hand when not given)."""

    unit: str = ""
    contact: str = ""
    date: dt.date | None = None


@dataclass
class Review:
    """The whole review: rows in folder order plus the rules applied."""

    program: Program
    rows: list[ReviewRow]
    threshold: Fraction | None
    quota: int | None
    documents: list[str]
    sections: list[str]
    section_titles: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # about the batch: other programs, 重复申报 …
    header: SummaryHeader = field(default_factory=SummaryHeader)  # the 汇总表's sender lines
    industry_names: dict[str, str] = field(default_factory=dict)  # 统计行业代码 → 行业 (the 汇总表)
