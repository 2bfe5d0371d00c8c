"""CORE: estimate how table text lays out — display widths, line breaks, column widths.

Neither openpyxl nor python-docx can measure text, so the 汇总表 writers estimate it: a CJK
(full-width) character counts 2 display units, any other character 1 (about half an em). Lines
break greedily between tokens; a token is one CJK character, a run of Latin letters and digits
(e.g. ``107-2``, ``109.54``), or a short full-width parenthesised group such as ``（万元）``. Closing
punctuation sticks to the token before it and opening punctuation to the token after it, so no
line starts with ``）`` or ends with ``（``.
"""

from __future__ import annotations

import math
import re
import unicodedata

from docgen.text.word_text import WORD_TEXT

_OPENING = WORD_TEXT["layout.opening"]
_CLOSING = WORD_TEXT["layout.closing"]
_LATIN = re.compile(r"[0-9A-Za-z.,:/%+\-_·]+")
_GROUP = re.compile(WORD_TEXT["layout.group"])


_WIDE_IN_CJK_FONTS = "“”‘’…—"  # ambiguous width, but full-width in 宋体 and the Noto CJK fonts


def char_width(char: str) -> int:
    """Returns 2 for a full-width (CJK) character, 1 otherwise."""
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") or char in _WIDE_IN_CJK_FONTS else 1


def display_width(text: str) -> int:
    """Returns the display width of one line of text."""
    return sum(char_width(c) for c in text)


def _tokens(paragraph: str) -> list[str]:
    """Returns the unbreakable pieces of one paragraph (spaces are their own tokens)."""
    raw: list[str] = []
    index = 0
    while index < len(paragraph):
        match = _LATIN.match(paragraph, index) or _GROUP.match(paragraph, index)
        end = match.end() if match else index + 1
        raw.append(paragraph[index:end])
        index = end
    tokens: list[str] = []
    glue_next = False
    for token in raw:
        closes = token[0] in _CLOSING and tokens[-1:] != [" "]
        if tokens and (glue_next or closes):
            tokens[-1] += token
        else:
            tokens.append(token)
        glue_next = token[-1] in _OPENING
    return tokens


def wrap_lines(text: str, capacity: float) -> list[str]:
    """Returns the lines ``text`` takes in a cell ``capacity`` display units wide.

    Explicit newlines always break; a token wider than the whole line is split by characters.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _tokens(paragraph):
            if token == " " and not line:
                continue
            if display_width(line + token) <= capacity or not line.strip():
                line += token
            else:
                lines.append(line.rstrip())
                line = "" if token == " " else token
            while display_width(line) > capacity and len(line) > 1:
                cut = _fitting_prefix(line, capacity)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines


def _fitting_prefix(text: str, capacity: float) -> int:
    width = 0
    for index, char in enumerate(text):
        width += char_width(char)
        if width > capacity:
            return max(index, 1)
    return len(text)


def line_count(text: str, capacity: float) -> int:
    """Returns how many lines ``text`` takes in a cell ``capacity`` display units wide."""
    return len(wrap_lines(text, capacity)) if text else 1


def widest_line(text: str) -> int:
    """Returns the display width of the widest line of ``text`` (split at newlines)."""
    return max((display_width(line) for line in text.split("\n")), default=0)


def fit_widths(
    minimums: list[float], preferred: list[float], weights: list[float], total: float
) -> list[float]:
    """Returns column widths that add up to ``total``.

    Every column gets at least its minimum. When there is room for more, the columns grow to
    their preferred widths, the ones that need least first (each such column then stops
    wrapping); the spare width that cannot give the next column all it wants is shared equally
    among the rest. What is left once all have their preferred width is shared in proportion to
    ``weights``. When the minimums alone are wider than ``total``, all columns shrink in proportion.
    """
    widths = list(minimums)
    needed = sum(minimums)
    if needed >= total:
        scale = total / needed if needed else 0
        return [m * scale for m in minimums]
    spare = total - needed
    wants = sorted(
        (max(p - m, 0), index) for index, (m, p) in enumerate(zip(minimums, preferred, strict=True))
    )
    for position, (want, index) in enumerate(wants):
        if want > spare:
            remaining = [i for _, i in wants[position:]]
            for i in remaining:
                widths[i] += spare / len(remaining)
            return widths
        widths[index] += want
        spare -= want
    share = sum(weights)
    for index, weight in enumerate(weights):
        widths[index] += spare * (weight / share if share else 1 / len(weights))
    return widths


def row_height(lines: int, font_pt: float, line_factor: float = 1.45, padding_pt: float = 4) -> float:
    """Returns a row height in points for ``lines`` lines of ``font_pt`` text (rounded up to 0.5)."""
    return math.ceil((lines * font_pt * line_factor + padding_pt) * 2) / 2


_PAUSES = WORD_TEXT["layout.pauses"]  # a line may end after these inside a name or title


def label_lines(text: str, capacity: float) -> list[str]:
    """Returns the lines of a short label (a 类别 beside its rows) ``capacity`` units wide, broken
    as ``phrase_lines`` breaks a title and also after the particles and conjunctions that end
    a word («的和及与»): «相关统计和|财务报表», not «相关统计和财务报|表»."""
    return phrase_lines(text, capacity, _PAUSES + WORD_TEXT["layout.joins"])


def phrase_lines(text: str, capacity: float, pauses: str = _PAUSES) -> list[str]:
    """Returns the lines of ``text`` in a cell ``capacity`` display units wide, broken only
    between phrases where it can: after ``pauses`` («、，；：。»), before an opening bracket and at spaces. A
    phrase that does not fit on what is left of a line starts the next one; only a phrase wider
    than a whole line is broken inside (by ``wrap_lines``), as Word would break it. A lead-in of
    up to two characters («缺：») never stands alone on its line, nor does the last character of
    a broken phrase."""
    phrases: list[str] = []
    for token in _tokens(text):
        opens = token[0] in _OPENING or token == " "
        lead_in = bool(phrases) and len(phrases) == 1 and display_width(phrases[0]) <= 4  # «缺：»
        if phrases and (lead_in or (not opens and phrases[-1][-1] not in pauses and phrases[-1][-1] != " ")):
            phrases[-1] += token
        else:
            phrases.append(token)
    lines = [""]
    for phrase in phrases:
        if display_width(lines[-1] + phrase.rstrip()) <= capacity:
            lines[-1] += phrase
        elif display_width(phrase.strip()) <= capacity:
            lines[-1] = lines[-1].rstrip()
            lines.append(phrase.lstrip())
        else:
            lines[-1:] = wrap_lines(lines[-1] + phrase, capacity)
    lines = [line.rstrip() for line in lines if line.strip()] or [""]
    for index in range(1, len(lines)):  # no character alone on the last line of a broken word
        before, line = lines[index - 1], lines[index]
        alone = len(line) == 1 and len(before) >= 3 and char_width(line) == char_width(before[-1]) == 2
        if alone and before[-1] not in _PAUSES + _CLOSING:
            lines[index - 1], lines[index] = before[:-1], before[-1] + line
    return lines


_FIGURE = re.compile(r"[0-9][0-9.,]*(?:%|[\u4e00-\u9fff]{1,2}(?=[^\u4e00-\u9fff]|$))?")
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
AUTOSPACE = 0.5  # display units Word and LibreOffice add between a digit and an ideograph


def figure_breaks(text: str, capacity: float, indent: float = 0) -> str:
    """Returns ``text`` with a line break («\\n») before every figure and its unit («150万元»,
    «3.49%») that the estimate says would start at the end of one line and end on the next, in
    a justified paragraph ``capacity`` display units wide whose first line is indented
    ``indent`` units. Word and LibreOffice break between a number and its CJK unit; the break
    set here falls where the line ends anyway, so the figure starts the next line whole. A unit
    is the one or two ideographs after the digits, up to the next other character; the space
    the renderers add between digits and ideographs (``AUTOSPACE``) is counted."""
    out: list[str] = []
    used = indent
    index = 0
    while index < len(text):
        match = _FIGURE.match(text, index)
        if match and (index == 0 or not text[index - 1].isdigit()):
            piece = match.group()
            width = display_width(piece) + AUTOSPACE * (
                bool(index and _IDEOGRAPH.match(text[index - 1])) + bool(_IDEOGRAPH.search(piece))
            )
            width += AUTOSPACE * bool(
                _IDEOGRAPH.match(text[match.end() : match.end() + 1]) and not _IDEOGRAPH.search(piece)
            )
            if used + width > capacity and used > 0 and width <= capacity:
                out.append("\n")
                used = 0
            out.append(piece)
            used += width
            index = match.end()
            continue
        width = char_width(text[index])
        if used + width > capacity:
            used = 0
        out.append(text[index])
        used += width
        index += 1
    return "".join(out)


HALF_EM_MM = 10.5 * 25.4 / 72 / 2  # one display unit of 5号 (10.5 pt) table text in millimetres
FIGURE_PADDING_MM = 4.6  # the cell margins and what the renderer needs beyond the estimate


def widen_for_figures(widths: list[float], column: int, texts: list[str], donor: int) -> list[float]:
    """Returns ``widths`` (mm) with column ``column`` wide enough to hold its widest figure of
    ``texts`` on one line at 5号, the width taken from column ``donor`` (a text column that
    wraps), so that a figure is never broken mid-number and the table keeps its width."""
    need = max((display_width(t) for t in texts), default=0) * HALF_EM_MM + FIGURE_PADDING_MM
    extra = max(need - widths[column], 0.0)
    out = list(widths)
    out[column] += extra
    out[donor] -= extra
    return out
