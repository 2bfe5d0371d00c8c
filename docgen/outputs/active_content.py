"""EDGE: active content removed from an evidence PDF's page before it is bound (SPEC §7).

The bundle is opened by a reviewer, so nothing in it may run: a page's additional actions (/AA:
on open, on close), annotations that play or embed content (/Screen, /Movie, /Sound, /RichMedia,
/3D, /FileAttachment), and every annotation action other than going to a page or opening a web
or mail address (/JavaScript, /Launch, /SubmitForm, /ImportData, /GoToR, /Rendition, … are
dropped, and so is any /Next chain). The bundle copies pages only, so the document-level
/OpenAction, /AA and /Names /JavaScript of an evidence PDF never reach it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pypdf import PageObject
    from pypdf.generic import DictionaryObject

# annotations whose whole purpose is to play, run or carry something
ACTIVE_ANNOTATIONS = frozenset({"/Screen", "/Movie", "/Sound", "/RichMedia", "/3D", "/FileAttachment"})
# the actions a bound page keeps, and the address schemes a kept /URI action may use
SAFE_ACTIONS = frozenset({"/GoTo", "/URI"})
SAFE_SCHEMES = ("http://", "https://", "mailto:")
MAX_FIELD_DEPTH = 32  # /Parent links followed up from a widget to its form fields


def strip_active_content(page: PageObject) -> None:
    """Removes the active content of ``page`` in place (see the module docstring)."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    page.pop(NameObject("/AA"), None)
    annotations = page.get("/Annots")
    if annotations is None:
        return
    annotations = annotations.get_object()
    if not isinstance(annotations, ArrayObject):
        del page[NameObject("/Annots")]
        return
    kept = ArrayObject()
    for reference in annotations:
        annotation = reference.get_object()
        if not isinstance(annotation, DictionaryObject) or annotation.get("/Subtype") in ACTIVE_ANNOTATIONS:
            continue
        _strip_actions(annotation)
        parent, depth = annotation.get("/Parent"), 0
        while parent is not None and depth < MAX_FIELD_DEPTH:  # a widget's fields (calculate, format …)
            field = parent.get_object()
            if not isinstance(field, DictionaryObject):
                break
            _strip_actions(field)
            parent, depth = field.get("/Parent"), depth + 1
        kept.append(reference)
    if len(kept) != len(annotations):
        page[NameObject("/Annots")] = kept


def _strip_actions(owner: DictionaryObject) -> None:
    """Removes the additional actions of an annotation or form field, and its action unless safe."""
    from pypdf.generic import NameObject

    owner.pop(NameObject("/AA"), None)
    action = owner.get("/A")
    if action is None:
        return
    action = action.get_object()
    if not _is_safe(action):
        del owner[NameObject("/A")]
    else:
        action.pop(NameObject("/Next"), None)


def _is_safe(action: object) -> bool:
    from pypdf.generic import DictionaryObject

    if not isinstance(action, DictionaryObject) or action.get("/S") not in SAFE_ACTIONS:
        return False
    if action.get("/S") == "/URI":
        uri = action.get("/URI")
        target = uri.get_object() if uri is not None else None
        if isinstance(target, bytes):
            target = target.decode("latin-1")
        return isinstance(target, str) and target.strip().lower().startswith(SAFE_SCHEMES)
    return True
