"""EDGE: an OpenType CJK font found on the machine, subset to the characters of the bundle's own
pages (cover, contents, placeholders, page stamps) and embedded in the PDF (SPEC §7).

reportlab embeds TrueType outlines only, and the CJK fonts a Linux machine usually has (Noto
Serif/Sans CJK, Source Han) are OpenType with CFF outlines, so docgen subsets the CFF itself:
the glyphs used are renumbered 1 … n (CID = glyph index), every Font DICT is kept, and the
subroutines no used glyph calls are emptied (their numbers stay, so no charstring changes; a
Font DICT none of whose subroutines is called loses them all).

The font is looked up in a fixed list of files (``FONT_CANDIDATES``), after the file named by
``DOCGEN_BUNDLE_FONT`` when it is set: the same machine always gives the same font, and the same
bundle bytes. Fonts with TrueType outlines are not used (the bundle then falls back to the PDF
reader's built-in 宋体, see bundle.py).
"""

from __future__ import annotations

import functools
import hashlib
import os
import struct
from dataclasses import dataclass
from pathlib import Path

ENVIRONMENT = "DOCGEN_BUNDLE_FONT"  # a font file (.otf, .ttc); in a collection its first face named
FAMILIES = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "Noto Sans CJK SC",
            "Source Han Sans SC", "Source Han Sans CN")  # fmt: skip
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/OTF/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJKsc-Regular.otf",
    "/usr/share/fonts/adobe-source-han-serif/SourceHanSerifSC-Regular.otf",
    "/usr/share/fonts/opentype/source-han-serif/SourceHanSerifSC-Regular.otf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/OTF/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/adobe-source-han-sans/SourceHanSansSC-Regular.otf",
    "/Library/Fonts/NotoSerifCJKsc-Regular.otf",
)
MAX_FONT_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 10  # subroutine nesting (Type 2 allows 10)


class FontError(ValueError):
    """The file is not an OpenType CFF font docgen can subset."""


@dataclass(frozen=True)
class Face:
    """One OpenType face with CFF outlines: what a PDF needs to show and embed it."""

    path: str
    name: str  # PostScript name
    units: int  # units per em
    advances: tuple[int, ...]  # by glyph
    cmap: dict[int, int]  # code point → glyph
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int
    cff: bytes

    def glyph(self, char: str) -> int:
        return self.cmap.get(ord(char), 0)

    def width(self, text: str, size: float) -> float:
        """Returns the advance of ``text`` at ``size`` points."""
        return (
            sum(self.advances[min(self.glyph(c), len(self.advances) - 1)] for c in text) * size / self.units
        )


def find_face() -> Face | None:
    """Returns the bundle's CJK face: the file of DOCGEN_BUNDLE_FONT, else the first usable one
    of FONT_CANDIDATES; None when there is none."""
    override = os.environ.get(ENVIRONMENT, "").strip()
    for path in ((override,) if override else ()) + FONT_CANDIDATES:
        face = _load(path)
        if face is not None:
            return face
    return None


def _load(path: str) -> Face | None:
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return _cached(path, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _cached(path: str, size: int, mtime: int) -> Face | None:
    if size > MAX_FONT_BYTES:
        return None
    try:
        return read_face(Path(path).read_bytes(), path)
    except (OSError, FontError, struct.error, IndexError, KeyError, ValueError):
        return None


def _u16(data: bytes, pos: int) -> int:
    return int.from_bytes(data[pos : pos + 2], "big")


def _s16(data: bytes, pos: int) -> int:
    return int.from_bytes(data[pos : pos + 2], "big", signed=True)


def _u32(data: bytes, pos: int) -> int:
    return int.from_bytes(data[pos : pos + 4], "big")


def _tables(data: bytes, offset: int) -> dict[str, tuple[int, int]]:
    count = _u16(data, offset + 4)
    out = {}
    for index in range(count):
        record = offset + 12 + 16 * index
        out[data[record : record + 4].decode("latin-1")] = (_u32(data, record + 8), _u32(data, record + 12))
    return out


def _names(data: bytes, table: tuple[int, int]) -> dict[int, str]:
    start, _ = table
    count, strings = _u16(data, start + 2), start + _u16(data, start + 4)
    out: dict[int, str] = {}
    for index in range(count):
        record = start + 6 + 12 * index
        platform, encoding, language, name_id = (_u16(data, record + 2 * k) for k in range(4))
        length, offset = _u16(data, record + 8), _u16(data, record + 10)
        raw = data[strings + offset : strings + offset + length]
        if platform == 3 and encoding in (1, 10) and language == 0x409:
            out[name_id] = raw.decode("utf-16-be", "replace")
        elif platform == 1 and encoding == 0 and name_id not in out:
            out[name_id] = raw.decode("latin-1")
    return out


def read_face(data: bytes, path: str = "") -> Face:
    """Returns the face of an .otf file or the first face of a .ttc named in FAMILIES.

    Raises:
        FontError: no face with CFF outlines and a Unicode cmap.
    """
    if data[:4] == b"ttcf":
        offsets = [_u32(data, 12 + 4 * k) for k in range(_u32(data, 8))]
    elif data[:4] == b"OTTO":
        offsets = [0]
    else:
        raise FontError("not an OpenType CFF font")
    faces = []
    for offset in offsets:
        tables = _tables(data, offset)
        if "CFF " not in tables or "name" not in tables:
            continue
        names = _names(data, tables["name"])
        faces.append((names.get(1, ""), names.get(6, "") or names.get(4, ""), tables))
    if not faces:
        raise FontError("no face with CFF outlines")
    chosen = next((f for family in FAMILIES for f in faces if f[0] == family), faces[0])
    _, name, tables = chosen
    head, hhea, maxp = tables["head"][0], tables["hhea"][0], tables["maxp"][0]
    glyphs, metrics = _u16(data, maxp + 4), _u16(data, hhea + 34)
    hmtx = tables["hmtx"][0]
    advances = [_u16(data, hmtx + 4 * k) for k in range(metrics)]
    advances += [advances[-1]] * (glyphs - metrics)
    cap = 0
    if "OS/2" in tables and _u16(data, tables["OS/2"][0]) >= 2:
        cap = _s16(data, tables["OS/2"][0] + 88)
    start, length = tables["CFF "]
    return Face(
        path=path,
        name="".join(c for c in name if c.isalnum() or c == "-") or "CJK",
        units=_u16(data, head + 18),
        advances=tuple(advances),
        cmap=_cmap(data, tables["cmap"][0]),
        bbox=(_s16(data, head + 36), _s16(data, head + 38), _s16(data, head + 40), _s16(data, head + 42)),
        ascent=_s16(data, hhea + 4),
        descent=_s16(data, hhea + 6),
        cap_height=cap or _s16(data, hhea + 4),
        cff=data[start : start + length],
    )


def _cmap(data: bytes, start: int) -> dict[int, int]:
    """Returns the Unicode cmap (format 12, else format 4)."""
    subtables = {}
    for index in range(_u16(data, start + 2)):
        record = start + 4 + 8 * index
        subtables[(_u16(data, record), _u16(data, record + 2))] = start + _u32(data, record + 4)
    out: dict[int, int] = {}
    table = subtables.get((3, 10)) or subtables.get((0, 4))
    if table is not None and _u16(data, table) == 12:
        for group in range(_u32(data, table + 12)):
            first, last, glyph = (_u32(data, table + 16 + 12 * group + 4 * k) for k in range(3))
            for code in range(first, last + 1):
                out[code] = glyph + code - first
        return out
    table = subtables.get((3, 1)) or subtables.get((0, 3))
    if table is None or _u16(data, table) != 4:
        raise FontError("no Unicode cmap")
    segments = _u16(data, table + 6) // 2
    ends, starts = table + 14, table + 16 + 2 * segments
    deltas, ranges = starts + 2 * segments, starts + 4 * segments
    for k in range(segments):
        end, first, delta, offset = (_u16(data, p + 2 * k) for p in (ends, starts, deltas, ranges))
        for code in range(first, min(end, 0xFFFE) + 1):
            if offset == 0:
                out[code] = (code + delta) & 0xFFFF
            else:
                glyph = _u16(data, ranges + 2 * k + offset + 2 * (code - first))
                if glyph:
                    out[code] = (glyph + delta) & 0xFFFF
    return out


# -- CFF ---------------------------------------------------------------------------------------


def _index(data: bytes, pos: int) -> tuple[list[tuple[int, int]], int]:
    """Returns the (start, end) of each item of the INDEX at ``pos`` and the position after it."""
    count = _u16(data, pos)
    if count == 0:
        return [], pos + 2
    size = data[pos + 2]
    offsets = [
        int.from_bytes(data[pos + 3 + size * k : pos + 3 + size * (k + 1)], "big") for k in range(count + 1)
    ]
    base = pos + 2 + size * (count + 1)
    return [(base + offsets[k], base + offsets[k + 1]) for k in range(count)], base + offsets[-1]


def _write_index(items: list[bytes]) -> bytes:
    if not items:
        return b"\x00\x00"
    offsets = [1]
    for item in items:
        offsets.append(offsets[-1] + len(item))
    size = 1 if offsets[-1] < 1 << 8 else 2 if offsets[-1] < 1 << 16 else 3 if offsets[-1] < 1 << 24 else 4
    head = struct.pack(">HB", len(items), size) + b"".join(o.to_bytes(size, "big") for o in offsets)
    return head + b"".join(items)


def _dict(data: bytes) -> list[tuple[int, list[float], bytes]]:
    """Returns a DICT's entries: operator (12 x as 1200 + x), operands, raw bytes."""
    out = []
    operands: list[float] = []
    start = pos = 0
    while pos < len(data):
        b0 = data[pos]
        if b0 <= 21:
            op = 1200 + data[pos + 1] if b0 == 12 else b0
            pos += 2 if b0 == 12 else 1
            out.append((op, operands, data[start:pos]))
            operands, start = [], pos
        elif b0 == 28:
            operands.append(_s16(data, pos + 1))
            pos += 3
        elif b0 == 29:
            operands.append(int.from_bytes(data[pos + 1 : pos + 5], "big", signed=True))
            pos += 5
        elif b0 == 30:
            pos += 1
            while not (data[pos] & 0x0F == 0x0F or data[pos] >> 4 == 0x0F):
                pos += 1
            pos += 1
            operands.append(0.0)  # reals are copied raw, never read
        elif b0 <= 246:
            operands.append(b0 - 139)
            pos += 1
        elif b0 <= 250:
            operands.append((b0 - 247) * 256 + data[pos + 1] + 108)
            pos += 2
        else:
            operands.append(-(b0 - 251) * 256 - data[pos + 1] - 108)
            pos += 2
    return out


def _int5(value: int) -> bytes:
    return b"\x1d" + value.to_bytes(4, "big", signed=True)


def _bias(count: int) -> int:
    return 107 if count < 1240 else 1131 if count < 33900 else 32768


class _Scanner:
    """Finds the subroutines a glyph calls (Type 2 charstrings; hint masks skipped)."""

    def __init__(self, data: bytes, gsubrs: list[tuple[int, int]]) -> None:
        self.data, self.gsubrs = data, gsubrs
        self.used_global: set[int] = set()
        self.stems = 0
        self.stack: list[float] = []

    def glyph(self, span: tuple[int, int], lsubrs: list[tuple[int, int]], used_local: set[int]) -> None:
        self.stems, self.stack = 0, []
        self._run(span, lsubrs, used_local, 0)

    def _run(self, span: tuple[int, int], lsubrs: list[tuple[int, int]], used: set[int], depth: int) -> bool:
        """Interprets a charstring; returns True at endchar."""
        data = self.data
        pos, end = span
        stack = self.stack
        while pos < end:
            b0 = data[pos]
            if b0 >= 32 or b0 == 28:
                if b0 == 28:
                    stack.append(_s16(data, pos + 1))
                    pos += 3
                elif b0 <= 246:
                    stack.append(b0 - 139)
                    pos += 1
                elif b0 <= 250:
                    stack.append((b0 - 247) * 256 + data[pos + 1] + 108)
                    pos += 2
                elif b0 <= 254:
                    stack.append(-(b0 - 251) * 256 - data[pos + 1] - 108)
                    pos += 2
                else:
                    stack.append(int.from_bytes(data[pos + 1 : pos + 5], "big", signed=True) / 65536)
                    pos += 5
                continue
            pos += 1
            if b0 in (1, 3, 18, 23):  # hstem vstem hstemhm vstemhm
                self.stems += len(stack) // 2
            elif b0 in (19, 20):  # hintmask cntrmask: implied vstem, then the mask bytes
                self.stems += len(stack) // 2
                pos += (self.stems + 7) // 8
            elif b0 in (10, 29):  # callsubr callgsubr
                if not stack or depth >= MAX_DEPTH:
                    raise FontError("bad subroutine call")
                subrs = lsubrs if b0 == 10 else self.gsubrs
                number = int(stack.pop()) + _bias(len(subrs))
                if not 0 <= number < len(subrs):
                    raise FontError("subroutine out of range")
                (used if b0 == 10 else self.used_global).add(number)
                if self._run(subrs[number], lsubrs, used, depth + 1):
                    return True
                continue
            elif b0 == 11:  # return
                return False
            elif b0 == 14:  # endchar
                return True
            elif b0 == 12:
                pos += 1
            stack.clear()
        return False


def subset_cff(cff: bytes, glyphs: list[int]) -> bytes:
    """Returns a CID-keyed CFF with ``glyphs`` (glyph 0 first) as glyphs 0 … n−1, CID = glyph.

    Raises:
        FontError: the CFF is not a CID-keyed font docgen can read.
    """
    header = cff[2]
    names, pos = _index(cff, header)
    tops, pos = _index(cff, pos)
    strings, pos = _index(cff, pos)
    gsubrs, _ = _index(cff, pos)
    top = _dict(cff[tops[0][0] : tops[0][1]])
    ops = {op: operands for op, operands, _ in top}
    if 1230 not in ops or 1236 not in ops or 1237 not in ops:
        raise FontError("not a CID-keyed CFF")
    charstrings, _ = _index(cff, int(ops[17][0]))
    fd_dicts, _ = _index(cff, int(ops[1236][0]))
    fd_of = _fd_select(cff, int(ops[1237][0]), len(charstrings))
    Entries = list[tuple[int, list[float], bytes]]
    fds: list[tuple[Entries, Entries, list[tuple[int, int]], set[int]]] = []
    for start, end in fd_dicts:
        entries = _dict(cff[start:end])
        private = next((o for op, o, _ in entries if op == 18), None)
        lsubrs: list[tuple[int, int]] = []
        private_entries: list[tuple[int, list[float], bytes]] = []
        if private is not None:
            size, offset = int(private[0]), int(private[1])
            private_entries = _dict(cff[offset : offset + size])
            subrs = next((o for op, o, _ in private_entries if op == 19), None)
            if subrs is not None:
                lsubrs, _ = _index(cff, offset + int(subrs[0]))
        fds.append((entries, private_entries, lsubrs, set()))
    scanner = _Scanner(cff, gsubrs)
    for glyph in glyphs:
        fd = fds[fd_of[glyph]]
        scanner.glyph(charstrings[glyph], fd[2], fd[3])

    def kept(spans: list[tuple[int, int]], used: set[int]) -> list[bytes]:
        return [cff[s:e] if k in used else b"\x0b" for k, (s, e) in enumerate(spans)]

    head = bytes([1, 0, 4, 4])
    name_index = _write_index([cff[s:e] for s, e in names])
    string_index = _write_index([cff[s:e] for s, e in strings])
    gsubr_index = _write_index(kept(gsubrs, scanner.used_global))
    charset = b"\x02" + struct.pack(">HH", 1, len(glyphs) - 2) if len(glyphs) > 1 else b"\x00"
    ranges: list[tuple[int, int]] = []
    for new, old in enumerate(glyphs):
        if not ranges or ranges[-1][1] != fd_of[old]:
            ranges.append((new, fd_of[old]))
    fd_select = b"\x03" + struct.pack(">H", len(ranges))
    fd_select += b"".join(struct.pack(">HB", first, fd) for first, fd in ranges) + struct.pack(
        ">H", len(glyphs)
    )
    charstring_index = _write_index([cff[charstrings[g][0] : charstrings[g][1]] for g in glyphs])
    skip = {15, 16, 17, 18, 1234, 1235, 1236, 1237, 14}
    kept_top = b"".join(raw for op, _, raw in top if op not in skip)
    top_size = len(kept_top) + 33  # CIDCount and four offsets, each a 5-byte number and its operator
    top_index_size = len(_write_index([b"\x00" * top_size]))
    at = len(head) + len(name_index) + top_index_size + len(string_index) + len(gsubr_index)
    charset_at = at
    fd_select_at = charset_at + len(charset)
    charstrings_at = fd_select_at + len(fd_select)
    fd_array_at = charstrings_at + len(charstring_index)
    font_dicts = []
    privates = b""
    fd_dict_sizes = [len(b"".join(r for op, _, r in e if op != 18)) + 11 for e, *_ in fds]
    private_at = fd_array_at + len(_write_index([b"\x00" * s for s in fd_dict_sizes]))
    for entries, private_entries, lsubrs, used in fds:
        body = b"".join(raw for op, _, raw in private_entries if op != 19)
        subr_index = _write_index(kept(lsubrs, used)) if used else b""  # no used glyph calls them
        if subr_index:
            body += _int5(len(body) + 6) + b"\x13"
        kept_fd = b"".join(raw for op, _, raw in entries if op != 18)
        font_dicts.append(kept_fd + _int5(len(body)) + _int5(private_at + len(privates)) + b"\x12")
        privates += body + subr_index
    top_dict = (
        kept_top
        + _int5(len(glyphs))
        + b"\x0c\x22"
        + _int5(charset_at)
        + b"\x0f"
        + _int5(charstrings_at)
        + b"\x11"
        + _int5(fd_array_at)
        + b"\x0c\x24"
        + _int5(fd_select_at)
        + b"\x0c\x25"
    )
    assert len(top_dict) == top_size
    return b"".join(
        (
            head,
            name_index,
            _write_index([top_dict]),
            string_index,
            gsubr_index,
            charset,
            fd_select,
            charstring_index,
            _write_index(font_dicts),
            privates,
        )
    )


def _fd_select(cff: bytes, pos: int, glyphs: int) -> list[int]:
    if cff[pos] == 0:
        return list(cff[pos + 1 : pos + 1 + glyphs])
    if cff[pos] != 3:
        raise FontError("unknown FDSelect format")
    out = [0] * glyphs
    count = _u16(cff, pos + 1)
    for k in range(count):
        first, fd = _u16(cff, pos + 3 + 3 * k), cff[pos + 5 + 3 * k]
        last = _u16(cff, pos + 6 + 3 * k)
        out[first:last] = [fd] * (last - first)
    return out


def subset_tag(face: Face, glyphs: list[int]) -> str:
    """Returns the six capital letters that name a subset (PDF 32000 9.6.4), from its glyphs."""
    digest = hashlib.sha256((face.name + ",".join(map(str, glyphs))).encode()).digest()
    return "".join(chr(ord("A") + b % 26) for b in digest[:6])
