"""What keeps the start of a run short (a pre-commit hook starts for every commit).

The cyclic garbage collector is paused while the command line starts.

Start-up creates tens of thousands of objects that live until the process
ends (modules, classes, functions, the rule registry, pydantic's schemas), and
the collector would go through them again and again while they are made: about
3 % of the instructions of a pre-commit run. The console script pauses it
before anything is imported (:func:`pause`); the run resumes it (:func:`resume`)
before it reads files, with the start-up objects frozen, so later collections
never look at them again and workers forked for a big tree collect as usual.
Used as a library, nothing is paused.

pydantic's plugin lookup, which imports :mod:`importlib.metadata`, is spared
when no installed distribution declares a pydantic plugin
(:func:`skip_pydantic_plugin_lookup`).
"""

from __future__ import annotations

import functools
import gc
import importlib
import os
import sys
import types
from typing import Any

_paused = False


def pause() -> None:
    """Pause the collector (when it runs): the console script, before its imports."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Resume the collector paused by :func:`pause`, leaving what exists now out of it."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


# pydantic looks for plugins (the ``pydantic`` entry-point group) when it builds its first
# validator, in a module that imports ``importlib.metadata`` (about 60 million instructions,
# a sixth of a pre-commit ``check``) and then reads every installed distribution's entry
# points. When no installed distribution declares that group the answer is known: none.
_LOADER = "pydantic.plugin._loader"


class _NoPydanticPlugins(types.ModuleType):
    """Stands for pydantic's plugin loader while no distribution declares a pydantic plugin:
    ``get_plugins()`` finds none, as the loader would; any other name loads the real one."""

    @staticmethod
    def get_plugins() -> tuple[()]:
        return ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # what the import system asks of a module (``__path__``)
            raise AttributeError(name)
        if sys.modules.get(_LOADER) is self:
            del sys.modules[_LOADER]
        return getattr(importlib.import_module(_LOADER), name)


@functools.lru_cache(maxsize=1)
def skip_pydantic_plugin_lookup() -> None:
    """Before the first pydantic validation of a run: spare the plugin lookup when no
    installed distribution declares a pydantic plugin (else pydantic looks as usual)."""
    if _LOADER not in sys.modules and not may_declare_entry_points("pydantic"):
        sys.modules[_LOADER] = _NoPydanticPlugins(_LOADER)


def may_declare_entry_points(group: str) -> bool:
    """Can an installed distribution declare entry points of ``group``? Its ``[group]``
    section in an ``entry_points.txt`` on ``sys.path``, looked for without
    :mod:`importlib.metadata`; a path entry that is not a folder (a zip) counts as "maybe"."""
    header = f"[{group}]".encode()
    for entry in sys.path:
        folder = entry or "."
        if not os.path.isdir(folder):
            if os.path.exists(folder):
                return True
            continue
        try:
            names = [n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info"))]
        except OSError:
            continue
        for name in names:
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), "rb") as handle:
                    if header in handle.read():
                        return True
            except OSError:
                continue
    return False
