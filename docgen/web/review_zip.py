"""EDGE: the review desk's zip of the reviewed submissions (SPEC §11) — what a bureau sends on or
keeps: each submission the reviewer sees as its canonical folder, and the desk's 汇总表.

The zip holds one top folder ``<program>-评审材料`` with ``汇总表.docx/.xlsx/.csv`` (the desk's,
threshold and quota included), ``不予认可的材料.csv`` (the reviewer's rulings) and ``申报/<id>/``
per submission: answers.yaml and its files, those ruled 不予认可 left out — the folders the desk
reviewed, so that ``docgen review 申报`` on them gives the same 汇总表. It is written to a
temporary file in the data folder (blobs copied from the store a chunk at a time, never all in
memory), bounded by the server's limit, then streamed and removed.
"""

from __future__ import annotations

import csv
import io
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from fractions import Fraction
from typing import IO

from docgen.app.review_job import summary_files
from docgen.text.web_text import WEB_TEXT
from docgen.web import models
from docgen.web.errors import WebError
from docgen.web.layout import ANSWERS_FILE
from docgen.web.review_desk import desk_review
from docgen.web.submission_files import ZIP_TIME
from docgen.web.uploads import human_size
from docgen.web.workflow import rulings
from docgen.web.workspace import Workspace

ZIP_NAME = WEB_TEXT["review_zip.name"]  # 评审材料.zip: the desk's download, as 汇总表.docx is
FOLDER = WEB_TEXT["review_zip.folder"]  # 申报: the folder of the submission folders
CHUNK = 1024 * 1024


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    info.flag_bits |= 0x800  # UTF-8 names
    return info


def _rulings_csv(ws: Workspace, rows: list[models.Submission]) -> bytes:
    buffer = io.StringIO()
    table = csv.writer(buffer)
    table.writerow(WEB_TEXT["review_zip.rulings_head"].split(","))
    for row in rows:
        for path, ruling in sorted(rulings(ws, row.id).items()):
            if not ruling.accepted:
                table.writerow([row.id, row.company, path, ruling.reason, ruling.user, ruling.at.isoformat()])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def review_zip(
    ws: Workspace,
    user: models.User,
    program_id: str,
    threshold: Fraction | None = None,
    quota: int | None = None,
) -> IO[bytes]:
    """Returns the zip of the submissions of ``program_id`` that ``user`` (a reviewer) sees, as
    an open temporary file at its start (the caller closes it: it is then gone); 413 when their
    files exceed the server's limit, before anything is written."""
    review = desk_review(ws, user, program_id, threshold, quota)  # 403/404 as the desk
    rows = [r for r in ws.submissions(user) if r.program == program_id]
    kept = {r.id: {p for p, ruling in rulings(ws, r.id).items() if not ruling.accepted} for r in rows}
    total = sum(f.size for r in rows for f in r.files if f.path not in kept[r.id])
    limit = ws.settings.max_review_zip_bytes
    if total > limit:
        raise WebError(413, "review_zip_too_large", limit=human_size(limit))
    top = f"{program_id}-{ZIP_NAME.rsplit('.', 1)[0]}"
    scratch = ws.settings.data / "review"
    scratch.mkdir(parents=True, exist_ok=True)
    out = tempfile.TemporaryFile(dir=scratch)  # noqa: SIM115 (handed to the response, which closes it)
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in sorted(summary_files(review).items()):
                archive.writestr(_info(f"{top}/{name}"), data)
            archive.writestr(_info(f"{top}/{WEB_TEXT['review_zip.rulings']}"), _rulings_csv(ws, rows))
            for row in rows:
                folder = f"{top}/{FOLDER}/{row.id}"
                archive.writestr(_info(f"{folder}/{ANSWERS_FILE}"), row.answers.encode("utf-8"))
                for stored in sorted(row.files, key=lambda f: f.path):
                    if stored.path in kept[row.id]:
                        continue
                    with (
                        ws.store.path(stored.sha256).open("rb") as blob,
                        archive.open(_info(f"{folder}/{stored.path}"), "w") as member,
                    ):
                        shutil.copyfileobj(blob, member, CHUNK)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    return out


def chunks(file: IO[bytes]) -> Iterator[bytes]:
    """Yields ``file`` a chunk at a time, then closes it (a temporary file: removed)."""
    try:
        while block := file.read(CHUNK):
            yield block
    finally:
        file.close()
