"""The web's application service: submissions kept in the database, checked, scored and built
by docgen.app exactly as the CLI does.

Each submission is laid out on disk as the canonical folder (answers.yaml + its files, the
folder ``docgen build`` reads) in ``DATA/work/SID``, rebuilt from the database whenever its
version moved; docgen.app opens that folder, so the server has no second copy of any rule or
check and ``report.docx`` is byte-identical to ``docgen build`` of the exported folder. What is
computed for a version (the findings, the scores, the outputs) is kept in memory by version;
evidence inspection is kept by file hash (memory, then the disk cache).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from docgen.app.build import render_outputs
from docgen.app.submission import (
    ANSWERS_NAMES,
    Evaluation,
    Submission,
    check_and_assess,
    evaluate_submission,
    open_submission,
)
from docgen.definitions.catalog import Catalog
from docgen.definitions.load import load_catalog
from docgen.diagnostics import Diagnostic, sort_key
from docgen.errors import AnswersError, DocgenError
from docgen.evidence.assess import evidence_files
from docgen.evidence.inspect import inspect_all
from docgen.model.results import Completeness, FileFacts
from docgen.outputs.answers_text import answers_yaml
from docgen.outputs.objects import check_json, evidence_json, score_json
from docgen.text.punctuation import ENUM_COMMA
from docgen.text.web import ERRORS
from docgen.web import db, models
from docgen.web.errors import WebError, not_found
from docgen.web.layout import ANSWERS_FILE, Layout
from docgen.web.memo import Kept, MemoryInspection
from docgen.web.rendered import RenderedStore, one_conversion
from docgen.web.settings import Settings
from docgen.web.store import FileStore
from docgen.web.uploads import check_sizes, content_kind, normalise_path

LOCAL_USER = "local"
LOCAL_ROLE = "local"
EVALUATIONS_KEPT = 24  # versions whose findings and scores stay in memory
FACTS_KEPT = 5000  # inspection results by (blob, identifiers sought): small, reused every edit
EDIT_RETRIES = 20
READ_ONLY_STATUSES = ("submitted", "accepted")  # the enterprise cannot change these (SPEC §11)
REVIEWED_STATUSES = (
    "submitted",
    "accepted",
)  # what a reviewer sees  # a field edit that raced another is applied again to the newer answers


@dataclass
class Assessment:
    """What one version of a submission amounts to: its findings, completeness and scores."""

    version: int
    opened: Submission | None  # None: the answers cannot be opened (no program, …)
    findings: list[Diagnostic]
    completeness: Completeness | None
    evaluation: Evaluation | None  # None: errors in the figures stop scoring
    facts: dict[str, FileFacts]

    def check(self) -> dict[str, Any]:
        """Returns the §8 ``check`` object."""
        return check_json(self.findings, self.completeness)

    def score(self) -> dict[str, Any] | None:
        """Returns the §8 score object with ``evidenced_total``, or None while it cannot be scored."""
        if self.evaluation is None:
            return None
        return score_json(self.evaluation.claimed, self.evaluation.evidenced)

    def evidence(self) -> dict[str, Any] | None:
        """Returns the §8 evidence object, or None while the answers cannot be scored."""
        if self.evaluation is None:
            return None
        ev = self.evaluation
        return evidence_json(ev.evidence, ev.claimed, ev.evidenced)


def now() -> dt.datetime:
    """Returns the current UTC time without its zone (as the database keeps it)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class Workspace:
    """The submissions of one server: database, file store, canonical folders, caches."""

    def __init__(self, settings: Settings, catalog: Catalog | None = None) -> None:
        self.settings = settings
        settings.data.mkdir(parents=True, exist_ok=True)
        self.catalog = catalog or load_catalog()
        self.engine = db.make_engine(settings.url)
        db.upgrade(self.engine, settings.data / "migrate.lock")
        self.sessions = db.sessions(self.engine)
        self.store = FileStore(settings.files)
        self.inspection = MemoryInspection(settings.cache / "inspection")
        self._assessments = Kept(EVALUATIONS_KEPT)
        self.rendered = RenderedStore(settings.cache / "rendered")
        self._by_blob = Kept(FACTS_KEPT)
        self.layout = Layout(settings.work, self.store)

    # -- users --------------------------------------------------------------------------------

    def local_user(self) -> models.User:
        """Returns the local mode's one user (made on first use)."""
        try:
            with db.transaction(self.sessions) as s:
                user = s.scalar(select(models.User).where(models.User.name == LOCAL_USER))
                if user is None:
                    user = models.User(name=LOCAL_USER, role=LOCAL_ROLE, created=now())
                    s.add(user)
                    s.flush()
                return user
        except IntegrityError:  # another worker process made it at the same moment
            with self.sessions() as s:
                made = s.scalar(select(models.User).where(models.User.name == LOCAL_USER))
                assert made is not None
                return made

    def user(self, user_id: int) -> models.User:
        """Returns the account ``user_id``."""
        with self.sessions() as s:
            found = s.get(models.User, user_id)
            if found is None:
                raise WebError(401, "login_required")
            return found

    # -- submissions --------------------------------------------------------------------------

    def _visible(
        self, s: Session, user: models.User, sid: str, write: bool = False, files: bool = True
    ) -> models.Submission:
        """Returns the submission if ``user`` may see it (to change it: ``write``), else 404 —
        the same answer whether or not it exists; its files loaded unless not ``files``."""
        options = [selectinload(models.Submission.files)] if files else []
        row = s.get(models.Submission, sid, options=options)
        if row is None or not self._may_see(s, user, row):
            raise not_found(sid)
        if write and row.owner_id != user.id:
            raise not_found(sid)  # a reviewer reads, never writes
        if write and row.status in READ_ONLY_STATUSES:
            raise WebError(409, "read_only")
        return row

    def _may_see(self, s: Session, user: models.User, row: models.Submission) -> bool:
        """Returns whether ``user`` may read ``row`` (SPEC §11): its owner; a reviewer, when it
        is submitted or accepted, in the reviewer's programs, from an enterprise whose region
        starts with the reviewer's."""
        if row.owner_id == user.id:
            return True
        if user.role != "reviewer" or row.status not in REVIEWED_STATUSES:
            return False
        programs = [p for p in user.programs.split(",") if p]
        if programs and row.program not in programs:
            return False
        owner = s.get(models.User, row.owner_id)
        return owner is not None and owner.region.startswith(user.region)

    def get(self, user: models.User, sid: str, files: bool = True) -> models.Submission:
        """Returns the submission ``sid`` if the user may see it (else 404, whether or not it
        exists); without its files when not ``files`` (an upload's first check needs only who may
        see it and its program: its 25 files are a second query and as many objects)."""
        with self.sessions() as s:
            return self._visible(s, user, sid, files=files)

    def row(self, sid: str) -> models.Submission:
        """Returns the submission ``sid`` whoever asks (for answers after a change the caller was
        entitled to make)."""
        with self.sessions() as s:
            found = s.get(models.Submission, sid, options=[selectinload(models.Submission.files)])
            if found is None:
                raise not_found(sid)
            return found

    def submissions(self, user: models.User) -> list[models.Submission]:
        """Returns the submissions the user may see (their own; a reviewer's: those to review),
        the latest changed first."""
        with self.sessions() as s:
            query = select(models.Submission).options(selectinload(models.Submission.files))
            if user.role == "reviewer":
                query = query.where(models.Submission.status.in_(REVIEWED_STATUSES))
            else:
                query = query.where(models.Submission.owner_id == user.id)
            query = query.order_by(models.Submission.updated.desc(), models.Submission.id)
            return [row for row in s.scalars(query) if self._may_see(s, user, row)]

    def create(self, user: models.User, program_id: str, kind: str | None = None) -> models.Submission:
        """Creates an empty submission of ``program_id`` (``kind``: 认定/评价, default the
        program's first) and returns it."""
        if user.role not in ("local", "enterprise"):
            raise WebError(403, "role_forbidden")
        program = self.catalog.programs.get(program_id)
        if program is None:
            raise WebError(
                400, "unknown_program", program=program_id, programs=ENUM_COMMA.join(self.catalog.programs)
            )
        kind = kind or program.kinds[0]
        if kind not in program.kinds:
            raise WebError(
                400, "bad_kind", program=program_id, kind=kind, kinds=ENUM_COMMA.join(program.kinds)
            )
        data = {"program": program_id, "profile": {"application_type": kind}}
        return self.insert(user, program_id, kind, answers_yaml(data).decode("utf-8"), "create", [])

    def insert(
        self,
        user: models.User,
        program_id: str,
        kind: str,
        text: str,
        action: str,
        files: list[tuple[str, bytes, str]],
    ) -> models.Submission:
        """Stores a new submission with its answers text and files (one transaction); returns it
        (an enterprise's, or the local user's: a reviewer or an admin makes none)."""
        if user.role not in ("local", "enterprise"):
            raise WebError(403, "role_forbidden")
        stamp = now()
        sid = secrets.token_hex(8)
        with db.transaction(self.sessions) as s:
            row = models.Submission(
                id=sid,
                owner_id=user.id,
                program=program_id,
                kind=kind,
                status="draft",
                company="",
                answers=text,
                version=1,
                created=stamp,
                updated=stamp,
            )
            s.add(row)
            for path, data, kind_of in files:
                sha = self.store.put(data)
                s.add(
                    models.StoredFile(
                        submission_id=sid, path=path, sha256=sha, size=len(data), kind=kind_of, uploaded=stamp
                    )
                )
            s.add(models.AuditEntry(at=stamp, user=user.name, action=action, submission=sid, after="draft"))
        row = self.get(user, sid)
        return self.headline(row, self.assess(row))

    def put_answers(
        self, user: models.User, sid: str, text: str, expected: int | None = None
    ) -> tuple[models.Submission, Assessment]:
        """Saves ``text`` (YAML of an answers object, already parsed and found an object) as the
        answers of ``sid`` and returns the row and its assessment. ``expected``: the version the
        change was made on (409 when another change came first)."""
        with db.transaction(self.sessions) as s:
            row = self._visible(s, user, sid, write=True)
            if expected is not None and expected != row.version:
                raise WebError(409, "version_conflict", current=row.version, given=expected)
            where = [models.Submission.id == sid]
            if expected is not None:  # the version check is in the write itself: no race between
                where.append(models.Submission.version == expected)
            changed = s.execute(
                update(models.Submission)
                .where(*where)
                .values(answers=text, version=models.Submission.version + 1, updated=now())
            )
            if changed.rowcount != 1:  # type: ignore[attr-defined]
                raise WebError(409, "version_conflict", current=(expected or 0) + 1, given=expected)
            # read back inside the transaction: this write's own version, never a later writer's
            s.refresh(row, ["answers", "version", "updated"])
        found = self.assess(row)
        return self.headline(row, found), found

    def headline(self, row: models.Submission, found: Assessment) -> models.Submission:
        """Returns ``row`` with the company name and application type its answers give, as the
        answers reader reads them (aliases included), kept in the row for the lists."""
        if found.opened is None:
            return row
        company = found.opened.answers.company[:255]
        kind = found.opened.answers.application_type
        kind = kind if kind in self.catalog.programs[row.program].kinds else row.kind
        if (company, kind) != (row.company, row.kind):
            with db.transaction(self.sessions) as s:
                s.execute(
                    update(models.Submission)
                    .where(models.Submission.id == row.id, models.Submission.version == row.version)
                    .values(company=company, kind=kind)
                )
            row.company, row.kind = company, kind
        return row

    def edit(
        self, user: models.User, sid: str, change: Callable[[dict[str, Any]], None]
    ) -> tuple[models.Submission, Assessment]:
        """Applies ``change`` to the latest answers (as data) and saves them; a change that raced
        another is applied again to the newer answers, so no edit is lost or interleaved."""
        from docgen.sources.yamlio import parse_yaml

        for _ in range(EDIT_RETRIES):
            row = self.get(user, sid)
            doc = parse_yaml(row.answers, ANSWERS_FILE)
            data = dict(doc.data) if isinstance(doc.data, dict) else {}
            change(data)
            try:
                return self.put_answers(user, sid, answers_yaml(data).decode("utf-8"), expected=row.version)
            except WebError as exc:
                if exc.status != 409:
                    raise
        raise WebError(409, "version_conflict", current=row.version, given=row.version)

    def add_file(
        self, user: models.User, sid: str, name: str, data: bytes, path: str | None = None
    ) -> models.StoredFile:
        """Stores an uploaded file at ``path`` (default ``evidence/<its name>``) in ``sid``;
        a file already at that path is replaced. Type by content, sizes as the program's limits
        say (``limits``)."""
        wanted = path if path else "evidence/" + PurePosixPath(name.replace("\\", "/")).name
        safe = normalise_path(wanted)
        if safe is None:
            raise WebError(400, "bad_path", path=wanted)
        if safe.lower() in ANSWERS_NAMES:
            raise WebError(400, "reserved_path", path=safe)
        kind = content_kind(data)
        if not kind:
            raise WebError(415, "bad_type", name=name or safe)
        stamp = now()
        with db.transaction(self.sessions) as s:
            row = self._visible(s, user, sid, write=True)
            others = [f.size for f in row.files if f.path != safe]
            check_sizes(self.limits(row.program), [(name or safe, len(data))], sum(others))
            try:
                sha = self.store.put(data)
            except OSError as exc:  # a full disk, a quota: nothing is saved
                raise WebError(507, "store_failed", problem=exc.strerror or type(exc).__name__) from None
            stored = next((f for f in row.files if f.path == safe), None)
            if stored is None:
                stored = models.StoredFile(
                    submission_id=sid, path=safe, sha256=sha, size=len(data), kind=kind, uploaded=stamp
                )
                s.add(stored)
            else:
                stored.sha256, stored.size, stored.kind, stored.uploaded = sha, len(data), kind, stamp
            row.version += 1
            row.updated = stamp
            s.add(models.AuditEntry(at=stamp, user=user.name, action="upload", submission=sid, detail=safe))
        return stored

    def limits(self, program_id: str) -> tuple[int, int]:
        """Returns the upload limits of a program's submissions: (one file, all files)."""
        rules = self.catalog.programs[program_id].platform
        file = rules.max_file_bytes or self.settings.max_file_bytes
        return file, rules.max_submission_bytes or self.settings.max_submission_bytes

    def remove_file(self, user: models.User, sid: str, path: str) -> None:
        """Removes the file at ``path`` from ``sid`` (its blob stays: others may share it)."""
        with db.transaction(self.sessions) as s:
            row = self._visible(s, user, sid, write=True)
            stored = next((f for f in row.files if f.path == path), None)
            if stored is None:
                raise WebError(404, "bad_path", path=path)
            s.delete(stored)
            row.version += 1
            row.updated = now()
            s.add(
                models.AuditEntry(
                    at=row.updated, user=user.name, action="remove-file", submission=sid, detail=path
                )
            )

    def file_bytes(self, user: models.User, sid: str, path: str) -> tuple[models.StoredFile, bytes]:
        """Returns a file of ``sid`` and its bytes."""
        row = self.get(user, sid)
        stored = next((f for f in row.files if f.path == path), None)
        if stored is None:
            raise WebError(404, "bad_path", path=path)
        return stored, self.store.read(stored.sha256)

    # -- the canonical folder and what it amounts to -----------------------------------------

    def assess(self, row: models.Submission) -> Assessment:
        """Returns the findings, completeness and scores of ``row``'s version (kept in memory)."""
        key = (row.id, row.version)
        kept = self._assessments.fetch(key)
        if kept is not None:
            return kept  # type: ignore[no-any-return]
        folder = self.layout.folder(row)
        try:
            opened = open_submission(folder, catalog=self.catalog)
        except AnswersError as exc:
            found = Assessment(row.version, None, sorted(exc.diagnostics, key=sort_key), None, None, {})
            self._assessments.keep(key, found)
            return found
        facts = self._ruled(row.id, self._inspect(row, opened))
        evaluation = None
        if any(d.is_error for d in opened.scoring_diagnostics):
            findings, completeness = check_and_assess(opened, facts)
        else:
            evaluation = evaluate_submission(opened, facts=facts)
            findings, completeness = check_and_assess(opened, facts, evaluation)
        found = Assessment(row.version, opened, findings, completeness, evaluation, facts)
        self._assessments.keep(key, found)
        return found

    def _inspect(self, row: models.Submission, opened: Submission) -> dict[str, FileFacts]:
        """Returns the facts of every file the answers name: a stored file's by its blob's hash
        and the identifiers sought (no reading, no hashing), any other inspected in the folder."""
        checklist = opened.catalog.checklists.get(opened.program.checklist or "")
        wanted = evidence_files(opened.answers, checklist)
        blobs = {f.path: f.sha256 for f in row.files}
        known: dict[str, FileFacts] = {}
        todo: dict[str, set[str]] = {}
        for name, ids in wanted.items():
            hit = self._by_blob.fetch((blobs[name], frozenset(ids))) if name in blobs else None
            if hit is not None:
                known[name] = replace(hit, file=name)
            else:
                todo[name] = ids
        if todo:
            found = inspect_all(opened.folder, todo, self.inspection)
            for name, fact in found.items():
                if name in blobs:
                    self._by_blob.keep((blobs[name], frozenset(todo[name])), replace(fact, file="", text=""))
            known.update(found)
        return {name: known[name] for name in wanted}

    def _ruled(self, sid: str, facts: dict[str, FileFacts]) -> dict[str, FileFacts]:
        """Returns ``facts`` with each file a reviewer ruled 不予认可 unusable (its figures 核减)."""
        with self.sessions() as s:
            rejected = {
                r.file: r.reason
                for r in s.scalars(
                    select(models.Ruling).where(
                        models.Ruling.submission_id == sid, models.Ruling.accepted.is_(False)
                    )
                )
            }
        return {
            name: replace(fact, status="unreadable", problem=ERRORS["rejected"].format(reason=rejected[name]))
            if name in rejected
            else fact
            for name, fact in facts.items()
        }

    def outputs(self, row: models.Submission) -> dict[str, bytes]:
        """Returns the five §8 build outputs of ``row``'s version, rendered as ``docgen build``
        renders them (kept on disk for every worker process: rendered.py)."""
        kept = self.rendered.fetch(row.id, row.version, "outputs")
        if kept is not None:
            return kept
        found = self.assess(row)
        if found.opened is None or any(d.is_error for d in found.findings if _blocks_build(d)):
            raise WebError(422, "not_buildable", body=found.check())
        try:
            rendered, _ = render_outputs(found.opened, evaluation=found.evaluation)
        except AnswersError:
            raise WebError(422, "not_buildable", body=found.check()) from None
        self.rendered.keep(row.id, row.version, "outputs", rendered)
        return rendered

    def pdfs(self, row: models.Submission) -> dict[str, bytes]:
        """Returns report.pdf and missing-evidence.pdf (LibreOffice; 503 when it is not there)."""
        from docgen.app.pdf import pdf_outputs

        outputs = self.outputs(row)
        kept = self.rendered.fetch(row.id, row.version, "pdf")
        if kept is not None:
            return kept
        with one_conversion(self.settings.cache / "pdf.lock"):
            kept = self.rendered.fetch(row.id, row.version, "pdf")  # done while this one waited
            if kept is not None:
                return kept
            try:
                converted = pdf_outputs(outputs)
            except DocgenError:
                raise WebError(503, "no_pdf") from None
            self.rendered.keep(row.id, row.version, "pdf", converted)
        return converted


def _blocks_build(d: Diagnostic) -> bool:
    return d.is_error
