"""Vertical merging of repeated group cells in WordprocessingML tables (lxml only, no python-docx).

Group cells (一级/二级指标) are repeated on every row by a template loop; merging them after
rendering keeps templates simple and gives the merged group cells of the printed forms. Tables
captioned ``docgen-merge:N`` (表格标题 in Word) get their first N columns merged.
"""

from __future__ import annotations

import re
from typing import Any

from docgen.word.namespaces import W


def merge_repeated(tbl: Any, columns: int, first_row: int = 1) -> None:
    """Vertically merges runs of equal, non-empty text in the first ``columns`` columns of ``tbl``.

    A cell merges with the one above only when every cell to its left merges too. Works on the raw
    ``w:tr``/``w:tc`` elements (the tables it is used on have no horizontal spans); ``tbl`` is a
    ``w:tbl`` element or a python-docx table.
    """
    tbl = getattr(tbl, "_tbl", tbl)
    rows = [tr.findall(f"{W}tc") for tr in tbl.findall(f"{W}tr")][first_row:]
    texts = [["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in row[:columns]] for row in rows]
    for col in range(columns):
        start = 0
        while start < len(rows):
            end = start
            while (
                end + 1 < len(rows)
                and col < len(texts[start])
                and texts[start][col]
                and texts[end + 1][: col + 1] == texts[start][: col + 1]
            ):
                end += 1
            if end > start:
                for index in range(start, end + 1):
                    _vmerge(rows[index][col], restart=index == start)
            start = end + 1


def _vmerge(tc: Any, restart: bool) -> None:
    tc_pr = tc.find(f"{W}tcPr")
    if tc_pr is None:
        tc_pr = tc.makeelement(f"{W}tcPr", {})
        tc.insert(0, tc_pr)
    vmerge = tc_pr.makeelement(f"{W}vMerge", {})
    if restart:
        vmerge.set(f"{W}val", "restart")
    else:
        for paragraph in tc.findall(f"{W}p")[1:]:
            tc.remove(paragraph)
        first = tc.find(f"{W}p")
        for run in first.findall(f"{W}r"):
            first.remove(run)
    tc_pr.append(vmerge)
    tc_pr.append(tc_pr.makeelement(f"{W}vAlign", {f"{W}val": "center"}))


def merge_captioned_tables(body: Any) -> None:
    """Merges repeated group cells of every table captioned ``docgen-merge:N`` under ``body``."""
    for tbl in body.iter(f"{W}tbl"):
        tbl_pr = tbl.find(f"{W}tblPr")
        caption = tbl_pr.find(f"{W}tblCaption") if tbl_pr is not None else None
        if caption is None:
            continue
        match = re.match(r"docgen-merge:(\d)", caption.get(f"{W}val") or "")
        if match:
            merge_repeated(tbl, int(match.group(1)))
