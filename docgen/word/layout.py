"""CORE: estimate how table text lays out — display widths, line breaks, column widths.

Neither openpyxl nor python-docx can measure text, so the 汇总表 writers estimate it: a CJK
(full-width) character counts 2 display units, any other character 1 (about half an em). Lines
break greedily between tokens; a token is one CJK character, a run of Latin letters and digits
(e.g. ``107-2``, ``109.54``), or a short full-width parenthesised group such as ``（万元）``. Closing
punctuation sticks to the token before it and opening punctuation to the token after it, so no
line starts with ``）`` or ends with ``（``.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata

from docgen.text.labels import KEPT_UNITS

_OPENING = "（《「『“‘〔【"
_CLOSING = "）》」』”’〕】，。、；：？！%"
_LATIN = re.compile(r"[0-9A-Za-z.,:/%+\-_·]+")
_GROUP = re.compile(r"（[^（）]{1,8}）")


_WIDE_IN_CJK_FONTS = "“”‘’…—"  # ambiguous width, but full-width in 宋体 and the Noto CJK fonts


def char_width(char: str) -> int:
    """Returns 2 for a full-width (CJK) character, 1 otherwise."""
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") or char in _WIDE_IN_CJK_FONTS else 1


def display_width(text: str) -> int:
    """Returns the display width of one line of text."""
    return sum(char_width(c) for c in text)


_HALF_CLOSING = ",.;:!?)"  # no line starts with these either, where the renderer is asked


def _tokens(paragraph: str, rendered: bool = False) -> list[str]:
    """Returns the unbreakable pieces of one paragraph (spaces are their own tokens); ``rendered``:
    half-width closing punctuation sticks to the token before it too («分,500-600» is one piece,
    as LibreOffice breaks it)."""
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
        closing = _CLOSING + _HALF_CLOSING if rendered else _CLOSING
        closes = token[0] in closing and tokens[-1:] != [" "]
        if tokens and (glue_next or closes):
            tokens[-1] += token
        else:
            tokens.append(token)
        glue_next = token[-1] in _OPENING
    return tokens


# how the renderer sets a line of 5号 table text (measured on LibreOffice's PDF of the forms):
# the half-width signs of the serif font are narrower or wider than a digit (units: half an em),
# and autospace puts about 0.2 em between an ideograph and a half-width letter or digit
LATIN_WIDTHS = {",": 0.5, ".": 0.5, ";": 0.56, ":": 0.56, "/": 0.56, "-": 0.67, "(": 0.67, ")": 0.67}
LATIN_WIDTHS.update({" ": 0.5, "%": 1.67, "=": 1.13, "+": 1.13, "÷": 1.1, "×": 1.13})
AUTOSPACE = 0.4


def rendered_width(text: str) -> float:
    """Returns the width of one line of text as the renderer sets it (``LATIN_WIDTHS``, ``AUTOSPACE``),
    in display units: closer than ``display_width`` for mixed Chinese and figures."""
    width = sum(LATIN_WIDTHS.get(c, char_width(c)) for c in text)
    kinds = [_script(c) for c in text]
    return width + AUTOSPACE * sum(1 for a, b in itertools.pairwise(kinds) if a and b and a != b)


def _script(char: str) -> str:
    """Returns "cjk" for an ideograph, "latin" for a half-width letter or digit, else ""."""
    if char.isascii():
        return "latin" if char.isalnum() else ""
    return "cjk" if char_width(char) == 2 and unicodedata.category(char) == "Lo" else ""


def wrap_lines(text: str, capacity: float, rendered: bool = False) -> list[str]:
    """Returns the lines ``text`` takes in a cell ``capacity`` display units wide (``rendered``:
    measured as the renderer sets it, ``rendered_width``, else by ``display_width``).

    Explicit newlines always break; a token wider than the whole line is split by characters.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _tokens(paragraph, rendered):
            if token == " " and not line:
                continue
            width = rendered_width(line + token) if rendered else display_width(line + token)
            if width <= capacity or not line.strip():
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


def break_points(text: str, rendered: bool = False) -> list[int]:
    """Returns the offsets in ``text`` where a line may break: between its tokens (``_tokens``)
    and at its newlines, in order."""
    points = [0]
    offset = 0
    for paragraph in text.split("\n"):
        for token in _tokens(paragraph, rendered):
            offset += len(token)
            points.append(offset)
        offset += 1
        points.append(offset)
    return points


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


# -- groups a line must not break inside --
# A short half-width bracket group («(9分)», «(含外聘)») and a code with a slash («GB/T4754-2011»),
# after which Word and LibreOffice may break; in a table cell also a number and its unit («得5分»,
# «1项», «300万»: ``KEPT_UNITS``), which they break apart in a narrow criteria column («得5» /
# «分»). No character is inserted to hold them (a word joiner breaks copying and text search of
# the published wording): where the estimate says such a group would not fit on the line where
# it starts, a line break is set before it (before the opening bracket it follows), so the group
# starts the next line whole.
KEPT = re.compile(r"\([^()]{1,8}\)|[A-Za-z]+/[A-Za-z0-9][A-Za-z0-9.\-]*")
_NUMBER_UNIT = r"(?<![0-9.])[0-9]+(?:\.[0-9]+)?(?:" + "|".join(re.escape(u) for u in KEPT_UNITS) + ")"
KEPT_IN_CELLS = re.compile(f"{KEPT.pattern}|{_NUMBER_UNIT}")
_INDENT = "\u3000"  # stands for one character of first-line indent in the estimate


def kept_groups(
    text: str, capacity: float, indent: int = 0, kept: re.Pattern[str] = KEPT, rendered: bool = False
) -> str:
    """Returns ``text`` with a line break before each kept group (``kept``) that would not fit
    on the line where it starts, in a line ``capacity`` half-width characters wide whose first
    line is indented by ``indent`` characters. The group is taken from the line break point
    before it to the one after it (an opening bracket before it, the punctuation after it: no
    line starts with «，» or «,»). The estimate either cuts such a group (a bracket group) or
    moves it whole to the next line (a code, one token to the estimate): the renderer would cut
    it there. ``rendered``: lines measured as the renderer sets them (``rendered_width``)."""
    position = 0
    while True:
        match = kept.search(text, position)
        if match is None:
            return text
        points = break_points(text, rendered)
        start = max(p for p in points if p <= match.start())
        end = min((p for p in points if p >= match.end()), default=len(text))
        position = end
        while start > 0 and text[start - 1] in _OPENING:
            start -= 1
        group = text[start:end]
        if start == 0 or text[start - 1] == "\n" or display_width(group) > capacity:
            continue
        lines = wrap_lines(_INDENT * indent + text[:end], capacity, rendered)
        last = lines[-1]
        cut = not last.endswith(group)
        moved = len(lines) > 1 and last == group
        if cut or moved:
            text = f"{text[:start]}\n{text[start:]}"
            position += 1
