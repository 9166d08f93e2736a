"""What a fix is: data a rule attaches to a problem, applied by :mod:`preflight.fixer`.

A rule never writes a file. It describes each change as an :class:`Edit`: where
it starts (the 1-based line and column the finding points at) and what text it
expects there, as one or more ``(pattern, replacement)`` choices tried in
order. The first pattern that matches on that line, at or after the column,
is replaced (``\\g<name>`` in a replacement refers to a group of its pattern).
A stale position therefore never overwrites the wrong text: when no pattern
matches, the fix is not applied and the finding stays.

Whether a rule can fix at all (``sometimes`` / ``always``, safe / unsafe) is
declared on the rule as :class:`Fixable`; a fix carries the same safety so the
core never has to look the rule up.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Availability = Literal["sometimes", "always"]


class Edit(NamedTuple):
    """One change in one file.

    ``shell`` marks a replacement that lands on a shell command line (``pip
    install …``): the fixer single-quotes it unless the text it replaces was
    already quoted, so ``>=`` never becomes a redirection. ``insert`` marks an
    insertion before ``line`` (``column`` ignored): ``choices`` then hold one
    ``("", text)`` pair whose text ends with a newline (the file's own line
    ending is used).
    """

    line: int
    column: int
    choices: tuple[tuple[str, str], ...]
    cell: int | None = None
    shell: bool = False
    insert: bool = False


class Fix(NamedTuple):
    """The edits that fix one problem, all or nothing."""

    description: str
    edits: tuple[Edit, ...]
    safe: bool = True


class Fixable(NamedTuple):
    """A rule's declaration: how often it can fix, and whether its fixes are safe."""

    availability: Availability = "sometimes"
    safe: bool = True

    @property
    def label(self) -> str:
        return f"{self.availability} ({'safe' if self.safe else 'unsafe'})"


def replace_literal(line: int, column: int, old: str, new: str, cell: int | None = None,
                    description: str = "", safe: bool = True) -> Fix:
    """A fix that replaces the word ``old`` (not part of a longer name) by ``new``."""
    import re

    pattern = r"(?<![\w.-])" + re.escape(old) + r"(?![\w.-])"
    return Fix(description or f"replace {old!r} by {new!r}",
               (Edit(line, column, ((pattern, new.replace("\\", r"\\")),), cell),), safe)
