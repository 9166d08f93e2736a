"""What a source rule is given: one file's facts, the catalog, the date and the stage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from preflight.scan.facts import SourceFile

if TYPE_CHECKING:
    from preflight.catalog import Catalog


@dataclass(frozen=True)
class SourceContext:
    """Everything a source rule (``check_source``) may look at.

    ``stage`` is the stage of the manifest that governs the file (its most
    serious environment), the stage named by a ``.env.<name>`` file, or
    ``"unknown"`` when neither exists; rules grade severities by it.
    """

    file: SourceFile
    catalog: Catalog
    today: date
    stage: str = "unknown"
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return self.file.path

    def is_production(self) -> bool:
        return self.stage == "production"
