"""EDGE: Word documents to PDF through LibreOffice headless, the contents refreshed with page numbers.

LibreOffice's plain ``--convert-to pdf`` keeps a contents field as it was cached in the .docx: the
entries without their page numbers. So docgen runs a small Basic macro instead (``_MACRO``): it
opens each document hidden, updates every index twice (the second pass sees the pages the first
one filled in), exports with ``writer_pdf_Export`` (fonts embedded, subset) and ends LibreOffice.

Each LibreOffice process gets a private user profile in a temporary folder (removed afterwards),
so runs never share a lock, a half-written profile or a user's settings; the macro is installed
into that profile after LibreOffice has created it (``--terminate_after_init``: a first start
writes the profile's Basic libraries over anything put there before). The documents travel
through the temporary folder under plain names (``0.docx`` …) and come back as bytes: the caller
writes the PDFs atomically, never half-written. A process that outlives its time limit is killed
with its whole process group (soffice starts soffice.bin as a child).

Found as ``DOCGEN_SOFFICE`` (a path), else ``soffice`` / ``libreoffice`` on PATH, else the usual
install places of macOS and Windows.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.sax.saxutils import escape

from docgen.errors import DocgenError
from docgen.files import write_all
from docgen.text.commands import SAY

SOFFICE_ENV = "DOCGEN_SOFFICE"
SOFFICE_NAMES = ("soffice", "libreoffice")
SOFFICE_PLACES = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)
SOFFICE_START_SECONDS = 60
"""Time limit of one LibreOffice process: this much to start and end ..."""
SOFFICE_SECONDS_PER_DOCUMENT = 60
"""... and this much more for each document it converts (a report takes under a second)."""

PDF_NAMES = {"report.docx": "report.pdf", "missing-evidence.docx": "missing-evidence.pdf"}
"""The documents a build converts, and the names of their PDFs."""

_MODULE = "DocgenPdf"
_MACRO = """
Sub Convert
  Dim folder As String, name As String
  folder = Environ("DOCGEN_PDF_WORK")
  name = Dir(folder & "/*.docx")
  Do While name <> ""
    ConvertOne(folder & "/" & name, folder & "/" & Left(name, Len(name) - 5) & ".pdf")
    name = Dir()
  Loop
  StarDesktop.terminate()
End Sub

Sub ConvertOne(source As String, target As String)
  Dim doc As Object, indexes As Object, i As Integer, pass As Integer
  On Error GoTo Failed
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = "Hidden" : load(0).Value = True
  Dim store(0) As New com.sun.star.beans.PropertyValue
  store(0).Name = "FilterName" : store(0).Value = "writer_pdf_Export"
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(source), "_blank", 0, load())
  indexes = doc.getDocumentIndexes()
  For pass = 1 To 2
    For i = 0 To indexes.getCount() - 1
      indexes.getByIndex(i).update()
    Next i
  Next pass
  doc.storeToURL(ConvertToURL(target), store())
  doc.close(True)
  Exit Sub
Failed:
  If Not IsNull(doc) Then doc.close(True)
End Sub
"""


class PdfError(DocgenError):
    """A PDF could not be made: LibreOffice is missing, timed out or failed (exit 1)."""


def find_soffice() -> str:
    """Returns the LibreOffice program to run.

    Raises:
        PdfError: ``DOCGEN_SOFFICE`` names no program, or none is installed (the hint says how to
            install it).
    """
    named = os.environ.get(SOFFICE_ENV)
    if named:
        if os.path.isfile(named) and os.access(named, os.X_OK):
            return named
        raise PdfError(
            SAY["pdf_env_missing"].format(variable=SOFFICE_ENV, path=named), hint=SAY["pdf_install.hint"]
        )
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    for place in SOFFICE_PLACES:
        if os.path.isfile(place):
            return place
    raise PdfError(SAY["pdf_missing"], hint=SAY["pdf_install.hint"])


def convert_documents(
    documents: Sequence[bytes], *, workers: int = 1, soffice: str | None = None
) -> list[bytes]:
    """Returns the PDF of each Word document (bytes in, bytes out, in order), converted by
    ``workers`` LibreOffice processes at once, each with a private profile and its share.

    Raises:
        PdfError: LibreOffice is missing, did not finish in its time limit (killed), or did not
            produce a document's PDF.
    """
    if not documents:
        return []
    program = soffice or find_soffice()
    count = max(1, min(workers, len(documents)))
    shares = [list(range(start, len(documents), count)) for start in range(count)]
    if count == 1:
        parts = [_convert_share(program, documents)]
    else:
        with ThreadPoolExecutor(count) as pool:  # the work is in the child processes
            parts = list(
                pool.map(lambda share: _convert_share(program, [documents[i] for i in share]), shares)
            )
    result: list[bytes] = [b""] * len(documents)
    for share, pdfs in zip(shares, parts, strict=True):
        for index, pdf in zip(share, pdfs, strict=True):
            result[index] = pdf
    return result


def write_pdfs(folders: Sequence[Path], *, workers: int = 1) -> list[Path]:
    """Converts the report and missing-evidence report of each output folder (as ``build`` wrote
    them) and writes their PDFs beside them, each folder's PDFs as one set; returns the paths.

    Raises:
        PdfError: as convert_documents (nothing is written then).
    """
    names = [(folder, name) for folder in folders for name in PDF_NAMES if (folder / name).is_file()]
    pdfs = convert_documents([(folder / name).read_bytes() for folder, name in names], workers=workers)
    by_folder: dict[Path, dict[str, bytes]] = {}
    for (folder, name), pdf in zip(names, pdfs, strict=True):
        by_folder.setdefault(folder, {})[PDF_NAMES[name]] = pdf
    written: list[Path] = []
    for folder, files in by_folder.items():
        written += write_all(folder, files)
    return written


def pdf_outputs(outputs: Mapping[str, bytes], *, soffice: str | None = None) -> dict[str, bytes]:
    """Returns the PDFs of a build's Word documents (``outputs``: its files by name)."""
    names = [name for name in PDF_NAMES if name in outputs]
    pdfs = convert_documents([outputs[name] for name in names], soffice=soffice)
    return {PDF_NAMES[name]: pdf for name, pdf in zip(names, pdfs, strict=True)}


def _convert_share(program: str, documents: Sequence[bytes]) -> list[bytes]:
    """Converts ``documents`` in one LibreOffice process with its own profile."""
    limit = SOFFICE_START_SECONDS + SOFFICE_SECONDS_PER_DOCUMENT * len(documents)
    with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as work:
        profile, job = Path(work) / "profile", Path(work) / "job"
        job.mkdir()
        for index, data in enumerate(documents):
            (job / f"{index}.docx").write_bytes(data)
        base = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible"]
        base += ["--nologo", "--norestore", "--nodefault", "--nolockcheck"]
        _run([*base, "--terminate_after_init"], limit, {})
        _install_macro(profile)
        _run([*base, f"macro:///Standard.{_MODULE}.Convert"], limit, {"DOCGEN_PDF_WORK": str(job)})
        pdfs = []
        for index in range(len(documents)):
            target = job / f"{index}.pdf"
            data = target.read_bytes() if target.is_file() else b""
            if not data.startswith(b"%PDF-"):
                raise PdfError(SAY["pdf_failed"], hint=SAY["pdf_failed.hint"])
            pdfs.append(data)
        return pdfs


def _run(command: list[str], limit: float, env: Mapping[str, str]) -> None:
    """Runs LibreOffice; kills its process group when it outlives ``limit`` seconds."""
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **env},
            start_new_session=True,  # its own process group: killed as a whole
        )
    except OSError as exc:
        raise PdfError(SAY["pdf_not_started"].format(path=command[0], reason=exc.strerror or exc)) from exc
    try:
        process.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise PdfError(
            SAY["pdf_timeout"].format(seconds=f"{limit:g}"), hint=SAY["pdf_timeout.hint"]
        ) from None
    except BaseException:  # Ctrl-C: no LibreOffice left behind
        _kill_group(process)
        raise
    _kill_group(process)  # a child that stayed behind its parent


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


def _install_macro(profile: Path) -> None:
    """Adds the conversion macro to the Standard Basic library of a freshly created profile."""
    library = profile / "user" / "basic" / "Standard"
    if not (library / "script.xlb").is_file():
        raise PdfError(SAY["pdf_failed"], hint=SAY["pdf_failed.hint"])
    (library / f"{_MODULE}.xba").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n'
        '<script:module xmlns:script="http://openoffice.org/2000/script" '
        f'script:name="{_MODULE}" script:language="StarBasic">{escape(_MACRO)}</script:module>\n',
        encoding="utf-8",
    )
    index = (library / "script.xlb").read_text(encoding="utf-8")
    element = f' <library:element library:name="{_MODULE}"/>\n</library:library>'
    (library / "script.xlb").write_text(index.replace("</library:library>", element, 1), encoding="utf-8")
