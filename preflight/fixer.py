"""Applying the fixes attached to findings: one pass per file, checked, atomic.

For each file, the fixes of its findings are placed (each :class:`Edit` must
find the text it expects on its line), overlapping ones are left for a later
run, and all the others are applied in one pass. The new text must still
parse as what the file is (Python, JSON, notebook, TOML, YAML); a notebook
must keep its cells, their outputs and its metadata. A file is written with
:func:`preflight.textfile.write_atomic`, in its own encoding and line endings,
and never when it changed on disk after the run started.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from preflight import textfile
from preflight.edits import Edit
from preflight.findings import Finding

Span = tuple[int, int, str]


@dataclass
class FileChange:
    path: str
    before: str
    after: str
    fixed: list[Finding]
    written: bool = False


@dataclass
class FixReport:
    changes: list[FileChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def fixed(self) -> int:
        return sum(len(c.fixed) for c in self.changes)

    def diff(self) -> str:
        return "".join(unified_diff(c.path, c.before, c.after) for c in self.changes)


def fixable(findings: Iterable[Finding], unsafe: bool) -> list[Finding]:
    return [f for f in findings if f.autofix is not None and (unsafe or f.autofix.safe)]


def apply_fixes(findings: Sequence[Finding], unsafe: bool = False, write: bool = True,
                started_ns: int | None = None) -> FixReport:
    """Fix what can be fixed among ``findings``; write the files unless ``write`` is false."""
    report = FixReport()
    by_path: dict[str, list[Finding]] = {}
    for finding in fixable(findings, unsafe):
        by_path.setdefault(finding.location.path, []).append(finding)
    for shown, todo in sorted(by_path.items()):
        change = _fix_file(shown, todo, started_ns, report.notes)
        if change is None:
            continue
        if write:
            try:
                textfile.write_atomic(Path(shown), change.encoded, expect=change.raw)
            except (textfile.TextFileError, OSError) as exc:
                report.notes.append(str(exc) if isinstance(exc, textfile.TextFileError)
                                    else f"{shown}: not written ({exc.strerror or exc})")
                continue
            change.change.written = True
            report.notes.extend(relock_notes(Path(shown)))
        report.changes.append(change.change)
    return report


LOCKS = {"poetry.lock": "poetry lock", "uv.lock": "uv lock", "pdm.lock": "pdm lock",
         "Pipfile.lock": "pipenv lock", "package-lock.json": "npm install",
         "npm-shrinkwrap.json": "npm install", "yarn.lock": "yarn install",
         "pnpm-lock.yaml": "pnpm install", "bun.lock": "bun install", "bun.lockb": "bun install"}


def relock_notes(path: Path) -> list[str]:
    """Lock files beside a fixed dependency file: never edited, to be re-locked."""
    if path.name not in ("pyproject.toml", "Pipfile", "package.json") and path.suffix != ".in":
        return []
    notes = []
    for name, command in LOCKS.items():
        lock = path.with_name(name)
        if lock.is_file():
            notes.append(f"{lock.as_posix()} was not edited: re-lock ({command})")
    compiled = path.with_suffix(".txt")
    if path.suffix == ".in" and compiled.is_file():
        notes.append(f"{compiled.as_posix()} was not edited: re-compile it (pip-compile)")
    return notes


@dataclass
class _Planned:
    change: FileChange
    encoded: bytes
    raw: bytes


def _fix_file(shown: str, findings: list[Finding], started_ns: int | None,
              notes: list[str]) -> _Planned | None:
    path = Path(shown)
    try:
        if started_ns is not None and os.stat(path).st_mtime_ns > started_ns:
            notes.append(f"{shown}: changed on disk during the run; not fixed")
            return None
        source = textfile.read(path)
    except (textfile.TextFileError, OSError) as exc:
        notes.append(f"{shown}: not fixed ({exc})")
        return None
    text, newline = source.text, source.newline
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    notebook = path.suffix.lower() == ".ipynb"
    spans: list[Span] = []
    fixed: list[Finding] = []
    for finding in sorted(findings, key=Finding.sort_key):
        assert finding.autofix is not None
        placed = [_place(text, starts, e, newline, notebook) for e in finding.autofix.edits]
        if any(p is None for p in placed):
            notes.append(f"{finding.location}: {finding.rule_id} fix not applied "
                         "(the text it expects is not there)")
            continue
        mine = [p for p in placed if p is not None]
        if any(_overlaps(a, b) for a in mine for b in spans):
            continue  # another fix touches the same text: left for the next run
        spans.extend(mine)
        fixed.append(finding)
    if not fixed:
        return None
    after = text
    for start, end, new in sorted(spans, key=lambda s: (s[0], s[1]), reverse=True):
        after = after[:start] + new + after[end:]
    if after == text:
        return None
    problem = still_valid(path, text, after)
    if problem:
        notes.append(f"{shown}: not fixed ({problem})")
        return None
    return _Planned(FileChange(shown, text, after, fixed), source.encode(after), source.raw)


def _place(text: str, starts: list[int], edit: Edit, newline: str, notebook: bool) -> Span | None:
    if edit.line < 1:
        return None
    if edit.insert:
        offset = starts[edit.line - 1] if edit.line <= len(starts) else len(text)
        new = edit.choices[0][1].replace("\n", newline)
        if offset == len(text) and text and not text.endswith("\n"):
            new = newline + new
        return (offset, offset, new)
    if edit.line > len(starts):
        return None
    begin = starts[edit.line - 1] + max(edit.column - 1, 0)
    line_end = starts[edit.line] - 1 if edit.line < len(starts) else len(text)
    for pattern, template in edit.choices:
        match = re.compile(pattern).search(text, begin, line_end)
        if match is None:
            continue
        new = match.expand(template)
        if edit.shell and text[match.start() - 1: match.start()] not in ("'", '"'):
            new = f"'{new}'"
        if notebook and edit.cell is not None and json.dumps(new, ensure_ascii=False)[1:-1] != new:
            return None  # would need escaping inside the notebook's JSON string
        if "\n" in new:
            new = new.replace("\n", newline)
        return (match.start(), match.end(), new)
    return None


def _overlaps(a: Span, b: Span) -> bool:
    return (a[0] < b[1] and b[0] < a[1]) or a[0] == b[0]


def still_valid(path: Path, before: str, after: str) -> str | None:
    """Why ``after`` is not a valid file of ``path``'s kind (if ``before`` was), or None."""
    suffix, name = path.suffix.lower(), path.name
    if suffix == ".ipynb":
        return _notebook_problem(before, after)
    parse = _parser(suffix, name)
    if parse is None:
        return None
    try:
        parse(before)
    except Exception:
        return None  # it did not parse before either: nothing to keep
    try:
        parse(after)
    except Exception as exc:
        return f"the result would not parse: {type(exc).__name__}"
    return None


def _parser(suffix: str, name: str) -> Callable[[str], object] | None:
    import ast
    import tomllib

    if suffix in (".py", ".pyw", ".pyi"):
        return ast.parse
    if suffix == ".json":
        return json.loads
    if suffix == ".toml" or name == "Pipfile":
        return tomllib.loads
    if suffix in (".yaml", ".yml"):
        import yaml

        return yaml.safe_load
    return None


def _notebook_problem(before: str, after: str) -> str | None:
    try:
        old, new = json.loads(before), json.loads(after)
    except ValueError as exc:
        return f"the notebook would not be valid JSON: {exc}"
    old_cells, new_cells = old.get("cells", []), new.get("cells", [])
    if len(old_cells) != len(new_cells) or set(old) != set(new) or old.get("metadata") != new.get(
            "metadata"):
        return "the notebook's structure would change"
    for a, b in zip(old_cells, new_cells, strict=True):
        if {k: v for k, v in a.items() if k != "source"} != {k: v for k, v in b.items()
                                                              if k != "source"}:
            return "a cell's outputs or metadata would change"
        if not isinstance(b.get("source"), str | list):
            return "a cell's source would not be text"
    return None


def unified_diff(shown: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{shown}", tofile=f"b/{shown}")
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
