"""Hostile evidence files built at test time (small on disk, large or looping when read).

Each builder returns the bytes of one file. Nothing here is shipped: the files exist only in a
test's tmp_path, and each is built in well under a second.
"""

from __future__ import annotations

import bz2
import struct
import zlib
from collections.abc import Mapping

# -- zip archives (.docx) --

MIB = 1 << 20


def _deflate_zeros(size: int) -> bytes:
    """Returns a raw deflate stream that inflates to ``size`` zero bytes, built without
    compressing them: one MiB is compressed and full-flushed (which resets the compressor's
    state, so the block repeats byte for byte) and that block is repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(b"\0" * MIB) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(b"\0" * MIB) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert block == again, "a full flush makes the block repeatable"
    return block * (size // MIB) + compressor.flush()


def _zip(members: Mapping[str, tuple[bytes, int, int, int]]) -> bytes:
    """Returns a zip archive of ``members``: name → (compressed data, method, declared size, CRC).

    The declared uncompressed size and the CRC are written as given: they may lie.
    """
    local, central = bytearray(), bytearray()
    for name, (data, method, declared, crc) in members.items():
        raw = name.encode()
        offset = len(local)
        header = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, len(data), declared, len(raw), 0
        )
        local += header + raw + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            method,
            0,
            0,
            crc,
            len(data),
            declared,
            len(raw),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += raw
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0)
    return bytes(local + central + end)


def docx_deflate_bomb(inflated: int = 1 << 30, declared: int = 4096) -> bytes:
    """Returns a ~1 MB .docx whose word/document.xml inflates to ``inflated`` bytes (1 GiB) while
    its headers declare ``declared``."""
    return _zip({"word/document.xml": (_deflate_zeros(inflated), zlib.DEFLATED, declared, 0)})


def docx_bzip2_bomb(inflated: int = 128 * MIB, declared: int = 4096) -> bytes:
    """Returns a few-hundred-byte .docx whose document.xml is bzip2 (method 12): zipfile inflates
    a bzip2 member in one call, whatever size is asked for."""
    compressor = bz2.BZ2Compressor(9)
    parts = [compressor.compress(b"\0" * MIB) for _ in range(inflated // MIB)]
    return _zip({"word/document.xml": (b"".join(parts) + compressor.flush(), 12, declared, 0)})


def docx_with_text(text: str) -> bytes:
    """Returns a minimal .docx (stored, honest headers) whose body holds ``text``."""
    xml = f'<w:document><w:body><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:body></w:document>'
    data = xml.encode()
    return _zip({"word/document.xml": (data, 0, len(data), zlib.crc32(data))})


def docx_unclosed_tags(size: int = 8 * MIB) -> bytes:
    """Returns a .docx whose document.xml is ``<w:t`` repeated, never closed (a regex that scans
    to the next ``>`` from every ``<w:t`` is quadratic on it)."""
    data = b"<w:t" * (size // 4)
    deflated = zlib.compress(data, 9)[2:-4]  # raw deflate: without the zlib header and checksum
    return _zip({"word/document.xml": (deflated, zlib.DEFLATED, len(data), zlib.crc32(data))})


# -- PDF files written object by object --


def raw_pdf(objects: Mapping[int, bytes], root: int = 1, xref: bool = True) -> bytes:
    """Returns a PDF of the numbered ``objects`` (their bodies between ``obj`` and ``endobj``),
    with a correct cross-reference table, or a wrong one when ``xref`` is False."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    start = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        where = offsets.get(number, 0) if xref else 7 + 13 * number
        out += b"%010d 00000 n \n" % where
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, start)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _deflated_stream(data: bytes) -> bytes:
    return _stream(zlib.compress(data, 9), b"/Filter /FlateDecode")


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _pages(count: int, contents: int, first: int = 10) -> dict[int, bytes]:
    """Returns a page tree (object 2) of ``count`` pages (objects ``first``…) sharing the content
    stream ``contents`` and the font object 4."""
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(count))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        4: _FONT,
    }
    for i in range(count):
        objects[first + i] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 4 0 R >> >> >>" % contents
        )
    return objects


def pdf_with_text(text: str = "ZL202210000001.X", pages: int = 1) -> bytes:
    """Returns a plain, valid PDF whose pages show ``text`` (Helvetica)."""
    return raw_pdf({**_pages(pages, 3), 3: _stream(b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text.encode())})


def pdf_shared_content_bomb(pages: int = 400, inflated: int = 32 * MIB) -> bytes:
    """Returns a ~40 KB PDF whose ``pages`` pages share one content stream inflating to
    ``inflated`` bytes of text operators (each page costs a full interpretation)."""
    line = b"BT /F1 1 Tf (x) Tj ET\n"
    return raw_pdf({**_pages(pages, 3), 3: _deflated_stream(line * (inflated // len(line)))})


def pdf_parent_loop() -> bytes:
    """Returns a PDF whose page tree node lists itself among its kids."""
    objects = _pages(1, 3)
    objects[2] = b"<< /Type /Pages /Kids [10 0 R 2 0 R] /Count 2 >>"
    objects[3] = _stream(b"BT /F1 12 Tf (loop) Tj ET")
    return raw_pdf(objects)


def pdf_self_reference() -> bytes:
    """Returns a PDF whose page's /Contents and /Resources are an object referring to itself."""
    objects = _pages(1, 5)
    objects[10] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R /Resources 6 0 R >>"
    objects[5] = b"5 0 R"
    objects[6] = b"6 0 R"
    return raw_pdf(objects)


def pdf_with_filter(name: bytes) -> bytes:
    """Returns a PDF whose content stream declares the filter ``name`` (/JBIG2Decode, an unknown one)."""
    return raw_pdf({**_pages(1, 3), 3: _stream(b"\x97JB2\x0d\x0a\x1a\x0a" * 8, b"/Filter /" + name)})


def pdf_broken_xref() -> bytes:
    """Returns a PDF whose cross-reference table points every object at a wrong offset."""
    return raw_pdf({**_pages(3, 3), 3: _stream(b"BT /F1 12 Tf (ZL202210000001.X) Tj ET")}, xref=False)


def pdf_page_tree_fan_out(levels: int = 12, fan: int = 10) -> bytes:
    """Returns a PDF whose page tree nodes each list the next node ``fan`` times: ``fan ** levels``
    pages from a few hundred bytes."""
    objects = _pages(1, 3, first=100)
    objects[3] = _stream(b"BT /F1 12 Tf (fan) Tj ET")
    for level in range(levels):
        node = 20 + level
        child = node + 1 if level + 1 < levels else 100
        kids = b" ".join([b"%d 0 R" % child] * fan)
        parent = b"/Parent %d 0 R " % (node - 1) if level else b""
        objects[node] = b"<< /Type /Pages %s/Kids [%s] /Count %d >>" % (parent, kids, fan ** (levels - level))
    objects[1] = b"<< /Type /Catalog /Pages 20 0 R >>"
    objects[100] = objects[100].replace(b"/Parent 2 0 R", b"/Parent %d 0 R" % (20 + levels - 1))
    del objects[2]
    return raw_pdf(objects)


def pdf_with_active_content() -> bytes:
    """Returns a one-page PDF with every kind of active content a viewer may run: document
    /OpenAction and /AA, a /JavaScript name tree, page /AA, and link annotations that launch a
    program, run JavaScript, submit a form and import data."""
    objects = _pages(1, 3)
    objects[1] = (
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 30 0 R "
        b"/AA << /WC << /S /JavaScript /JS (app.alert\\('close'\\)) >> >> "
        b"/Names << /JavaScript << /Names [(run) 30 0 R] >> >> >>"
    )
    objects[3] = _stream(b"BT /F1 12 Tf 72 720 Td (ZL202210000001.X) Tj ET")
    objects[10] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
        b"/Resources << /Font << /F1 4 0 R >> >> "
        b"/AA << /O << /S /JavaScript /JS (app.alert\\('open'\\)) >> >> "
        b"/Annots [31 0 R 32 0 R 33 0 R 34 0 R 35 0 R] >>"
    )
    objects[30] = b"<< /S /JavaScript /JS (app.alert\\('hi'\\)) >>"
    link = b"<< /Type /Annot /Subtype /Link /Rect [72 700 200 720] /A %s >>"
    objects[31] = link % b"<< /S /Launch /F (cmd.exe) >>"
    objects[32] = link % b"30 0 R"
    objects[33] = link % b"<< /S /SubmitForm /F << /FS /URL /F (http://example.invalid/) >> >>"
    objects[34] = link % b"<< /S /ImportData /F (data.fdf) >>"
    objects[35] = link % b"<< /S /URI /URI (https://example.invalid/) >>"
    return raw_pdf(objects)
