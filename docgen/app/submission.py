"""EDGE: one submission — open it, check it, score it, assess its evidence.

Reads files (answers, evidence) and delegates to the pure core; raises ``DocgenError`` when a
step cannot go on. The CLI, the web server and the review call these functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from docgen.answers import program_of, read_answers
from docgen.answers.narrative import draft_name
from docgen.definitions.catalog import Catalog
from docgen.definitions.load import load_catalog
from docgen.diagnostics import Diagnostic, Severity, apply_strict, has_errors, sort_key
from docgen.errors import AnswersError, UsageError
from docgen.evidence.assess import assess_evidence, evidence_files
from docgen.evidence.inspect import InspectionCache, inspect_all
from docgen.files import resolve_inside
from docgen.model.answers import AnswerSet
from docgen.model.definitions import Outline, Program
from docgen.model.results import Completeness, EvidenceReport, FileFacts, ScoreCard
from docgen.narrative.company_names import check_company_names
from docgen.narrative.consistency import check_figures
from docgen.narrative.outline import check_narrative
from docgen.scoring.engine import score_answers
from docgen.sources.yamlio import LoadedDocument, load_document
from docgen.text.commands import SAY
from docgen.text.labels import TEXT
from docgen.text.messages import diagnostic
from docgen.text.punctuation import ENUM_COMMA

ANSWERS_NAMES = ("answers.yaml", "answers.yml", "answers.json", "answers.xlsx")


@dataclass
class Submission:
    """One submission folder: its answers document, program and validated answers."""

    folder: Path
    answers_path: Path
    doc: LoadedDocument
    program: Program
    answers: AnswerSet
    diagnostics: list[Diagnostic] = field(default_factory=list)
    catalog: Catalog = field(default_factory=load_catalog)

    @property
    def outline(self) -> Outline | None:
        """Returns the outline for the submission's application type (认定 → 附件1, 评价 → 附件2)."""
        kind = self.answers.application_type
        outline_id = self.program.outlines.get(kind) or next(iter(self.program.outlines.values()), None)
        return self.catalog.outlines.get(outline_id) if outline_id else None

    @property
    def scoring_diagnostics(self) -> list[Diagnostic]:
        """Returns the findings that concern figures (not narrative, evidence files, or a profile
        fact that every submission should give but no score needs, such as the credit code)."""
        return [
            d
            for d in self.diagnostics
            if not d.code.startswith(("narrative.", "evidence.", "answers.expected"))
        ]


def _load_answers(path: Path) -> LoadedDocument:
    """Returns the answers file read by its suffix; the workbook reader is loaded only for one."""
    if path.suffix.lower() == ".xlsx":
        from docgen.sources.workbook import load_answers_file

        return load_answers_file(path, display=path.name)
    return load_document(path, display=path.name)


def find_answers(path: Path) -> Path:
    """Returns the answers file of a submission folder (or ``path`` itself when it is a file).

    The answers file is confined to its folder like an evidence file: one whose real path lies
    outside (a symbolic link to /etc/passwd or to another company's answers) is refused unread,
    so no message can quote its content.

    Raises:
        UsageError: nothing to read at ``path``.
        AnswersError: the answers file lies outside its submission folder (``answers.outside``).
    """
    if path.is_file():
        answers = path
    elif path.is_dir():
        found = [path / name for name in ANSWERS_NAMES if (path / name).is_file()]
        if not found:
            raise UsageError(SAY["no_answers"].format(path=path), hint=SAY["no_answers.hint"])
        answers = found[0]
        if len(found) > 1:  # exactly one answers file: two may say different things
            used, other = found[0].name, found[1].name
            raise AnswersError(
                SAY["two_answers"].format(path=path, used=used, other=other),
                [diagnostic("answers.two_files", file=used, used=used, other=other)],
            )
    else:
        raise UsageError(SAY["not_found"].format(path=path))
    if resolve_inside(answers.parent, answers.name) is None:
        raise AnswersError(
            SAY["unreadable"].format(name=answers.name),
            [diagnostic("answers.outside", file=answers.name, name=answers.name)],
        )  # no source: its lines are never shown
    return answers


def require_program(catalog: Catalog, program_id: str) -> Program:
    """Returns the program ``program_id``.

    Raises:
        UsageError: no such program (the message lists those there are).
    """
    program = catalog.programs.get(program_id)
    if program is None:
        raise UsageError(
            SAY["unknown_program"].format(program=program_id),
            hint=SAY["programs_hint"].format(programs=ENUM_COMMA.join(catalog.programs)),
        )
    return program


def open_submission(
    path: Path, program_id: str | None = None, catalog: Catalog | None = None, strict: bool = False
) -> Submission:
    """Returns the opened submission with every answers-level finding.

    Raises:
        UsageError: no answers file, or ``program_id`` is unknown.
        AnswersError: the file cannot be parsed or names no known program.
    """
    catalog = catalog or load_catalog()
    answers_path = find_answers(path)
    folder = answers_path.parent
    doc = _load_answers(answers_path)
    if has_errors(doc.diagnostics):
        raise AnswersError(
            SAY["unreadable"].format(name=answers_path.name),
            sorted(doc.locate(doc.diagnostics), key=sort_key),
            source=answers_path,
        )
    if doc.data == {}:  # an empty or comment-only file
        raise AnswersError(
            SAY["empty"].format(name=answers_path.name),
            doc.locate([diagnostic("answers.empty", file=doc.file, line=1)]),
            source=answers_path,
        )
    findings = list(doc.diagnostics)
    declared = program_of(doc)
    if program_id is not None:
        require_program(catalog, program_id)
    if program_id and declared and declared != program_id:
        findings.append(
            diagnostic(
                "answers.program_mismatch",
                file=doc.file,
                line=doc.line_of(("program",)),
                path=("program",),
                declared=declared,
                given=program_id,
            )
        )
    chosen = program_id or declared
    if chosen is None:
        raise AnswersError(
            SAY["program_missing"],
            doc.locate([diagnostic("answers.program_missing", file=doc.file, line=1, path=("program",))]),
            source=answers_path,
        )
    if chosen not in catalog.programs:
        raise AnswersError(
            SAY["program_unknown"],
            source=answers_path,
            diagnostics=doc.locate(
                [
                    diagnostic(
                        "answers.program_unknown",
                        file=doc.file,
                        line=doc.line_of(("program",)),
                        path=("program",),
                        program=chosen,
                        allowed=ENUM_COMMA.join(catalog.programs),
                    )
                ]
            ),
        )
    program = catalog.programs[chosen]
    catalog = catalog.for_program(program)  # the program's own labels in explanations and findings
    name = draft_name(doc.data)  # the narrative from a Word draft (SPEC §9): read here, matched there
    draft = None
    if name is not None:
        from docgen.sources.worddraft import read_word_draft  # off the start-up path without a draft

        draft = read_word_draft(folder, name)
    answers, more = read_answers(doc, program, catalog, draft)
    findings += more
    if answers is None:
        raise AnswersError(SAY["unreadable"].format(name=answers_path.name), findings, source=answers_path)
    sub = Submission(folder, answers_path, doc, program, answers, [], catalog)
    outline = sub.outline
    if outline is not None:
        line = doc.line_of(("narrative",))
        findings += check_narrative(outline, answers.narrative, doc.file, line, answers.narrative_file)
        findings += check_company_names(outline, answers, catalog.company_suffixes, doc.file)
    findings += check_figures(answers, catalog.fields, catalog.units, doc.file)
    sub.diagnostics = sorted(_dedupe(apply_strict(doc.locate(findings), strict)), key=sort_key)
    return sub


def _dedupe(findings: list[Diagnostic]) -> list[Diagnostic]:
    """Returns the findings without repeats: the same code, place and message once.

    The message is part of the key: two different findings on one line (two contradicting figures
    in one sentence, two uncovered points of one section) are both kept.
    """
    seen: set[tuple[str, str, int | str | None, str]] = set()
    out = []
    for d in findings:
        key = (d.code, d.location.path, d.location.line or d.location.cell, d.message)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def inspect_evidence(sub: Submission, cache: InspectionCache | None = None) -> dict[str, FileFacts]:
    """Returns facts for every file the submission references."""
    checklist = sub.catalog.checklists.get(sub.program.checklist or "")
    return inspect_all(sub.folder, evidence_files(sub.answers, checklist), cache)


def evidence_diagnostics(
    sub: Submission, facts: dict[str, FileFacts], report: EvidenceReport | None = None
) -> list[Diagnostic]:
    """Returns findings about referenced files: missing (warning), outside, unreadable, encrypted
    (``report``: the evidence assessment already made from ``facts``, else it is made here)."""
    out = []
    codes = {
        "missing": "evidence.missing_file",
        "outside": "evidence.outside",
        "unreadable": "evidence.unreadable",
        "encrypted": "evidence.encrypted",
        "no-text": "evidence.no_text",
    }
    lines = _reference_lines(sub)
    item_files = {i.evidence for items in sub.answers.items.values() for i in items if i.evidence}
    for name, fact in facts.items():
        code = codes.get(fact.status)
        if code == "evidence.no_text" and name not in item_files:
            continue  # a scan is fine where no number has to be found in it (承诺书, statements)
        if code:
            path, line = lines.get(name, ((), None))
            out.append(
                diagnostic(
                    code,
                    file=sub.doc.file,
                    line=line,
                    path=path,
                    name=name,
                    problem=fact.problem or fact.status,
                )
            )
    if sub.program.checklist:
        checklist = sub.catalog.checklists[sub.program.checklist]
        report = report or assess_evidence(sub.answers, checklist, sub.catalog, facts)
        out += _item_proof_diagnostics(sub, report)
        for doc in checklist.documents:
            if doc.required and doc.key not in sub.answers.evidence:
                out.append(
                    diagnostic(
                        "evidence.required_missing",
                        file=sub.doc.file,
                        path=("evidence", doc.key),
                        line=sub.doc.line_of(("evidence",)),
                        title=doc.title,
                        key=doc.key,
                    )
                )
    return sub.doc.locate(out)


_ITEM_PROOF_CODES = {
    "missing": "evidence.no_proof",
    "id-not-found": "evidence.id_not_found",
}  # an expired accreditation is already a finding of the answers (answers.item_expired)


def _item_proof_diagnostics(sub: Submission, report: EvidenceReport) -> list[Diagnostic]:
    """Returns findings about items whose proof does not count: none given (no evidence field),
    or the identifier not found in the file."""
    out = []
    left_out = {d.location.key_path for d in sub.diagnostics if d.code.startswith("answers.item_")}
    for document in report.documents:
        code = _ITEM_PROOF_CODES.get(document.status)
        if document.item is None or code is None or (document.status == "missing" and document.file):
            continue  # a named file that does not exist is reported with the file findings
        kind_key, index = document.item
        path = ("items", kind_key, index)
        if path in left_out:
            continue  # outside its window or expired: it does not count whatever its proof
        kind = sub.catalog.item_kinds[kind_key]
        where = (*path, "evidence") if document.file else path
        out.append(
            diagnostic(
                code,
                file=sub.doc.file,
                line=sub.doc.line_of(where),
                path=where,
                kind=kind.label,
                name=document.identifier,
                title=document.title,
                file_name=document.file,
                what=document.identifier_label or TEXT["identifier_generic"],
            )
        )
    return out


def _reference_lines(sub: Submission) -> dict[str, tuple[tuple[str | int, ...], int | None]]:
    out: dict[str, tuple[tuple[str | int, ...], int | None]] = {}
    for key, refs in sub.answers.evidence.items():
        for ref in refs:
            out.setdefault(ref.file, (("evidence", key), ref.line))
    for kind, items in sub.answers.items.items():
        for item in items:
            if item.evidence:
                path = ("items", kind, item.index, "evidence")
                out.setdefault(item.evidence, (path, sub.doc.line_of(path)))
    return out


def check_submission(sub: Submission) -> list[Diagnostic]:
    """Returns every finding: answers, outline/narrative and evidence files."""
    return check_and_assess(sub)[0]


def check_and_assess(
    sub: Submission, facts: dict[str, FileFacts] | None = None, evaluation: Evaluation | None = None
) -> tuple[list[Diagnostic], Completeness]:
    """Returns every finding and whether the submission is complete, inspecting each file once
    (``facts``, ``evaluation``: the inspection and the scores already made, else made here)."""
    facts = facts if facts is not None else inspect_evidence(sub)
    if any(d.is_error for d in sub.scoring_diagnostics):
        findings = sorted(sub.diagnostics + evidence_diagnostics(sub, facts), key=sort_key)
        return findings, Completeness(scorable=False)
    evaluation = evaluation or evaluate_submission(sub, facts=facts)  # one assessment for both
    findings = sorted(sub.diagnostics + evidence_diagnostics(sub, facts, evaluation.evidence), key=sort_key)
    facts_missing = tuple(
        sub.catalog.profile_fields[key].label
        for key, spec in sub.catalog.profile_fields.items()
        if spec.expected and key not in sub.answers.profile
    )
    return findings, replace(completeness_of(evaluation), missing_facts=facts_missing)


def completeness_of(evaluation: Evaluation) -> Completeness:
    """Returns the completeness of an evaluated submission: the required documents missing or
    unusable, and the scored lines whose evidenced value or score is below the claimed one."""
    missing = tuple(dict.fromkeys(d.title for d in evaluation.evidence.missing_required))
    unproved = tuple(
        claimed.title
        for claimed, evidenced in zip(
            (*evaluation.claimed.indicators, *evaluation.claimed.bonus),
            (*evaluation.evidenced.indicators, *evaluation.evidenced.bonus),
            strict=True,
        )
        if evidenced.score < claimed.score
        or (claimed.value is not None and (evidenced.value is None or evidenced.value < claimed.value))
    )
    return Completeness(scorable=True, missing_documents=missing, unproved_lines=unproved)


def require_scorable(sub: Submission) -> None:
    """Raises AnswersError when findings about figures include errors."""
    errors = [d for d in sub.scoring_diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise AnswersError(SAY["not_scorable"], errors, source=sub.answers_path)


def scoring_warnings(sub: Submission) -> list[str]:
    """Returns the messages of the warnings about figures (carried on the claimed card)."""
    return [d.message for d in sub.scoring_diagnostics if d.severity is Severity.WARNING]


def score_submission(sub: Submission, partial: bool = False) -> ScoreCard:
    """Returns the claimed score card.

    Raises:
        AnswersError: the figures have errors (unless ``partial`` and only figures are missing).
    """
    missing: list[Diagnostic] = []
    if partial:
        partial_ok = ("answers.missing_figure", "answers.missing_rating")
        blocking = [d for d in sub.scoring_diagnostics if d.is_error and d.code not in partial_ok]
        if blocking:
            raise AnswersError(SAY["not_scorable"], blocking, source=sub.answers_path)
        missing = [d for d in sub.scoring_diagnostics if d.code in partial_ok]
    else:
        require_scorable(sub)
    warnings = scoring_warnings(sub)
    card = score_answers(
        sub.program, sub.answers, sub.catalog, warnings=[*warnings, *(d.message for d in missing)]
    )
    card.complete = not missing  # every figure and rating the validator asks for is there
    return card


@dataclass
class Evaluation:
    """Claimed score, evidence report and evidenced score of one submission."""

    claimed: ScoreCard
    evidence: EvidenceReport
    evidenced: ScoreCard
    facts: dict[str, FileFacts]


def evaluate_submission(
    sub: Submission, cache: InspectionCache | None = None, facts: dict[str, FileFacts] | None = None
) -> Evaluation:
    """Returns the claimed and evidenced scores with the evidence report (``facts``: the
    inspection already done, else the files are inspected).

    Raises:
        AnswersError: the figures have errors.
    """
    claimed = score_submission(sub)
    facts = facts if facts is not None else inspect_evidence(sub, cache)
    report = assess_submission(sub, facts)
    evidenced = score_answers(sub.program, report.evidenced, sub.catalog, warnings=claimed.warnings)
    return Evaluation(claimed, report, evidenced, facts)


def assess_submission(sub: Submission, facts: dict[str, FileFacts]) -> EvidenceReport:
    """Returns the evidence report of ``sub`` from the facts about its files."""
    checklist = sub.catalog.checklists.get(sub.program.checklist or "")
    return assess_evidence(sub.answers, checklist, sub.catalog, facts)
