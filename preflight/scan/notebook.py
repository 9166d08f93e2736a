"""Jupyter notebooks: code cells (with IPython magics), pip installs, and where they stand.

A finding in a notebook names the line of the notebook file and the cell
(1-based, counting every cell). Magics (``%pip``, ``!cmd``, ``x = !cmd``) are
blanked before the cell is parsed; shell cells (``%%bash``) are only searched
for ``pip install``. Image outputs are not searched for keys (base64 noise).
"""

from __future__ import annotations

import bisect
import re
from json.encoder import encode_basestring  # json.dumps(s, ensure_ascii=False), in C

import preflight.scan.cells as cells
import preflight.scan.pywalk as pywalk
from preflight.scan.deps import pip_installs
from preflight.scan.facts import Dependency, SourceFile
from preflight.scan.python import scan_python
from preflight.scan.secrets import Lines

# The indentation is taken whole (the next character is never blank), so the pattern is
# linear; "[ \t]*" followed by "[\w., \t]+" took 49 s on one long broken-notebook line.
_MAGIC = re.compile(r"^([ \t]*)(?:[!%]|[\w.,][\w., \t]*=[ \t]*[!%])")
# Code cells parsed with ast per notebook (time bound); later cells are line-scanned, and
# keys are searched in the whole file whatever the count. Real notebooks have a few hundred.
MAX_PARSED_CELLS = 1000
_SHELL_CELLS = ("%%bash", "%%sh", "%%script", "%%system", "%%!")
_FOREIGN_CELLS = ("%%html", "%%javascript", "%%js", "%%latex", "%%markdown", "%%svg", "%%sql",
                  "%%perl", "%%ruby", "%%R")
# ``%%writefile app.py`` writes the cell as a file: Python, unless the file named has another
# extension (``%%writefile requirements.txt``, ``%%writefile index.html``).
_WRITEFILE = re.compile(r"^%%(?:writefile|file)\b(?:[ \t]+-a)?[ \t]*(\S*)")
_PYTHON_FILES = re.compile(r"(?:\.pyw?|\.ipy|(?:^|/)[^./]*)$")


class Layout:
    """Where the cells and the skipped (binary output) strings of a notebook stand in its text."""

    def __init__(self, text: str, book: list[cells.Cell]) -> None:
        self.text, self.cells = text, book
        self.starts = [cell.start for cell in book]
        self.binary: dict[int, list[tuple[int, int]]] = {}  # by cell index, found on demand

    def _index(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def cell_of(self, offset: int) -> int | None:
        index = self._index(offset)
        return self.cells[index].number if index >= 0 else None

    def ignore(self, offset: int) -> bool:
        index = self._index(offset)
        if index < 0 or offset >= self.cells[index].end:
            return False
        if index not in self.binary:
            self.binary[index] = cells.binary_spans(self.text, self.cells[index])
        return any(start <= offset < end for start, end in self.binary[index])


def scan_notebook(text: str, lines: Lines, out: SourceFile, code: bool) -> Layout | None:
    """Add the facts of the code cells to ``out``; None when the file is not notebook JSON."""
    try:
        book = cells.index(text)
    except (ValueError, RecursionError):
        return None
    if book is None:
        return None
    if code:
        parsed, cursor = 0, Cursor(lines.text)
        for cell in book:
            if isinstance(cell.value, dict) and cell.value.get("cell_type") == "code":
                try:
                    _scan_cell(text, cell, cursor, out, parse=parsed < MAX_PARSED_CELLS)
                except Exception:  # a malformed cell never hides the others (keys: see scan_file)
                    continue
                parsed += 1
    return Layout(text, book)


class Cursor:
    """Line and column of offsets in a notebook's text, counted from the offset asked before:
    the cells are read in order, so each newline is counted about once (counting from the
    start for each fact of a large notebook was a tenth of its scan)."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line = text, 0, 1

    def at(self, offset: int) -> tuple[int, int]:
        """As :meth:`preflight.scan.secrets.Lines.at`: the 1-based line and column."""
        text = self.text
        if offset >= self.offset:
            self.line += text.count("\n", self.offset, offset)
        else:
            self.line -= text.count("\n", offset, self.offset)
        self.offset = offset
        return self.line, offset - text.rfind("\n", 0, offset)


def _scan_cell(text: str, cell: cells.Cell, lines: Cursor, out: SourceFile, parse: bool = True) -> None:
    source = cell.value.get("source")
    parts = [p for p in (source if isinstance(source, list) else [source]) if isinstance(p, str)]
    joined = "".join(parts)
    install, code = "install" in joined, pywalk.wanted(joined)
    if not (install or code):
        return  # nothing any extractor looks for: the cell is not parsed
    rows: list[tuple[str, int, str]] = []  # each source line, the JSON string it is in, its index
    for index, part in enumerate(parts):
        rows += [(row, index, part) for row in part.split("\n")[: max(1, part.count("\n"))]]
        if not part.endswith("\n") and "\n" in part:
            rows.append((part.rsplit("\n", 1)[1], index, part))
    if not rows:
        return
    offsets: list[int] = []  # of each part in the file, found on the first fact placed
    number = cell.number

    def place(line: int, column: int) -> tuple[int, int, int | None]:
        row, index, part = rows[min(max(line, 1), len(rows)) - 1]
        if not offsets:
            offsets.extend(start for start, _ in cells.source_parts(text, cell))
        file_line, file_col = lines.at(offsets[index])
        before = part[: part.find(row)] if row else ""
        escaped = len(encode_basestring(before + row[: max(column - 1, 0)])) - 1
        return file_line, file_col + escaped, number

    first = rows[0][0].strip()
    shell = first.startswith(_SHELL_CELLS)
    for index, (row, _, _) in enumerate(rows, 1):
        if install and (shell or _MAGIC.match(row)):
            for name, spec, column in pip_installs(row):
                line, col, _ = place(index, column)
                out.dependencies.append(Dependency(name, spec, line, col, number, "pip install"))
    written = _WRITEFILE.match(first)
    if not code or shell or first.startswith(_FOREIGN_CELLS) or (
            written and not _PYTHON_FILES.search(written[1])):
        return
    blanked = [_blank(row) for row, _, _ in rows]
    if first.startswith("%%"):
        blanked[0] = ""
    scan_python("\n".join(blanked), out, place, parse)


def _blank(row: str) -> str:
    """A magic line becomes ``pass`` at the same indentation, so the cell still parses."""
    magic = _MAGIC.match(row)
    if magic is None:
        return row
    return magic.group(1) + "pass"


_JSON_LINE = re.compile(r'^[ \t]*"|\\n"?,?[ \t]*$|",?[ \t]*$')


def scan_broken(text: str, out: SourceFile) -> None:
    """A notebook that is not valid JSON: line-scan its code-looking lines."""
    rows = [_JSON_LINE.sub("", row).replace('\\"', '"') for row in text.split("\n")]
    for number, row in enumerate(rows, 1):
        if _MAGIC.match(row):
            for name, spec, column in pip_installs(row):
                out.dependencies.append(Dependency(name, spec, number, column, None, "pip install"))
    from preflight.scan.python import scan_lines

    scan_lines("\n".join(rows), out)
