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
class Attachment:
    """An attachment (附件N) of the notice and how its blank form is laid out.

    ``part``: outline | data_table | indicators | summary_table. ``columns`` are the columns of
    the indicator form or of a summary table; ``sections`` are the notice's own explanatory texts
    as (heading, paragraphs), where a heading or paragraph may be one of ``SENTINELS``.
    ``total_row`` / ``bonus_row`` label the 合计 and 加分 subtotal rows closing an indicator table;
    ``sealed`` forms carry the seal and date lines under their table.
    """

    number: int
    title: str
    part: str
    ref: str | None = None
    columns: tuple[Column, ...] = ()
    landscape: bool = False
    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()
    coefficients: bool = False
    limiting: bool = False
    rows: int = 0
    total_row: str = ""
    bonus_row: str = ""
    sealed: bool = False
