"""Frozen dataclasses for definitions (programs, outlines, checklists) and answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from docgen.model.attachments import Attachment, HeaderCell

# -- shared catalogues -------------------------------------------------------------------------


@dataclass(frozen=True)
class DeriveSpec:
    """How a scalar figure is counted from itemised claims."""

    items: str
    where: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    any: tuple[dict[str, tuple[Any, ...]], ...] = ()
    window_field: str | None = None
    window_years: int | None = None
    unique: str | None = None
    valid_at_year_end: str | None = None


@dataclass(frozen=True)
class FieldDef:
    """A scalar figure of a data table (key, Chinese label, unit, type, bounds)."""

    key: str
    label: str
    unit: str
    type: str
    signed: bool = False
    part_of: str | None = None
    derive: DeriveSpec | None = None
    aliases: tuple[str, ...] = ()
    fallback: str | None = None
    mentions: tuple[str, ...] = ()
    usually_below: str | None = None  # a figure it seldom exceeds: exceeding it warns (plausibility)


@dataclass(frozen=True)
class ChoiceField:
    """A field of a profile or an item: type, label and (for choices) vocabulary."""

    name: str
    type: str
    label: str
    required: bool = False
    choices: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    label_aliases: tuple[str, ...] = ()
    expected: bool = False  # not required to score, but every submission should give it (a warning)

    def canonical(self, value: Any) -> Any:
        """Returns the canonical choice for ``value`` (English word or Chinese alias), or None."""
        if not isinstance(value, str):
            return None
        text = value.strip()
        if text in self.choices:
            return text
        for key, name in self.choices.items():
            if text == name:
                return key
        return self.aliases.get(text)


@dataclass(frozen=True)
class ItemKind:
    """A kind of itemised claim (standards, awards, patent applications …)."""

    key: str
    label: str
    identifier: str
    fields: dict[str, ChoiceField]
    counter: str = ""  # the counting word for several items (人 for staff); empty: the generic 项
    repeats: bool = False  # the identifier may repeat (one project, several awards)
    named: int = 0  # how many items an explanation names before «等N人» (0: it names none)


@dataclass(frozen=True)
class CoefficientRow:
    """One industry's coefficients by column."""

    code: str
    name: str
    values: dict[str, Fraction]


@dataclass(frozen=True)
class CoefficientTable:
    """The industry coefficient table (行业系数)."""

    id: str
    title: str
    columns: dict[str, str]
    rows: dict[str, CoefficientRow]
    fallback: str
    note: str = ""

    def lookup(self, code: str) -> tuple[CoefficientRow, bool]:
        """Returns the row for ``code`` and whether the fallback row (其他) was used."""
        if code in self.rows:
            return self.rows[code], False
        return self.rows[self.fallback], True


# -- programs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """A visible note: every assumption a definition makes where the seed is silent."""

    id: str
    text: str
    in_report: bool = True  # False: about how docgen reads the notice, not for the enterprise's report


@dataclass(frozen=True)
class Band:
    """One band of a tier table; lower bound inclusive."""

    min: Fraction
    label: str
    values: dict[str, Fraction]


@dataclass(frozen=True)
class Tier:
    """Bands selected by one figure (e.g. main revenue), highest lower bound first."""

    id: str
    title: str
    by: str
    unit: str
    bands: tuple[Band, ...]

    def band_for(self, value: Fraction) -> Band:
        """Returns the band whose lower bound is the largest one ≤ ``value``."""
        for band in self.bands:
            if value >= band.min:
                return band
        return self.bands[-1]


@dataclass(frozen=True)
class RuleSpec:
    """A rule type name and its parameters, checked by the rule type at load time."""

    type: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Indicator:
    """One scored line: 三级指标 (or a bonus item) with its value expression and rule."""

    id: str
    title: str
    unit: str
    weight: Fraction
    rule: RuleSpec
    value: dict[str, Any] | None = None
    coefficient: str | None = None
    group: tuple[str, ...] = ()
    bonus: bool = False
    notes: tuple[str, ...] = ()
    criteria: str = ""
    basic_text: str = ""


@dataclass(frozen=True)
class Group:
    """A group of indicators (一级/二级指标) with its stated weight, if any."""

    title: str
    weight: Fraction | None
    indicators: tuple[Indicator, ...] = ()
    groups: tuple[Group, ...] = ()


@dataclass(frozen=True)
class EligibilityRule:
    """A condition every applicant must meet (限定性指标, 申报条件)."""

    id: str
    title: str
    value: dict[str, Any]
    unit: str
    op: str
    bound: Fraction
    kinds: tuple[str, ...] = ()  # the application types it applies to (认定 …); empty: every one


@dataclass(frozen=True)
class DataRow:
    """One line of the printed data table."""

    no: str
    label: str
    unit: str
    key: str | None = None
    sum: tuple[str, ...] = ()
    explanation: str = ""
    added: bool = False


# what a column of a program's own 汇总表 may hold (``summary_table.columns[].column``)
SUMMARY_COLUMN_KINDS = (
    "index",  # 序号
    "company",  # 企业名称
    "industry",  # the 统计行业代码 and its name
    "figure",  # a data figure (``field``; the field's fallback when the submission lacks it)
    "profile",  # a profile field's text (``field``: 牵头单位, 主要成员单位, 所属领域)
    "contact",  # 联系人 and 联系电话
    "claimed",  # 自评分
    "evidenced",  # 核定分
    "eligible",  # 是否符合条件
    "rank",  # 排名
    "missing",  # 缺失材料
    "opinion",  # 推荐意见
    "remarks",  # 备注
)
SUMMARY_FIELD_KINDS = ("figure", "profile")  # the kinds that name a field and may repeat


@dataclass(frozen=True)
class SummaryColumn:
    """One column of a program's own 汇总表 (``summary_table`` in the program file): what it holds
    (one of SUMMARY_COLUMN_KINDS), its printed title ('' = docgen's generic one) and, for a
    figure, the field and its fallbacks in the order they are tried (for a profile column, the
    profile field alone)."""

    kind: str
    title: str = ""
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlatformRules:
    """What a bureau's platform asks of a submission of this program (SPEC §11): the 告知承诺书
    shown in full and accepted before submitting, and an optional submission gate."""

    commitment: str = ""
    min_score: Fraction | None = None  # the self-evaluation total a submission must reach
    closes: dt.date | None = None  # submissions after this day are refused (unless extended)
    max_file_bytes: int | None = None  # one uploaded file (None: the server's limit, 50 MB)
    max_submission_bytes: int | None = None  # all files of a submission (None: 500 MB)


@dataclass(frozen=True)
class Program:
    """A program: meta, data table, indicator system, bonus, eligibility, notes."""

    id: str
    title: str
    short_title: str
    seed: str
    year: int
    issuer: str
    document_number: str
    kinds: tuple[str, ...]
    deadline: str | None
    quota: str | None
    attachments: tuple[Attachment, ...]
    outlines: dict[str, str]
    checklist: str | None
    coefficients: str | None
    max_score: Fraction
    max_bonus: Fraction
    relative: str | None
    scoring_basis: str
    notes: dict[str, Note]
    tiers: dict[str, Tier]
    data_table_title: str
    data_header: tuple[str, ...]
    data_rows: tuple[DataRow, ...]
    groups: tuple[Group, ...]
    bonus_title: str
    bonus: tuple[Indicator, ...]
    eligibility_title: str
    eligibility: tuple[EligibilityRule, ...]
    source: str = ""
    threshold: Fraction | None = None
    quota_count: int | None = None
    # where no threshold applies: a recommended 核定分 under this share of max_score gets a caveat
    caveat_below: Fraction | None = None
    document_kind: str = ""  # what the notice calls itself (TEXT["document_kind_default"] when not given)
    kind_titles: dict[str, str] = field(default_factory=dict)  # how the notice names a kind (认定 → 培育组建)
    field_labels: dict[str, str] = field(default_factory=dict)  # the data table's own wording of a figure
    profile_labels: dict[str, str] = field(
        default_factory=dict
    )  # its own label of a profile field (联盟名称)
    data_header_rows: tuple[tuple[HeaderCell, ...], ...] = ()  # the header block row by row, if laid out
    sealed_by: str = ""  # the profile field of the unit that seals for the applicant (an alliance's 牵头单位)
    sealed_by_label: str = ""  # that field's label (牵头单位)
    report_names: dict[str, str] = field(default_factory=dict)  # outline kind → the notice's name (申报材料)
    summary_title: str = ""  # the notice's own 汇总表 title ('' = docgen's generic one)
    summary_columns: tuple[SummaryColumn, ...] = ()  # the notice's own 汇总表 columns (() = generic)
    summary_notes: tuple[str, ...] = ()  # ids of the notes that concern a batch (under the 汇总表)
    platform: PlatformRules = field(default_factory=PlatformRules)

    @property
    def report_notes(self) -> list[str]:
        """Returns the notes that documents print (not those about how docgen reads the notice)."""
        return [note.text for note in self.notes.values() if note.in_report]

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Returns the base indicators in form order."""
        out: list[Indicator] = []

        def walk(groups: tuple[Group, ...]) -> None:
            for group in groups:
                out.extend(group.indicators)
                walk(group.groups)

        walk(self.groups)
        return tuple(out)


# -- outlines and checklists -------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """A point a section must cover, with synonyms that also count."""

    title: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """One outline section (id as written in the outline, e.g. "1.1")."""

    id: str
    title: str
    guidance: str
    min_chars: int
    points: tuple[Point, ...]
    chapter: str | None = None
    introduces_applicant: bool = False  # the section presents the enterprise (企业基本情况)
    synonyms: tuple[str, ...] = ()  # other titles a Word draft's heading may give it (企业概况)


@dataclass(frozen=True)
class Chapter:
    """A chapter (一、二、三) holding sections."""

    id: str
    title: str
    sections: tuple[Section, ...]
    synonyms: tuple[str, ...] = ()  # other titles a Word draft's heading may give it


@dataclass(frozen=True)
class Outline:
    """A report outline: chapters of sections, or sections alone."""

    id: str
    title: str
    document_title: str
    attachment: int
    kind: str
    chapters: tuple[Chapter, ...]
    sections: tuple[Section, ...]
    preface: str = ""


@dataclass(frozen=True)
class RequiredDocument:
    """A document the checklist asks for under ``evidence:``."""

    key: str
    title: str
    required: bool
    proves: tuple[str, ...] = ()  # the figures it backs (one, or several proved together)
    rates: tuple[str, ...] = ()  # the self-ratings it backs (管理制度文件 for 管理制度 …)


@dataclass(frozen=True)
class ItemProof:
    """Per-item proof: each counted item of ``items`` needs its own evidence file."""

    items: str
    title: str
    identifier: str
    valid_until: str | None = None


@dataclass(frozen=True)
class ChecklistGroup:
    """A group of the checklist, in the seed's order."""

    id: str
    title: str
    documents: tuple[RequiredDocument, ...]
    item_proofs: tuple[ItemProof, ...]


@dataclass(frozen=True)
class Checklist:
    """The program's list of required evidence (证明材料)."""

    id: str
    title: str
    groups: tuple[ChecklistGroup, ...]

    @property
    def documents(self) -> tuple[RequiredDocument, ...]:
        """Returns every document in checklist order."""
        return tuple(doc for group in self.groups for doc in group.documents)


# -- answers -----------------------------------------------------------------------------------
