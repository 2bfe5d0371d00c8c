"""What the server keeps in memory: results by version, inspections by file hash."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from typing import Any

from docgen.evidence.inspect import InspectionCache
from docgen.model.results import FileFacts


class MemoryInspection(InspectionCache):
    """Inspection results by file hash: in memory first, then the disk cache."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self._kept: dict[Path, FileFacts] = {}
        self._lock = threading.Lock()

    def get(self, data: bytes, wanted: set[str] | frozenset[str], name: str) -> FileFacts | None:
        key = self._path(data, wanted)
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None:
            return replace(kept, file=name)
        found = super().get(data, wanted, name)
        if found is not None:
            with self._lock:
                self._kept[key] = replace(found, file="")
        return found

    def put(self, data: bytes, wanted: set[str] | frozenset[str], facts: FileFacts) -> None:
        super().put(data, wanted, facts)
        with self._lock:
            self._kept[self._path(data, wanted)] = replace(facts, file="", text="")


class Kept(OrderedDict[Any, Any]):
    """A small least-recently-used map."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size
        self.lock = threading.Lock()

    def fetch(self, key: Any) -> Any:
        with self.lock:
            if key in self:
                self.move_to_end(key)
                return self[key]
        return None

    def keep(self, key: Any, value: Any) -> None:
        with self.lock:
            self[key] = value
            self.move_to_end(key)
            while len(self) > self.size:
                self.popitem(last=False)
