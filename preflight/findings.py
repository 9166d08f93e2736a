"""Findings, severities and locations, and the redaction of secrets.

A rule never builds a :class:`Finding`: it yields a :class:`preflight.rule.Problem`
and the engine stamps the rule ID, the effective severity and the location.
"""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from preflight.edits import Fix
    from preflight.paths import FilePath


class Severity(enum.IntEnum):
    """Ordered severities: a higher value is more severe."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            allowed = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (allowed: {allowed})") from None


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: 1-based line and column; 0 means "the whole file".

    ``path`` is the display path; ``file`` the file's identity found at discovery
    (:class:`preflight.paths.FilePath`), which every consumer of a path uses.
    """

    path: str
    line: int = 0
    column: int = 0
    cell: int | None = None  # notebook cell (1-based), when the file is a notebook
    file: FilePath | None = field(default=None, compare=False, repr=False)

    @property
    def where(self) -> FilePath:
        """The file's identity (worked out from ``path`` for a hand-made location)."""
        if self.file is not None:
            return self.file
        from preflight.paths import FilePath

        return FilePath.of(self.path)

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{max(self.column, 1)}"


@dataclass(frozen=True)
class Finding:
    """One reported problem, ready for a report."""

    rule_id: str
    rule_name: str
    severity: Severity
    message: str
    location: Location
    fix: str | None = None
    # What the finding is about, in a form safe to print and stable across line
    # moves (used for baselines and SARIF fingerprints). Never a plaintext secret.
    subject: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    autofix: Fix | None = field(default=None, compare=False, hash=False)  # for --fix

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.rule_id, self.message)

    @property
    def fingerprint(self) -> str:
        """A stable hash of rule, repository-relative path and subject: no line number, no
        secret, and the same whatever folder the run started in (SARIF partialFingerprints)."""
        return fingerprint(self.rule_id, self.subject or self.message, self.location.where.repo)


def fingerprint(rule_id: str, subject: str, path: str | None = None, size: int = 32) -> str:
    """The one fingerprint function: a hash of rule, subject and (when given) path.

    SARIF hashes the repository-relative path in; a baseline keys the path
    separately (relative to the baseline file) and keeps 20 characters, the
    length of the entries it has always written.
    """
    import hashlib  # (OpenSSL) only when a fingerprint or digest is asked for

    parts = (rule_id, path, subject) if path is not None else (rule_id, subject)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:size]


def redact(secret: str) -> str:
    """Return a form of ``secret`` that is safe to print anywhere.

    At most the first four and the last two characters survive
    (``AIza…3x``); short values are masked whole.
    """
    if len(secret) < 12:
        return "…"
    return f"{secret[:4]}…{secret[-2:]}"


def digest(secret: str) -> str:
    """A one-way, stable stand-in for a secret (for fingerprints and baselines)."""
    import hashlib

    return "sha256:" + hashlib.sha256(secret.encode("utf-8")).hexdigest()[:24]


@functools.lru_cache(maxsize=1)
def _scrub_pattern() -> re.Pattern[str]:
    from preflight.datafiles import load_data

    shapes = load_data("keys.yaml")["scrub"]
    return re.compile("|".join(f"(?:{shape})" for shape in shapes), re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _scrub_needles() -> tuple[str, ...]:
    from preflight.datafiles import load_data

    return tuple(load_data("keys.yaml")["scrub_needles"])


def scrub(text: str) -> str:
    """Replace anything that looks like a credential in ``text`` by its redacted form.

    The one scrub: the command line passes every text it writes through it
    (``preflight.cli.say``); the shapes are ``scrub`` in ``data/keys.yaml``.
    A match can only start where one of ``scrub_needles`` does, so the patterns
    are tried at those offsets only: what a search of every offset would find.
    """
    if not text.isascii() and any(char in text for char in _FOLDS_TO_ASCII):
        return _scrub_pattern().sub(_redacted, text)  # let the pattern search every offset
    lowered = text.lower()
    present = [needle for needle in _scrub_needles() if needle in lowered]
    if not present:  # most texts
        return text
    pattern = _scrub_pattern()  # compiled (once) only for a text that may hold a credential
    starts = sorted({at for needle in present for at in _offsets(lowered, needle)})
    pieces: list[str] = []
    done = 0
    for at in starts:
        if at < done:
            continue
        found = pattern.match(text, at)  # look-behinds still see the text before ``at``
        if found:
            pieces += (text[done:at], redact(found.group(0)))
            done = found.end()
    return "".join(pieces) + text[done:] if pieces else text


# The only characters beyond ASCII that case-insensitive matching equates with ASCII letters
# (capital I with dot, dotless i, long s, Kelvin sign). Without them, an ASCII letter of a
# pattern matches ASCII letters alone and ``str.lower`` keeps every offset (the capital I with
# dot is the one character it turns into two).
_FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"


def _redacted(found: re.Match[str]) -> str:
    return redact(found.group(0))


def _offsets(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    return found
