"""CORE: checklist + file facts → document statuses, evidenced figures and answers (SPEC §6).

An item counts as evidenced when its own evidence file is usable (ok or no-text) and, where the
file has a text layer, the item's identifier is found in it. A {file, count} list proves at most
the sum of the counts of its usable files. Evidenced answers are the claimed answers with
unproved items removed and proved figures lowered; scoring them gives the evidenced total.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import PurePosixPath

from docgen.definitions.catalog import Catalog
from docgen.model.answers import AnswerSet, Item
from docgen.model.counting import counted_items, item_name, valid_at_year_end
from docgen.model.definitions import Checklist, ItemKind
from docgen.model.results import USABLE, DocumentStatus, EvidenceReport, FileFacts
from docgen.text.labels import TEXT


def evidence_files(answers: AnswerSet, checklist: Checklist | None) -> dict[str, set[str]]:
    """Returns every file the answers reference, in order, with the identifiers to find in it."""
    identifiers = (
        {p.items: p.identifier for g in checklist.groups for p in g.item_proofs} if checklist else {}
    )
    out: dict[str, set[str]] = {}
    for refs in answers.evidence.values():
        for ref in refs:
            out.setdefault(ref.file, set())
    for kind, items in answers.items.items():
        for item in items:
            if item.evidence:
                wanted = out.setdefault(item.evidence, set())
                value = item.values.get(identifiers.get(kind, ""))
                if value:
                    wanted.add(str(value))
    return out


def _item_status(
    item: Item, identifier: str, facts: dict[str, FileFacts]
) -> tuple[str, str | None, int | None]:
    if not item.evidence:
        return "missing", None, None
    fact = facts[item.evidence]
    if fact.status != "ok":
        return fact.status, item.evidence, fact.pages
    wanted = str(item.values.get(identifier, "") or "")
    if wanted and wanted not in fact.found:
        return "id-not-found", item.evidence, fact.pages
    return "ok", item.evidence, fact.pages


def assess_evidence(
    answers: AnswerSet, checklist: Checklist | None, catalog: Catalog, facts: dict[str, FileFacts]
) -> EvidenceReport:
    """Returns the evidence report of ``answers`` given the inspected ``facts``."""
    documents: list[DocumentStatus] = []
    unproved: list[Item] = []
    proved_items: dict[str, tuple[Item, ...]] = dict(answers.items)
    figures = dict(answers.figures)
    ratings = dict(answers.ratings)
    if checklist is None:
        return EvidenceReport(documents, answers, unproved)
    for group in checklist.groups:
        for doc in group.documents:
            refs = answers.evidence.get(doc.key, ())
            backs = (doc.proves or doc.rates) and not doc.required
            if (
                not refs
                and backs
                and not any(figures.get(k) for k in doc.proves)
                and not set(doc.rates) & set(ratings)
            ):
                continue  # proof of figures that are 0 (no famous brand): nothing to prove
            backed = (*doc.proves, *doc.rates)
            if not refs:
                documents.append(
                    DocumentStatus(
                        doc.key, doc.title, group.title, None, "missing", None, doc.required, proves=backed
                    )
                )
            for ref in refs:
                fact = facts[ref.file]
                documents.append(
                    DocumentStatus(
                        doc.key,
                        doc.title,
                        group.title,
                        ref.file,
                        fact.status,
                        fact.pages,
                        doc.required,
                        proves=backed,
                    )
                )
            for proved in (k for k in doc.proves if k in figures):
                supported = Fraction(0)
                for ref in refs:  # a count is what one file proves (single-figure documents only)
                    if facts[ref.file].status in USABLE:
                        supported += ref.count if ref.count is not None else figures[proved]
                figures[proved] = min(figures[proved], supported)
            if not any(facts[ref.file].status in USABLE for ref in refs):
                for rated in doc.rates:  # a self-rating without its document is not evidenced
                    ratings.pop(rated, None)
        for proof in group.item_proofs:
            kept: list[Item] = []
            counts = derived_counts(catalog, proof.items)
            if not answers.items.get(proof.items) and any(figures.get(k) for k in counts):
                # a count given as a bare number: the proof it needs is missing as a whole
                documents.append(
                    DocumentStatus(
                        f"items.{proof.items}",
                        proof.title,
                        group.title,
                        None,
                        "missing",
                        None,
                        False,
                        proves=counts,
                    )
                )
            for item in answers.items.get(proof.items, ()):
                status, file, pages = _item_status(item, proof.identifier, facts)
                if (
                    status in USABLE
                    and proof.valid_until
                    and not valid_at_year_end(item.values.get(proof.valid_until), answers.report_year)
                ):
                    status = "expired"
                ident = item_name(item, proof.identifier)
                kind = catalog.item_kinds.get(proof.items)
                documents.append(
                    DocumentStatus(
                        f"items.{proof.items}[{item.index}]",
                        proof.title,
                        group.title,
                        file,
                        status,
                        pages,
                        False,
                        (proof.items, item.index),
                        ident,
                        kind.counter if kind else "",
                        _field_label(kind, proof.identifier),
                        counts,
                    )
                )
                if status in USABLE:
                    kept.append(item)
                else:
                    unproved.append(item)
            if proof.items in proved_items:
                proved_items[proof.items] = tuple(kept)
    item_proved = {proof.items for group in checklist.groups for proof in group.item_proofs}
    documents += _unlisted(answers, checklist, catalog, facts, item_proved)
    # a count the checklist proves item by item is the number of proved items, whether the
    # answers derived it from items or gave it as a bare number (then nothing proves it: 0)
    for key, f in catalog.fields.items():
        if f.derive and f.derive.items in item_proved and key in figures:
            counted = counted_items(proved_items.get(f.derive.items, ()), f.derive, answers.report_year)
            figures[key] = min(figures[key], Fraction(len(counted)))
    evidenced = replace(answers, figures=figures, items=proved_items, ratings=ratings)
    return EvidenceReport(documents, evidenced, unproved)


def _unlisted(
    answers: AnswerSet,
    checklist: Checklist,
    catalog: Catalog,
    facts: dict[str, FileFacts],
    item_proved: set[str],
) -> list[DocumentStatus]:
    """Returns a status for every file the answers name that the checklist does not ask for (a key
    it does not know, an item kind it does not prove one by one): nothing named is dropped
    silently — the bundle binds these under «其他材料» and the reports list them."""
    group = TEXT["other_documents_group"]
    listed = {doc.key for g in checklist.groups for doc in g.documents}
    out = []
    for key, refs in answers.evidence.items():
        if key in listed:
            continue
        for ref in refs:
            fact = facts[ref.file]
            title = PurePosixPath(ref.file).stem
            out.append(DocumentStatus(key, title, group, ref.file, fact.status, fact.pages, False))
    for kind_key, items in answers.items.items():
        if kind_key in item_proved:
            continue
        kind = catalog.item_kinds.get(kind_key)
        for item in items:
            if not item.evidence:
                continue
            fact = facts[item.evidence]
            out.append(
                DocumentStatus(
                    f"items.{kind_key}[{item.index}]",
                    kind.label if kind else kind_key,
                    group,
                    item.evidence,
                    fact.status,
                    fact.pages,
                    False,
                    (kind_key, item.index),
                    item_name(item, kind.identifier if kind else ""),
                    kind.counter if kind else "",
                )
            )
    return out


def derived_counts(catalog: Catalog, kind: str) -> tuple[str, ...]:
    """Returns the figures counted from the items of ``kind`` (what its item proofs prove)."""
    return tuple(key for key, f in catalog.fields.items() if f.derive and f.derive.items == kind)


def _field_label(kind: ItemKind | None, name: str) -> str:
    """Returns the label of an item kind's field (the identifier a proof must show), or ""."""
    spec = kind.fields.get(name) if kind else None
    return spec.label if spec else ""
