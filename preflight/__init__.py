"""gemini-preflight: a linter and preflight checker for apps that call Gemini."""

from __future__ import annotations

import sys
from pathlib import Path

__version__ = "0.1.0"


def _mount_source_rule_pack() -> None:
    """Make the top-level ``rules/`` folder importable as ``preflight.rules``.

    An installed wheel carries the pack as a real ``preflight/rules`` package.
    In a source checkout (or an editable install) the pack stands beside this
    package; it is mounted under the same name, so rules are always imported
    as ``preflight.rules.<module>`` and no top-level ``rules`` module exists.
    """
    here = Path(__file__).resolve().parent
    source = here.parent / "rules" / "__init__.py"
    if "preflight.rules" in sys.modules or (here / "rules").is_dir() or not source.is_file():
        return
    import importlib.util  # a source checkout only: an installed wheel never needs it

    spec = importlib.util.spec_from_file_location(
        "preflight.rules", source, submodule_search_locations=[str(source.parent)]
    )
    if spec is None or spec.loader is None:  # pragma: no cover - importlib always gives one
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules["preflight.rules"] = module
    spec.loader.exec_module(module)
    globals()["rules"] = module  # what `import preflight.rules` would bind


_mount_source_rule_pack()
