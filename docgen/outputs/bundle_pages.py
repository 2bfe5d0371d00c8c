"""EDGE: the pages docgen itself draws in the evidence bundle — cover, contents, the page of a
missing document — and the running stamp on every page but the cover (SPEC §7).

Their text is set in one CJK font for the whole bundle: the machine's OpenType CJK font
(``cff_font.find_face``), subset to the characters drawn and embedded (FontFile3), or, when the
machine has none, reportlab's built-in CID font STSong-Light, which is not embedded (the reader's
own 宋体 shows it; ``BundleFont.embedded`` says which, and the build says so in the
missing-evidence report). Pages are drawn as lists of text lines and rules, measured with the
font's own advances, then written as content streams.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docgen.outputs.cff_font import Face, find_face, subset_cff, subset_tag
from docgen.text.outputs_text import OUTPUTS_TEXT
from docgen.word.layout import _tokens

if TYPE_CHECKING:
    from pypdf import PdfWriter
    from pypdf.generic import IndirectObject

A4 = (595.2756, 841.8898)
FALLBACK_FONT = "STSong-Light"
FONT_RESOURCE = "/DocgenCJK"
STAMP_SIZE = 9  # points: small, in the top margin
STAMP_RIGHT = 36  # points from the right edge of the visible page
STAMP_TOP = 38  # points from its top edge to the stamp's baseline: its glyphs start ≥ 10 mm down
STAMP_GRAY = 0.3


@dataclass
class Drawing:
    """One page of text lines (size, x, y, text) and dotted rules (x1, x2, y)."""

    width: float = A4[0]
    height: float = A4[1]
    texts: list[tuple[float, float, float, str]] = field(default_factory=list)
    rules: list[tuple[float, float, float]] = field(default_factory=list)


class BundleFont:
    """The bundle's CJK font: measures text while pages are drawn, then becomes one PDF font
    object for the characters every page used."""

    def __init__(self, face: Face | None) -> None:
        self.face = face
        self.embedded = face is not None
        self._codes: dict[str, int] = {}

    def width(self, text: str, size: float) -> float:
        if self.face is not None:
            return self.face.width(text, size)
        from reportlab.pdfbase.pdfmetrics import stringWidth

        _register_fallback()
        return float(stringWidth(text, FALLBACK_FONT, size))

    def centred(self, drawing: Drawing, size: float, y: float, text: str) -> None:
        drawing.texts.append((size, (drawing.width - self.width(text, size)) / 2, y, text))

    def wrap(self, text: str, size: float, room: float) -> list[str]:
        """Returns ``text`` broken into lines at most ``room`` points wide (between tokens: a
        number or a name in Latin letters is never split unless it is wider than a line)."""
        lines, line = [], ""
        for token in _tokens(text):
            if line and self.width(line + token, size) > room:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
            while len(line) > 1 and self.width(line, size) > room:
                cut = max(k for k in range(1, len(line) + 1) if self.width(line[:k], size) <= room or k == 1)
                lines.append(line[:cut])
                line = line[cut:]
        return [*lines, line] if line or not lines else lines

    def encode(self, text: str) -> str:
        """Returns ``text`` as a PDF hex string in the font's encoding."""
        if self.face is None:
            return "<" + text.encode("utf-16-be", "replace").hex().upper() + ">"
        return "<" + "".join(f"{self._codes.get(c, 0):04X}" for c in text) + ">"

    def font_object(self, writer: PdfWriter, chars: set[str]) -> IndirectObject:
        """Returns the font of the bundle's own pages, added to ``writer`` (a subset of
        ``chars`` when embedded)."""
        if self.face is None:
            return _fallback_font(writer)
        return _embedded_font(writer, self.face, chars, self._codes)


def make_font() -> BundleFont:
    """Returns the bundle's font: the machine's CJK font when there is one, else the fallback."""
    return BundleFont(find_face())


def _register_fallback() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FALLBACK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))


def _fallback_font(writer: PdfWriter) -> IndirectObject:
    """Returns reportlab's font dictionary of STSong-Light (UniGB-UCS2-H, widths included),
    copied from a page reportlab draws."""
    from pypdf import PdfReader
    from reportlab.pdfgen import canvas

    _register_fallback()
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    c.setFont(FALLBACK_FONT, 10)
    c.drawString(0, 0, OUTPUTS_TEXT["bundle_pages.font_probe"])
    c.showPage()
    c.save()
    resources: Any = PdfReader(io.BytesIO(buffer.getvalue())).pages[0]["/Resources"]
    fonts = [f.get_object() for f in resources["/Font"].values()]
    font = next(f for f in fonts if str(f["/BaseFont"]).startswith("/" + FALLBACK_FONT))
    return font.clone(writer).indirect_reference  # type: ignore[no-any-return]


def _stream(writer: PdfWriter, data: bytes, extra: dict[str, Any] | None = None) -> IndirectObject:
    from pypdf.generic import DecodedStreamObject, NameObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    for key, value in (extra or {}).items():
        stream[NameObject(key)] = value
    return writer._add_object(stream.flate_encode())


def _embedded_font(writer: PdfWriter, face: Face, chars: set[str], codes: dict[str, int]) -> IndirectObject:
    """Returns a Type 0 font (Identity-H) whose CIDFontType0C descendant is ``face`` subset to
    ``chars``; fills ``codes`` (character → CID) for ``BundleFont.encode``."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    glyphs = sorted({face.glyph(c) for c in chars} - {0})
    order = [0, *glyphs]
    new = {g: k for k, g in enumerate(order)}
    codes.clear()
    codes.update({c: new[face.glyph(c)] for c in sorted(chars) if face.glyph(c)})
    name = f"{subset_tag(face, order)}+{face.name}"
    scale = 1000 / face.units
    program = _stream(writer, subset_cff(face.cff, order), {"/Subtype": NameObject("/CIDFontType0C")})
    descriptor = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/FontDescriptor"),
                NameObject("/FontName"): NameObject("/" + name),
                NameObject("/Flags"): NumberObject(4),
                NameObject("/FontBBox"): ArrayObject(NumberObject(round(v * scale)) for v in face.bbox),
                NameObject("/ItalicAngle"): NumberObject(0),
                NameObject("/Ascent"): NumberObject(round(face.ascent * scale)),
                NameObject("/Descent"): NumberObject(round(face.descent * scale)),
                NameObject("/CapHeight"): NumberObject(round(face.cap_height * scale)),
                NameObject("/StemV"): NumberObject(80),
                NameObject("/FontFile3"): program,
            }
        )
    )
    widths = ArrayObject(FloatObject(round(face.advances[g] * scale, 1)) for g in order)
    system = DictionaryObject(
        {
            NameObject("/Registry"): TextStringObject("Adobe"),
            NameObject("/Ordering"): TextStringObject("Identity"),
            NameObject("/Supplement"): NumberObject(0),
        }
    )
    descendant = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/CIDFontType0"),
                NameObject("/BaseFont"): NameObject("/" + name),
                NameObject("/CIDSystemInfo"): system,
                NameObject("/FontDescriptor"): descriptor,
                NameObject("/DW"): NumberObject(1000),
                NameObject("/W"): ArrayObject([NumberObject(0), widths]),
            }
        )
    )
    to_unicode = _stream(writer, _to_unicode(codes))
    return writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type0"),
                NameObject("/BaseFont"): NameObject("/" + name),
                NameObject("/Encoding"): NameObject("/Identity-H"),
                NameObject("/DescendantFonts"): ArrayObject([descendant]),
                NameObject("/ToUnicode"): to_unicode,
            }
        )
    )


def _to_unicode(codes: dict[str, int]) -> bytes:
    pairs = sorted((cid, char) for char, cid in codes.items())
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{cid:04X}> <{char.encode('utf-16-be').hex().upper()}>" for cid, char in chunk]
        lines.append("endbfchar")
    lines += ["endcmap CMapName currentdict /CMap defineresource pop end end"]
    return "\n".join(lines).encode("ascii")


def drawing_chars(drawings: list[Drawing]) -> set[str]:
    return {c for d in drawings for *_, text in d.texts for c in text}


def add_drawing(writer: PdfWriter, drawing: Drawing, font: BundleFont, font_ref: IndirectObject) -> None:
    """Appends ``drawing`` to ``writer`` as a page of its own."""
    from pypdf.generic import DictionaryObject, NameObject

    page = writer.add_blank_page(drawing.width, drawing.height)
    out = []
    for x1, x2, y in drawing.rules:
        out.append(f"q 0.5 w [1 2] 0 d {x1:.2f} {y:.2f} m {x2:.2f} {y:.2f} l S Q")
    for size, x, y, text in drawing.texts:
        out.append(f"BT {FONT_RESOURCE} {size:g} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm {font.encode(text)} Tj ET")
    page[NameObject("/Contents")] = _stream(writer, "\n".join(out).encode("ascii"))
    fonts = DictionaryObject({NameObject(FONT_RESOURCE): font_ref})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})


def stamp_position(page_box: tuple[float, float, float, float], rotate: int, width: float) -> list[float]:
    """Returns the text matrix of a stamp ``width`` points wide whose baseline ends STAMP_RIGHT
    points from the right and STAMP_TOP points below the top of the page as it is shown (a page
    turned by /Rotate keeps its stamp upright in its top-right corner)."""
    left, bottom, right, top = page_box
    shown_w, shown_h = (right - left, top - bottom) if rotate % 180 == 0 else (top - bottom, right - left)
    dx, dy = shown_w - STAMP_RIGHT - width, shown_h - STAMP_TOP
    turn = rotate % 360
    if turn == 90:
        return [0, 1, -1, 0, right - dy, bottom + dx]
    if turn == 180:
        return [-1, 0, 0, -1, right - dx, top - dy]
    if turn == 270:
        return [0, -1, 1, 0, left + dy, top - dx]
    return [1, 0, 0, 1, left + dx, bottom + dy]


def stamp_text(number: int) -> str:
    from docgen.text.labels import TEXT

    return TEXT["bundle_stamp"].format(number=number)


def stamp_pages(writer: PdfWriter, font: BundleFont, font_ref: IndirectObject, skip: int = 1) -> None:
    """Writes «证明材料汇编　第N页» in the top-right margin of every page after the first
    ``skip`` (the cover), N counting the cover; a page's own content is wrapped in q … Q so its
    graphics state cannot move the stamp."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    save = _stream(writer, b"q\n")
    for number, page in enumerate(writer.pages, 1):
        if number <= skip:
            continue
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else DictionaryObject()
        page[NameObject("/Resources")] = resources
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else DictionaryObject()
        resources[NameObject("/Font")] = fonts
        fonts[NameObject("/DocgenStamp")] = font_ref
        text = stamp_text(number)
        box = page.cropbox
        matrix = stamp_position(
            (float(box.left), float(box.bottom), float(box.right), float(box.top)),
            page.rotation,
            font.width(text, STAMP_SIZE),
        )
        place = " ".join(f"{v:.2f}" for v in matrix)
        mark = f"Q\nq {STAMP_GRAY} g BT /DocgenStamp {STAMP_SIZE} Tf {place} Tm {font.encode(text)} Tj ET Q\n"
        contents = page.get("/Contents")
        existing = (
            []
            if contents is None
            else (
                list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
            )
        )
        page[NameObject("/Contents")] = ArrayObject([save, *existing, _stream(writer, mark.encode("ascii"))])
