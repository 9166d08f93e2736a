"""Inline suppressions: ``# gemini-preflight: ignore[GP305, GP201]``.

A comment silences the listed rules for findings on its own line and on the
line below it. It is read from the raw lines of the finding's file, so it works
for every input kind: YAML, Python, a notebook (the comment sits inside a
cell's source string, on the notebook's raw JSON line), dependency files,
``.env`` files. A comment that silences nothing, for a rule that ran on that
file, is reported as GP001; one that names no known rule as GP002.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from preflight.findings import Finding

COMMENT = re.compile(r"#\s*gemini-preflight\s*:\s*ignore\b(?:\[(?P<ids>[^\]\n]*)\])?", re.IGNORECASE)
# A file is searched for comments only when it holds one of these (fast, no decoding).
MARKERS = (b"gemini-preflight", b"GEMINI-PREFLIGHT", b"Gemini-Preflight", b"Gemini-preflight")
MAX_BYTES = 8 * 1024 * 1024
# Files whose '#' is not a comment: a suppression quoted in docs is not a suppression.
NO_HASH_COMMENTS = frozenset({".md", ".markdown", ".rst", ".adoc", ".html", ".htm"})


@dataclass
class Suppression:
    """One suppression comment and which of its IDs silenced something."""

    path: str
    line: int
    column: int
    names: tuple[str, ...]  # as written, upper-cased ("GP305", "GP3O5")
    used: set[str] = field(default_factory=set)


class Comments:
    """The suppression comments of files, read once per file.

    A file may be named in several ways (relative, absolute): it is read once, and
    its comments carry the name it was first asked for.
    """

    def __init__(self) -> None:
        self._by_path: dict[str, dict[int, list[Suppression]]] = {}  # by absolute path
        self._real: dict[str, str] = {}

    def of(self, path: str) -> dict[int, list[Suppression]]:
        real = self._real.get(path)
        if real is None:
            real = self._real[path] = os.path.abspath(path)  # realpath costs a syscall a segment
        found = self._by_path.get(real)
        if found is None:
            found = self._by_path[real] = _scan(path)
        return found

    def at(self, path: str, line: int) -> list[Suppression]:
        """Comments that cover ``line``: on it, or on the line above it."""
        by_line = self.of(path)
        line = max(line, 1)  # a whole-file finding is covered by a comment on line 1
        return by_line.get(line, []) + by_line.get(line - 1, [])

    def all(self) -> Iterable[Suppression]:
        for path in sorted(self._by_path):
            for line in sorted(self._by_path[path]):
                yield from self._by_path[path][line]


def _scan(path: str) -> dict[int, list[Suppression]]:
    text = _read(Path(path))
    found: dict[int, list[Suppression]] = {}
    if text is None:
        return found
    comment_at = _python_comments(text) if path.endswith((".py", ".pyi", ".pyw")) else None
    for number, line in enumerate(text.splitlines(), start=1):
        for match in COMMENT.finditer(line):
            if comment_at is not None and comment_at.get(number, len(line) + 1) > match.start():
                continue  # the text of a string, not a comment
            names = tuple(n.strip().upper() for n in re.split(r"[,\s]+", match.group("ids") or "")
                          if n.strip())
            found.setdefault(number, []).append(Suppression(path, number, match.start() + 1, names))
    return found


def _python_comments(text: str) -> dict[int, int] | None:
    """Where each line's comment starts (0-based column), by Python's tokenizer;
    None when the file does not tokenize (every match then counts)."""
    import io
    import tokenize

    starts: dict[int, int] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                starts[token.start[0]] = token.start[1]
    except (tokenize.TokenError, SyntaxError):
        return None
    return starts


def _read(path: Path) -> str | None:
    from preflight.scan.read import read_file

    try:
        raw = read_file(path, MAX_BYTES)
    except OSError:
        return None
    if b"\x00" in raw[:8192] or not any(marker in raw for marker in MARKERS):
        return None  # binary, or no suppression comment at all (the common case: no decoding)
    return raw.decode("utf-8-sig", errors="replace")


def silence(findings: Iterable[Finding], comments: Comments) -> tuple[list[Finding], int]:
    """Drop findings that a comment silences; return what is kept and how many were dropped."""
    kept: list[Finding] = []
    dropped = 0
    for finding in findings:
        covering = [s for s in comments.at(finding.location.path, finding.location.line)
                    if finding.rule_id in s.names]
        if covering:
            for suppression in covering:
                suppression.used.add(finding.rule_id)
            dropped += 1
        else:
            kept.append(finding)
    return kept, dropped


@dataclass(frozen=True)
class Misuse:
    """A suppression that is itself a problem: ``kind`` is "unused" or "unknown"."""

    kind: str
    suppression: Suppression
    name: str
    hint: str | None = None


def misuses(
    comments: Comments,
    known: Iterable[str],
    ran_on: Callable[[str, str], bool],
    own_ids: Iterable[str] = (),
) -> list[Misuse]:
    """Unused suppressions (for rules that ran on that file) and unknown rule names.

    ``own_ids`` are the suppression rules themselves: naming them is never "unused".
    """
    import difflib

    known_ids = sorted(known)
    own = set(own_ids)
    found: list[Misuse] = []
    for suppression in comments.all():
        if Path(suppression.path).suffix.lower() in NO_HASH_COMMENTS:
            continue
        if not suppression.names:
            found.append(Misuse("unknown", suppression, ""))
        for name in suppression.names:
            if name not in known_ids:
                close = difflib.get_close_matches(name, known_ids, n=1, cutoff=0.6)
                found.append(Misuse("unknown", suppression, name, close[0] if close else None))
            elif name not in suppression.used and name not in own and ran_on(name, suppression.path):
                found.append(Misuse("unused", suppression, name))
    return found
