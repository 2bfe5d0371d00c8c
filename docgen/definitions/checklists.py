"""CORE: ``checklists/<id>.yaml`` → a ``Checklist``: groups of required documents (with the
figures they prove) and per-item proofs, in the seed's order."""

from __future__ import annotations

from docgen.definitions._reader import Reader
from docgen.definitions.catalog import Catalog
from docgen.diagnostics import Diagnostic
from docgen.model.definitions import Checklist, ChecklistGroup, ItemProof, RequiredDocument
from docgen.sources.yamlio import LoadedDocument
from docgen.text.definitions_text import DEFINITIONS_TEXT


def build_checklist(doc: LoadedDocument, catalog: Catalog) -> tuple[Checklist | None, list[Diagnostic]]:
    """Returns the checklist defined by ``doc`` and the findings."""
    r = Reader(doc)
    top = r.mapping(doc.data, (), {"id", "title", "groups"})
    groups = []
    keys: set[str] = set()
    for gi, raw in enumerate(r.seq(top.get("groups"), ("groups",))):
        path = ("groups", gi)
        gs = r.mapping(raw, path, {"id", "title"}, {"documents", "item_proofs"})
        documents = []
        for di, d in enumerate(r.seq(gs.get("documents"), (*path, "documents"))):
            at = (*path, "documents", di)
            ds = r.mapping(d, at, {"key", "title"}, {"required", "proves", "rates"})
            key = str(ds.get("key"))
            if key in keys:
                r.fail("definition.duplicate_id", at, id=key)
            keys.add(key)
            raw_proves = ds.get("proves")
            proves = (raw_proves,) if isinstance(raw_proves, str) else r.texts(raw_proves, (*at, "proves"))
            for field_key in proves:
                if field_key not in catalog.fields:
                    r.fail("definition.unknown_field", (*at, "proves"), key=field_key)
            rates = r.texts(ds.get("rates"), (*at, "rates")) if "rates" in ds else ()
            required = r.flag(ds.get("required"), (*at, "required"))
            documents.append(RequiredDocument(key, str(ds.get("title")), required, proves, rates))
        proofs = []
        for pi, p in enumerate(r.seq(gs.get("item_proofs"), (*path, "item_proofs"))):
            at = (*path, "item_proofs", pi)
            ps = r.mapping(p, at, {"items", "title", "identifier"}, {"valid_until"})
            if not isinstance(ps.get("items"), str) or ps.get("items") not in catalog.item_kinds:
                r.fail(
                    "definition.invalid",
                    at,
                    problem=DEFINITIONS_TEXT["checklists.unknown_item_kind"].format(kind=ps.get("items")),
                )
            proofs.append(
                ItemProof(
                    str(ps.get("items")),
                    str(ps.get("title")),
                    str(ps.get("identifier")),
                    ps.get("valid_until"),
                )
            )
        groups.append(
            ChecklistGroup(str(gs.get("id")), str(gs.get("title")), tuple(documents), tuple(proofs))
        )
    if r.findings:
        return None, r.findings
    return Checklist(str(top["id"]), str(top["title"]), tuple(groups)), []
