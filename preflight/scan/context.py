"""What a source rule is given: one file's facts, the catalog, the date and the stage."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from preflight.scan.facts import ClientCall, ModelCall, SourceFile

if TYPE_CHECKING:
    from preflight.catalog import Catalog
    from preflight.manifest import Manifest

NO_OPTIONS: Mapping[str, Any] = MappingProxyType({})  # the options of a rule that has none


class SourceContext(NamedTuple):
    """Everything a source rule (``check_source``) may look at.

    ``stage`` is the stage of the manifest that governs the file (its most
    serious environment), the stage named by a ``.env.<name>`` file, or
    ``"unknown"`` when neither exists; rules grade severities by it.
    """

    file: SourceFile
    catalog: Catalog
    today: date
    stage: str = "unknown"
    options: Mapping[str, Any] = NO_OPTIONS

    @property
    def path(self) -> str:
        return self.file.path

    def is_production(self) -> bool:
        return self.stage == "production"


class TreeContext(NamedTuple):
    """What a tree rule (``check_tree``) sees: every scanned file with facts that one manifest
    covers (``manifest`` set; drift rules), or that no manifest covers in an audit."""

    files: Sequence[SourceFile]
    catalog: Catalog
    today: date
    stage: str = "unknown"
    options: Mapping[str, Any] = NO_OPTIONS
    manifest: Manifest | None = None
    manifest_path: str = ""

    def calls(self) -> Iterator[tuple[SourceFile, ModelCall]]:
        for file in self.files:
            for call in file.calls:
                yield file, call

    def clients(self) -> Iterator[tuple[SourceFile, ClientCall]]:
        """The clients the imports tie to Gemini."""
        for file in self.files:
            for client in file.clients:
                if client.reaches_gemini:
                    yield file, client

    def has_signal(self, name: str) -> bool:
        return any(name in file.signals for file in self.files)

    def canonical(self, model_id: str) -> str:
        """One spelling per model: the catalog's ID, else the bare lower-case ID."""
        from preflight.catalog import normalize_model_id

        model = self.catalog.get(model_id)
        return model.id if model is not None else normalize_model_id(model_id).lower()
