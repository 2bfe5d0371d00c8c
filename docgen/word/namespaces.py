"""The XML namespaces of a Word package, and ``qn`` to spell a prefixed name in Clark notation.

The one place they are written down: the f-string writer, the lxml merging, the prepared
templates, the core-properties stamper and the python-docx helpers all take them from here.
"""

from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"  # the Clark prefix of WordprocessingML element and attribute names

# prefix → namespace of the parts docgen reads or writes
NAMESPACES = {
    "w": W_NS,
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xml": "http://www.w3.org/XML/1998/namespace",
}


def qn(name: str) -> str:
    """Returns ``prefix:local`` (e.g. ``w:tbl``) as ``{namespace}local``.

    Raises:
        KeyError: the prefix is not one of ``NAMESPACES``.
    """
    prefix, local = name.split(":")
    return f"{{{NAMESPACES[prefix]}}}{local}"
