"""CORE: the layout of answers.xlsx, shared by its reader (``workbook.py``) and its writer
(``outputs/answers_xlsx.py``): the sheets, the columns each reads, where the keys are.

Every sheet has a title in row 1 and its headings in row 2. A sheet of one key per row (基本信息,
评价数据表, 自评, 证明材料, 正文) keeps the key of each row in a hidden column; a sheet of items
(标准, 专利申请 …) keeps the item kind in A2 and the field keys of its columns in row 2 (hidden),
under the headings of row 1. Keys, not labels, are read: a label renamed or translated never
changes what a row means; a row without a key is read by its label (a Chinese label is accepted
as a key, SPEC §3).
"""

from __future__ import annotations

from dataclasses import dataclass

from docgen.text.labels import WORKBOOK

HEADER_ROW = 2
"""Rows 1 (title) and 2 (headings) of a keyed sheet are not answers."""
FIRST_ROW = 3
HEADER_KEY = "#key"
"""The heading of the hidden key column."""
PROGRAM_KEY = "program"
"""The row of 基本信息 that gives the program id (a top-level key of the answers)."""
ITEM_KEY_ROW = 2
"""The (hidden) row of an item sheet holding its field keys; items start below it."""
ITEM_FIRST_ROW = 3

YES_NO = {WORKBOOK["yes"]: True, WORKBOOK["no"]: False}
"""How a yes/no field is written in an item sheet (a drop-down 是/否)."""


@dataclass(frozen=True)
class Keyed:
    """A sheet of one key per row: the section it fills and its columns (1-based)."""

    section: str
    label: int
    value: int
    key: int
    count: int = 0  # 证明材料: the column of the count


KEYED_LAYOUTS = {
    "profile": Keyed("profile", label=1, value=2, key=4),
    "data": Keyed("data", label=2, value=4, key=6),
    "ratings": Keyed("ratings", label=2, value=3, key=5),
    "evidence": Keyed("evidence", label=2, value=3, key=5, count=4),
    "narrative": Keyed("narrative", label=1, value=3, key=4),
}
KEYED = {WORKBOOK[name]: layout for name, layout in KEYED_LAYOUTS.items()}
"""Sheet title → its layout."""
