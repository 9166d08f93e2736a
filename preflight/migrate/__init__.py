"""``gemini-preflight migrate``: legacy Gemini SDK code rewritten to google-genai.

:func:`migrate_paths` finds the Python files and notebooks under the paths
given, migrates each (:mod:`preflight.migrate.codemod`) and, with ``write``,
writes the changed ones atomically in their own encoding and line endings.
Code is parsed with libcst, never imported or run. Notebooks are migrated cell
by cell; their outputs and metadata are never touched.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

MISSING = ("gemini-preflight migrate needs libcst: "
           "pip install 'gemini-preflight[migrate]'")


class MigrateError(Exception):
    """The codemod cannot run (libcst missing)."""


@dataclass
class FileResult:
    path: str
    before: str
    after: str
    rewritten: int = 0
    by_hand: list[tuple[int, str]] = field(default_factory=list)
    error: str = ""  # the file does not parse (left alone)
    written: bool = False

    @property
    def changed(self) -> bool:
        return self.after != self.before


@dataclass
class Report:
    files: list[FileResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def reasons(self) -> Counter[str]:
        return Counter(reason for f in self.files for _, reason in f.by_hand)

    def diff(self) -> str:
        from preflight.fixer import unified_diff

        return "".join(unified_diff(f.path, f.before, f.after) for f in self.files if f.changed)


def _require_libcst() -> None:
    try:
        import libcst  # noqa: F401
    except ImportError:
        raise MigrateError(MISSING) from None


def migrate_paths(paths: Sequence[Path], write: bool = False) -> Report:
    """Migrate every Python file and notebook under ``paths``; write only with ``write``."""
    from preflight import textfile
    from preflight.api import UsageError, display_path
    from preflight.scan.walk import discover

    _require_libcst()
    found = discover(list(paths) or [Path(".")])
    if found.missing:
        raise UsageError(f"{found.missing[0]}: no such file or folder")
    report = Report()
    for target in found.targets:
        suffix = target.path.suffix.lower()
        if suffix not in (".py", ".ipynb"):
            continue
        shown = display_path(target.path)
        try:
            source = textfile.read(target.path)
        except textfile.TextFileError as exc:
            report.notes.append(str(exc))
            continue
        if not _mentions_legacy(source.text):
            continue
        result = (migrate_notebook if suffix == ".ipynb" else migrate_python)(shown, source.text)
        if write and result.changed:
            try:
                textfile.write_atomic(target.path, source.encode(result.after), expect=source.raw)
                result.written = True
            except (textfile.TextFileError, OSError) as exc:
                report.notes.append(f"{shown}: not written ({exc})")
        report.files.append(result)
    return report


_LEGACY = re.compile(r"generativeai|generative_models")


def _mentions_legacy(text: str) -> bool:
    return _LEGACY.search(text) is not None


def migrate_python(shown: str, text: str) -> FileResult:
    from libcst import ParserSyntaxError

    from preflight.migrate.codemod import migrate_code

    try:
        done = migrate_code(text)
    except (ParserSyntaxError, RecursionError) as exc:
        return FileResult(shown, text, text, error=f"does not parse: {str(exc).splitlines()[0]}")
    return FileResult(shown, text, done.code, done.rewritten, done.by_hand)


_MAGIC = re.compile(r"^([ \t]*)([!%].*)$")
_PLACEHOLDER = "__gemini_preflight_magic_{}__"


def migrate_notebook(shown: str, text: str) -> FileResult:
    """Code cells joined (magics kept aside) so models defined in one cell are known in the
    next, migrated as one module, and split back into their cells."""
    try:
        notebook = json.loads(text)
        cells = notebook["cells"]
    except (ValueError, KeyError, TypeError):
        return FileResult(shown, text, text, error="not notebook JSON")
    code_cells = [(i, c) for i, c in enumerate(cells)
                  if isinstance(c, dict) and c.get("cell_type") == "code"
                  and not "".join(_lines(c.get("source"))).lstrip().startswith("%%")]
    magics: list[str] = []
    chunks = []
    for index, cell in code_cells:
        rows = []
        for row in "".join(_lines(cell.get("source"))).split("\n"):
            match = _MAGIC.match(row)
            if match:
                rows.append(f"{match.group(1)}{_PLACEHOLDER.format(len(magics))}()")
                magics.append(match.group(2))
            else:
                rows.append(row)
        chunks.append(f"# gemini-preflight-cell {index}\n" + "\n".join(rows))
    joined = "\n".join(chunks) + "\n"
    result = migrate_python(shown, joined)
    if result.error or not result.changed:
        return FileResult(shown, text, text, result.rewritten, result.by_hand, result.error)
    after = result.after
    for number, magic in enumerate(magics):
        after = after.replace(f"{_PLACEHOLDER.format(number)}()", magic, 1)
    pieces = re.split(r"^# gemini-preflight-cell (\d+)\n", after, flags=re.MULTILINE)
    head = pieces[0]
    new_sources = {int(pieces[i]): pieces[i + 1] for i in range(1, len(pieces), 2)}
    first = min(new_sources) if new_sources else None
    for index, source in new_sources.items():
        if index == first:
            source = head + source
        if index != max(new_sources):
            source = source[:-1] if source.endswith("\n") else source
        else:
            source = source[:-1] if source.endswith("\n") else source
        old = cells[index].get("source")
        cells[index]["source"] = _split_like(source, old)
    indent = _indent(text)
    new_text = json.dumps(notebook, indent=indent, ensure_ascii=False) + (
        "\n" if text.endswith("\n") else "")
    by_hand = result.by_hand
    return FileResult(shown, text, new_text, result.rewritten, by_hand)


def _lines(source: object) -> list[str]:
    if isinstance(source, list):
        return [str(s) for s in source]
    return [source] if isinstance(source, str) else []


def _split_like(source: str, old: object) -> list[str] | str:
    if isinstance(old, str):
        return source
    return source.splitlines(keepends=True)


def _indent(text: str) -> int | None:
    match = re.search(r"\n( +)\"", text)
    return len(match.group(1)) if match else None
