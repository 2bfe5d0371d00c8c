"""CORE: the form tables' figure columns (得分, 评价结果, 单位) — wide enough for their figures.

A column of short figures and words («101.00», «未达标», «百分点») is widened, from the widest
text column, to hold its widest piece on one line, and a cell that holds several pieces
(«0.3百分点，达标») breaks only between them: never inside a figure or a word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from docgen.text.punctuation import COMMA, SEMICOLON
from docgen.word.layout import display_width

_BREAK_AFTER = re.compile(f"(?<=[{COMMA}{SEMICOLON},; ])")

# columns of short figures and words (10.00, 未达标, 百分点): never broken inside one
FIGURE_KEYS = ("score", "result", "unit", "met")
FIGURE_SLACK_MM = 1.6  # what the renderer needs beyond the estimate (as layout.FIGURE_PADDING_MM)
_HALF_EM_MM = 5.25 * 25.4 / 72  # one half-width character of 5号 type


def _pieces(text: str) -> list[str]:
    """Returns the pieces of a figure cell a line may break between: after a comma, a semicolon or a space."""
    return [piece for piece in _BREAK_AFTER.split(text) if piece]


def figure_widths(
    columns: Sequence[tuple[str, str, float]],
    rows: Sequence[Sequence[str]],
    wide_keys: Sequence[str],
    margin_mm: float,
) -> list[tuple[str, str, float]]:
    """Returns ``columns`` with each figure column (``FIGURE_KEYS``) wide enough for its widest
    piece (a figure with its unit, «未达标», «101.00»; a blank 得分 for «10.00» by hand), the width
    taken from the widest text column, so the table keeps its width and the published columns
    their order."""
    out = list(columns)
    wide = [i for i, (key, _, _) in enumerate(out) if key in wide_keys]
    if not wide:
        return out
    donor = max(wide, key=lambda i: out[i][2])
    for index, (key, title, width) in enumerate(out):
        if key not in FIGURE_KEYS:
            continue
        texts = [row[index] for row in rows if len(row) == len(out)]
        if key == "score":
            texts.append("10.00")
        units = max((display_width(p) for t in texts for p in _pieces(t)), default=0)
        need = units * _HALF_EM_MM + 2 * margin_mm + FIGURE_SLACK_MM
        if need > width:
            out[index] = (key, title, need)
            key_d, title_d, width_d = out[donor]
            out[donor] = (key_d, title_d, width_d - (need - width))
    return out


def figure_lines(text: str, width_mm: float, margin_mm: float) -> str:
    """Returns a figure cell's text broken only between its pieces («0.3百分点，|达标»), never
    inside a figure or a word, where it does not fit one line of the column."""
    capacity = (width_mm - 2 * margin_mm - FIGURE_SLACK_MM) / _HALF_EM_MM
    if display_width(text) <= capacity:
        return text
    lines = [""]
    for piece in _pieces(text):
        if lines[-1] and display_width(lines[-1] + piece.rstrip()) > capacity:
            lines[-1] = lines[-1].rstrip()
            lines.append("")
        lines[-1] += piece
    return "\n".join(line.rstrip() for line in lines)
