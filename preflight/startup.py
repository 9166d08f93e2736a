"""The cyclic garbage collector is paused while the command line starts.

Start-up creates tens of thousands of objects that live until the process
ends (modules, classes, functions, the rule registry, pydantic's schemas), and
the collector would go through them again and again while they are made: about
3 % of the instructions of a pre-commit run. The console script pauses it
before anything is imported (:func:`pause`); the run resumes it (:func:`resume`)
before it reads files, with the start-up objects frozen, so later collections
never look at them again and workers forked for a big tree collect as usual.
Used as a library, nothing is paused.
"""

from __future__ import annotations

import gc

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
