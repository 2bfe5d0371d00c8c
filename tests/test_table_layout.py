"""Text layout estimates for the 汇总表 writers: widths, line breaks, column widths, row heights."""

from __future__ import annotations

import pytest

from docgen.word.layout import display_width, fit_widths, line_count, row_height, wrap_lines


@pytest.mark.parametrize(
    ("text", "width"),
    [("企业名称", 8), ("109.54", 6), ("35 专用设备制造业", 17), ("（万元）", 8), ("", 0)],
    ids=["cjk", "digits", "mixed", "full-width-parentheses", "empty"],
)
def test_display_width(text, width):
    """ensures CJK characters count 2 and everything else 1."""
    assert display_width(text) == width


@pytest.mark.parametrize(
    ("text", "capacity", "lines"),
    [
        ("主营业务收入（万元）", 12, ["主营业务收入", "（万元）"]),
        ("研发经费（万元）", 10, ["研发经费", "（万元）"]),
        (
            "规模以上工业法人单位研发活动及相关情况（107-2表）",
            14,
            ["规模以上工业法", "人单位研发活动", "及相关情况", "（107-2表）"],
        ),
        ("推荐（排名第 1）", 12, ["推荐", "（排名第 1）"]),
        ("不符合申报条件（研发人员数不少于15人）", 16, ["不符合申报条件", "（研发人员数不少", "于15人）"]),
        ("甲、乙、丙、丁", 4, ["甲、", "乙、", "丙、", "丁"]),
        ("整体对比\n计量得分", 40, ["整体对比", "计量得分"]),
        ("ZL201710583264.8", 8, ["ZL201710", "583264.8"]),
    ],
    ids=[
        "group-moves-whole",
        "group-fits",
        "code-kept-together",
        "short-group-whole",
        "opening-not-last",
        "comma-sticks",
        "newline",
        "long-token-split",
    ],
)
def test_wrap_lines(text, capacity, lines):
    """ensures lines break between tokens, never before closing punctuation, and at explicit newlines."""
    assert wrap_lines(text, capacity) == lines
    assert all(display_width(line) <= capacity for line in lines)
    assert not any(line.startswith(("）", "、")) or line.endswith("（") for line in lines)


def test_line_count_grows_with_text():
    """ensures longer text in the same width takes more lines, and empty text one line."""
    assert line_count("", 10) == 1
    assert line_count("企业现金流量表", 10) == 2
    assert line_count("企业现金流量表、企业资产负债表、企业损益表（利润表）", 10) > 2


def test_fit_widths_adds_up_and_keeps_minimums():
    """ensures widths add up to the total, keep every minimum, give the columns that need least
    their preferred width first and share what is left by weight."""
    roomy = fit_widths([10, 20, 30], [10, 20, 40], [0, 1, 3], 100)
    assert roomy == pytest.approx([10, 20 + 7.5, 40 + 22.5])
    tight = fit_widths([10, 20, 30, 10], [10, 25, 50, 40], [0, 1, 1, 1], 85)
    assert tight == pytest.approx([10, 25, 30 + 5, 10 + 5])  # 5 to the second, 10 shared by the others
    squeezed = fit_widths([60, 60], [60, 60], [1, 1], 100)  # minimums wider than the total
    assert squeezed == pytest.approx([50, 50])


def test_row_height():
    """ensures the row height grows with the line count (points, rounded up to half a point)."""
    assert row_height(1, 10) == 18.5
    assert row_height(3, 10) == 47.5
