"""Baselines: record today's findings so that only new ones fail.

An entry is keyed by rule, path (relative to the baseline file's folder) and a
fingerprint of the offending content: a hash of the rule and the finding's
subject (or message), never a line number and never a secret. Equal findings
collapse into one entry with a count, so N identical findings stay N: an
(N+1)th one is new. The file is JSON with one entry per line, sorted, so a
review diff shows exactly which findings came and went.

Entries that match no finding any more are "stale": they are reported so the
baseline can be pruned (``--write-baseline`` again).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from preflight import atomic
from preflight.files import read_file
from preflight.findings import Finding, scrub
from preflight.findings import fingerprint as hash_of

SCHEMA_VERSION = 1
MAX_BYTES = 64 * 1024 * 1024  # a baseline of a very large repository stays far below
Key = tuple[str, str, str]  # rule, path, fingerprint


class BaselineError(Exception):
    """A baseline file that cannot be read or written."""


@dataclass(frozen=True, order=True)
class Entry:
    rule: str
    path: str
    fingerprint: str
    count: int = 1
    message: str = ""

    @property
    def key(self) -> Key:
        return (self.rule, self.path, self.fingerprint)

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "path": self.path, "fingerprint": self.fingerprint,
                "count": self.count, "message": self.message}


@dataclass
class BaselineReport:
    """What applying a baseline did: findings it let pass and entries nothing matched."""

    file: str
    matched: int = 0
    stale: list[Entry] = field(default_factory=list)


def fingerprint(finding: Finding) -> str:
    """A line-free, secret-free hash of what a finding is about (the path is keyed apart)."""
    return hash_of(finding.rule_id, finding.subject or finding.message, size=20)


def key_of(finding: Finding, root: Path) -> Key:
    """Rule, path relative to ``root`` (``..`` allowed) and fingerprint of a finding."""
    relative = finding.location.where.relative_to(root)
    return (finding.rule_id, scrub(relative), fingerprint(finding))  # a key in a name stays out


def entries_for(findings: Iterable[Finding], root: Path) -> list[Entry]:
    counts: Counter[Key] = Counter()
    messages: dict[Key, str] = {}
    for finding in findings:
        key = key_of(finding, root)
        counts[key] += 1
        messages.setdefault(key, scrub(finding.message))
    return sorted(Entry(*key, count=n, message=messages[key]) for key, n in counts.items())


def render(entries: Iterable[Entry]) -> str:
    """The file's text: stable, sorted, one entry per line."""
    lines = [json.dumps(e.as_dict(), ensure_ascii=False) for e in sorted(entries)]
    body = scrub(",\n".join(f"    {line}" for line in lines))
    return (
        "{\n"
        f'  "schema_version": {SCHEMA_VERSION},\n'
        '  "tool": "gemini-preflight",\n'
        + ('  "entries": [\n' + body + "\n  ]\n" if lines else '  "entries": []\n')
        + "}\n"
    )


def write(path: Path, findings: Iterable[Finding]) -> list[Entry]:
    """Write a baseline of ``findings`` to ``path`` (atomically); return its entries."""
    entries = entries_for(findings, path.resolve().parent)
    try:
        atomic.write_text(path, render(entries))
    except OSError as exc:
        raise BaselineError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    return entries


def load(path: Path) -> list[Entry]:
    shown = path.as_posix()
    try:
        data = json.loads(read_file(path, MAX_BYTES).decode("utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{shown}: no such baseline file "
                            "(create one with --write-baseline)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{shown}: cannot read baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{shown}: baseline is not valid JSON (line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        found = data.get("schema_version") if isinstance(data, dict) else None
        raise BaselineError(f"{shown}: unsupported baseline schema_version {found!r} "
                            f"(this version reads {SCHEMA_VERSION})")
    raw = data.get("entries")
    if not isinstance(raw, list):
        raise BaselineError(f"{shown}: baseline has no 'entries' list")
    entries = []
    for number, item in enumerate(raw, start=1):
        try:
            entries.append(Entry(rule=str(item["rule"]), path=str(item["path"]),
                                 fingerprint=str(item["fingerprint"]),
                                 count=int(item.get("count", 1)), message=str(item.get("message", ""))))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise BaselineError(f"{shown}: entry {number} needs rule, path, fingerprint "
                                "and a numeric count") from None
    return entries


def apply(findings: Iterable[Finding], path: Path, entries: Iterable[Entry]
          ) -> tuple[list[Finding], BaselineReport]:
    """Let findings the baseline knows pass; report entries that matched nothing."""
    root = path.resolve().parent
    budget: Counter[Key] = Counter()
    by_key: dict[Key, Entry] = {}
    for entry in entries:
        budget[entry.key] += entry.count
        by_key.setdefault(entry.key, entry)
    report = BaselineReport(file=path.as_posix())
    kept = []
    for finding in findings:
        key = key_of(finding, root)
        if budget[key] > 0:
            budget[key] -= 1
            report.matched += 1
        else:
            kept.append(finding)
    report.stale = sorted(Entry(*key, count=n, message=by_key[key].message)
                          for key, n in budget.items() if n > 0)
    return kept, report
