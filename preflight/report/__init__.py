"""Output formats: one module per format, each with ``render(result, color) -> str``.

Formats are found by module name, so adding one touches only its own module.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from preflight.core import Result

Renderer = Callable[["Result", bool], str]


def formats() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def renderer(name: str) -> Renderer:
    module = importlib.import_module(f"{__name__}.{name}")
    return cast(Renderer, module.render)
