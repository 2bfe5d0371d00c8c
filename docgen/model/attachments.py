"""Frozen dataclasses for a program's attachments (附件N) and the layout of their blank forms."""

from __future__ import annotations

from dataclasses import dataclass

# -- placeholders in an attachment's ``sections`` ----------------------------------------------

TABLE = "@table"  # the attachment's own table (indicator or data table); as a heading: no heading
EXPLANATIONS = "@explanations"  # the data table's explanations, numbered
COEFFICIENTS = "@coefficients"  # the program's industry coefficient table
LIMITING = "@limiting"  # the eligibility rules (限定性指标), numbered
SENTINELS = (TABLE, EXPLANATIONS, COEFFICIENTS, LIMITING)
SENTINEL_PREFIX = "@"

# -- columns of an indicator form ---------------------------------------------------------------

INDICATOR_COLUMN_KEYS = (
    "group1",  # 一级指标
    "group1_weight",  # 一级指标 with its weight: «创新投入（40分）»
    "group2",  # 二级指标
    "group2_weight",  # the 二级指标's weight
    "indicator",  # the indicator's title
    "indicator_weight",  # the title with its weight: «研发经费支出（12分）»
    "indicator_criteria",  # the title followed by its criteria
    "criteria",  # the criteria (评价标准)
    "unit",
    "weight",  # the indicator's weight (bonus lines: ≤ weight)
    "basic",  # 基本要求
    "full",  # 满分要求
    "score",  # the score of a filled form
    "result",  # the value and score (or met / not met) of a filled form
)


@dataclass(frozen=True)
class Column:
    """One column of an attachment's table: what it shows, its printed title and width in mm.

    ``key`` is one of ``INDICATOR_COLUMN_KEYS`` for an indicator form, and empty for a summary
    table (汇总表), whose columns are printed blank under their titles.
    """

    key: str
    title: str
    width: float


@dataclass(frozen=True)
class AttachmentSection:
    """A part of an attachment's text: an optional heading (``level`` 1: «一、…» in 黑体, 2:
    «（一）…» in 楷体), an optional table caption (附表 …, centred) and paragraphs, where a
    paragraph may be one of ``SENTINELS``."""

    heading: str = ""
    paragraphs: tuple[str, ...] = ()
    level: int = 1
    caption: str = ""


@dataclass(frozen=True)
class HeaderCell:
    """One label/value pair of a data table's header block: a profile field (``key``) under its
    own label or under the form's (``label``: each person's «联系电话»), or a printed label alone
    (``key`` empty) whose value is written by hand."""

    key: str
    label: str = ""


@dataclass(frozen=True)
class Attachment:
    """An attachment (附件N) of the notice and how its blank form is laid out.

    ``number`` is None for a form the notice names without a number (a 汇总表 it only mentions).
    ``part``: outline | data_table | indicators | summary_table. ``columns`` are the columns of
    the indicator form or of a summary table; ``sections`` are the notice's own texts.
    ``total_row`` / ``bonus_row`` label the closing rows the notice prints (总分); the
    ``filled_*`` ones (基本分, 加分小计, 合计) are added only on a filled form, with its scores inside
    the table. ``sealed`` forms carry the seal and date lines under their table when filled (the
    notices print none on their blank forms).

    Display data, which never changes the scoring: ``cells`` gives the published text of an
    indicator row's cells where it differs from the scoring data (indicator id → column key →
    text); ``header`` lays out a data table's header block row by row; ``coefficient_decimals``
    prints the coefficient table's values with that many decimals (``2.0``).
    """

    number: int | None
    title: str
    part: str
    ref: str | None = None
    columns: tuple[Column, ...] = ()
    landscape: bool = False
    sections: tuple[AttachmentSection, ...] = ()
    coefficients: bool = False
    limiting: bool = False
    rows: int = 0
    total_row: str = ""
    bonus_row: str = ""
    sealed: bool = False
    filled_columns: tuple[Column, ...] = ()
    filled_total_row: str = ""
    filled_bonus_row: str = ""
    filled_base_row: str = ""
    cells: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    header: tuple[tuple[HeaderCell, ...], ...] = ()
    coefficient_decimals: int | None = None

    def cell(self, indicator: str, key: str) -> str | None:
        """Returns the published text of an indicator row's cell, or None to print the data's."""
        for name, texts in self.cells:
            if name == indicator:
                return dict(texts).get(key)
        return None
