"""Inline suppressions: ``# gemini-preflight: ignore[GP305, GP201]`` (``//`` in JavaScript/TypeScript,
Go, Java, Kotlin and Gradle; ``<!--`` in XML such as ``pom.xml``).

A comment after code on its line (trailing) silences the listed rules for
findings on that line only, as ruff's ``noqa`` does; a comment alone on its
line (standalone) silences them on its own line and on the line below it, as
``eslint-disable-next-line`` does. In a notebook a cell's line is one raw JSON
line, so a comment that opens a source string is standalone.

Comments are facts of the scanned file, collected while it is read: the
manifest loader and :func:`preflight.scan.scan_file` call :func:`find` on the
text they already hold (only when the bytes hold the marker), so nothing is
read twice. A scanner for a language whose comments start otherwise adds its
own in one line: ``out.suppressions += suppress.find(text, leader="//")``.
A comment that silences nothing, for a rule that ran on that file, is
reported as GP001; one that names no known rule as GP002 (their messages are
in their rule modules).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from preflight.findings import Finding
from preflight.paths import FilePath

# A file is searched for comments only when it holds one of these (fast, no decoding).
MARKERS = (b"gemini-preflight", b"GEMINI-PREFLIGHT", b"Gemini-Preflight", b"Gemini-preflight")
MAX_BYTES = 8 * 1024 * 1024
# Files whose '#' is not a comment: a suppression quoted in docs is not a suppression.
NO_HASH_COMMENTS = frozenset({".md", ".markdown", ".rst", ".adoc", ".html", ".htm"})
PYTHON_SUFFIXES = (".py", ".pyi", ".pyw")
RULES = ("GP001", "GP002")  # the rules about suppressions: unused, unknown rule


class Mark(NamedTuple):
    """A suppression comment as the scan of its file found it (1-based line and column)."""

    line: int
    column: int
    names: tuple[str, ...]  # as written, upper-cased ("GP305", "GP3O5")
    standalone: bool = False  # alone on its line: it also covers the next line


@functools.lru_cache(maxsize=8)
def comment_pattern(leader: str = "#") -> re.Pattern[str]:
    """A suppression comment that starts with ``leader`` (``#``, ``//``, ``--``)."""
    return re.compile(re.escape(leader) + r"\s*gemini-preflight\s*:\s*ignore\b"
                      r"(?:\[(?P<ids>[^\]\n]*)\])?", re.IGNORECASE)


# JavaScript and TypeScript (also <script> blocks), Go: // or /* gemini-preflight: ignore[GP305] */
# (compiled by the first file that holds a marker: most runs never need it)
SLASH_COMMENT = r"(?i)(?://|/\*)\s*gemini-preflight\s*:\s*ignore\b(?:\[(?P<ids>[^\]\n]*)\])?"
SLASH_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", ".html", ".htm", ".vue",
                  ".svelte",
                  ".go",
                  ".java", ".kt", ".kts", ".gradle")


def marked(data: bytes) -> bool:
    """Can these bytes hold a suppression comment? (the cheap test before :func:`find`)"""
    return any(marker in data for marker in MARKERS)


def find(text: str, kind: str = "text", leader: str = "#") -> list[Mark]:
    """The suppression comments in a file's ``text``.

    ``kind`` ``python`` keeps only real comments (by Python's tokenizer, not text in a
    string); ``notebook`` reads the raw JSON lines, where a cell line opens with ``"``.
    """
    comment_at = _python_comments(text) if kind == "python" else None
    pattern = re.compile(SLASH_COMMENT) if kind == "slash" else \
        comment_pattern("<!--" if kind == "xml" else leader)
    found: list[Mark] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in pattern.finditer(line):
            if comment_at is not None and comment_at.get(number, len(line) + 1) > match.start():
                continue  # the text of a string, not a comment
            names = tuple(n.strip().upper() for n in re.split(r"[,\s]+", match.group("ids") or "")
                          if n.strip())
            before = line[:match.start()].strip()
            if kind == "notebook":  # a cell's line is a JSON string: '    "# gemini-preflight: ...'
                before = before.removeprefix('"')
            found.append(Mark(number, match.start() + 1, names, standalone=not before))
    return found


def kind_of(path: str) -> str:
    """How :func:`find` reads a file of this name (for files read here, not by a scanner)."""
    lowered = path.lower()
    if lowered.endswith(PYTHON_SUFFIXES):
        return "python"
    if lowered.endswith(SLASH_SUFFIXES):
        return "slash"
    if lowered.endswith(".xml"):
        return "xml"
    return "notebook" if lowered.endswith(".ipynb") else "text"


@dataclass
class Suppression:
    """One suppression comment of a file in a run, and which of its IDs silenced something."""

    file: FilePath
    line: int
    column: int
    names: tuple[str, ...]
    used: set[str] = field(default_factory=set)
    standalone: bool = False

    @property
    def path(self) -> str:
        return self.file.display

    @property
    def scope(self) -> str:
        """The lines it covers, in words (for messages)."""
        return "this line or the next" if self.standalone else "this line"


class Comments:
    """The suppression comments of a run's files, by absolute path.

    ``collected`` holds what the scans found; without it (a result put together by
    hand) a file is read here, once.
    """

    def __init__(self, collected: Mapping[str, Sequence[Mark]] | None = None) -> None:
        self._collected = collected
        self._by_path: dict[str, dict[int, list[Suppression]]] = {}

    def of(self, file: FilePath) -> dict[int, list[Suppression]]:
        found = self._by_path.get(file.absolute)
        if found is None:
            if self._collected is not None:
                marks: Sequence[Mark] = self._collected.get(file.absolute, ())
            else:
                marks = _read_marks(file.absolute)
            found = self._by_path[file.absolute] = {}
            for mark in marks:
                found.setdefault(mark.line, []).append(
                    Suppression(file, mark.line, mark.column, mark.names, standalone=mark.standalone))
        return found

    def at(self, file: FilePath, line: int) -> list[Suppression]:
        """Comments that cover ``line``: on it, or standalone on the line above it."""
        by_line = self.of(file)
        line = max(line, 1)  # a whole-file finding is covered by a comment on line 1
        return by_line.get(line, []) + [s for s in by_line.get(line - 1, []) if s.standalone]

    def all(self) -> Iterable[Suppression]:
        for path in sorted(self._by_path):
            for line in sorted(self._by_path[path]):
                yield from self._by_path[path][line]


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


def _read_marks(path: str) -> list[Mark]:
    from preflight.files import read_file

    try:
        raw = read_file(Path(path), MAX_BYTES)
    except OSError:
        return []
    if b"\x00" in raw[:8192] or not marked(raw):
        return []  # binary, or no suppression comment at all (the common case: no decoding)
    return find(raw.decode("utf-8-sig", errors="replace"), kind_of(path))


def silence(findings: Iterable[Finding], comments: Comments) -> tuple[list[Finding], int]:
    """Drop findings that a comment silences; return what is kept and how many were dropped."""
    kept: list[Finding] = []
    dropped = 0
    for finding in findings:
        covering = [s for s in comments.at(finding.location.where, finding.location.line)
                    if finding.rule_id in s.names]
        if covering:
            for suppression in covering:
                suppression.used.add(finding.rule_id)
            dropped += 1
        else:
            kept.append(finding)
    return kept, dropped


class Misuse(NamedTuple):
    """A suppression that is itself a problem: ``kind`` is "unused" or "unknown"."""

    kind: str
    suppression: Suppression
    name: str
    hint: str | None = None


def misuses(
    comments: Comments,
    known: Iterable[str],
    ran_on: Callable[[str, FilePath], bool],
    own_ids: Iterable[str] = (),
) -> list[Misuse]:
    """Unused suppressions (for rules that ran on that file) and unknown rule names.

    ``own_ids`` are the suppression rules themselves: naming them is never "unused".
    """
    known_ids = sorted(known)
    own = set(own_ids)
    found: list[Misuse] = []
    for suppression in comments.all():
        if Path(suppression.file.absolute).suffix.lower() in NO_HASH_COMMENTS:
            continue
        if not suppression.names:
            found.append(Misuse("unknown", suppression, ""))
        for name in suppression.names:
            if name not in known_ids:
                import difflib  # a did-you-mean for a misspelt rule name

                close = difflib.get_close_matches(name, known_ids, n=1, cutoff=0.6)
                found.append(Misuse("unknown", suppression, name, close[0] if close else None))
            elif name not in suppression.used and name not in own and ran_on(name, suppression.file):
                found.append(Misuse("unused", suppression, name))
    return found
