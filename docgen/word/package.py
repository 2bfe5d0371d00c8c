"""EDGE: the one writer of Word (and Excel) packages: a zip with fixed timestamps, and core.xml.

Every .docx and .xlsx docgen writes leaves through ``write_zip``: members in the given order,
each deflated at level 6 with a fixed 1980-01-01 timestamp and 0600 permissions, so the same
parts always give the same bytes. ``stamp_core_properties`` is the one place the document
properties (title, author, dates) are set.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from docgen.word.namespaces import qn

CORE = "docProps/core.xml"
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00, fixed for reproducible output
_UTF8_NAMES = 0x0800  # general-purpose flag: member names are UTF-8
_DEFLATED = 8
_VERSION = 20  # version needed to extract (deflate)
_PERMISSIONS = 0o600 << 16


@dataclass(frozen=True)
class ZipMember:
    """One member of an archive, already compressed (raw deflate stream)."""

    name: str
    crc: int
    size: int
    data: bytes


def zip_member(name: str, data: bytes) -> ZipMember:
    """Returns ``data`` compressed as the member ``name``."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return ZipMember(name, zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush())


def write_zip(members: Iterable[ZipMember]) -> bytes:
    """Returns a zip archive of ``members`` in their order, with fixed timestamps."""
    out = bytearray()
    central = bytearray()
    count = 0
    for member in members:
        count += 1
        name = member.name.encode("utf-8")
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,  # local file header
            _VERSION,
            _UTF8_NAMES,
            _DEFLATED,
            _DOS_TIME,
            _DOS_DATE,
            member.crc,
            len(member.data),
            member.size,
            len(name),
            0,
        )
        out += name + member.data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,  # central directory header
            _VERSION,
            _VERSION,
            _UTF8_NAMES,
            _DEFLATED,
            _DOS_TIME,
            _DOS_DATE,
            member.crc,
            len(member.data),
            member.size,
            len(name),
            0,
            0,
            0,
            0,
            _PERMISSIONS,
            offset,
        )
        central += name
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), start, 0)
    return bytes(out)


@dataclass(frozen=True)
class CoreProperties:
    """The document properties docgen sets in ``docProps/core.xml``; None leaves one as it is."""

    created: dt.datetime | None = None  # also the modification date
    printed: dt.datetime | None = None
    title: str | None = None
    author: str | None = None
    last_modified_by: str | None = None
    revision: int | None = None


def document_properties(timestamp: object, title: str, author: str) -> CoreProperties:
    """Returns the properties of every Word document docgen writes: dated ``timestamp`` (when it
    is a datetime), titled, by ``author``, last modified by docgen, revision 1."""
    stamp = timestamp if isinstance(timestamp, dt.datetime) else None
    return CoreProperties(stamp, stamp, title, author, "docgen", 1)


def stamp_core_properties(xml: bytes, properties: CoreProperties) -> bytes:
    """Returns core.xml with ``properties`` set (missing elements are appended)."""
    root = etree.fromstring(xml)

    def put(tag: str, value: str | None, w3cdtf: bool = False) -> None:
        if value is None:
            return
        element = root.find(qn(tag))
        if element is None:
            element = etree.SubElement(root, qn(tag))
        element.text = value
        if w3cdtf:
            element.set(qn("xsi:type"), "dcterms:W3CDTF")

    def when(stamp: dt.datetime | None) -> str | None:
        return stamp.strftime("%Y-%m-%dT%H:%M:%SZ") if stamp is not None else None

    put("dcterms:created", when(properties.created), True)
    put("dcterms:modified", when(properties.created), True)
    put("cp:lastPrinted", when(properties.printed))
    put("dc:title", properties.title)
    put("dc:creator", properties.author)
    put("cp:lastModifiedBy", properties.last_modified_by)
    put("cp:revision", str(properties.revision) if properties.revision is not None else None)
    declared = xml.lstrip().startswith(b"<?xml")
    return bytes(
        etree.tostring(root, xml_declaration=declared, encoding="UTF-8", standalone=declared or None)
    )


def normalise_zip(data: bytes, properties: CoreProperties | None = None) -> bytes:
    """Returns the package ``data`` rewritten by ``write_zip``, core.xml stamped with ``properties``.

    For packages another library saved (python-docx, openpyxl): the same parts, in the same
    order, give the same bytes whatever the library put in the zip's headers.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    return write_zip(
        zip_member(name, stamp_core_properties(part, properties) if name == CORE and properties else part)
        for name, part in parts
    )
