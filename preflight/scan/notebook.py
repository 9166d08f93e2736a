"""Jupyter notebooks: code cells (with IPython magics), pip installs, and where they stand.

A finding in a notebook names the line of the notebook file and the cell
(1-based, counting every cell). Magics (``%pip``, ``!cmd``, ``x = !cmd``) are
blanked before the cell is parsed; shell cells (``%%bash``) are only searched
for ``pip install``. Image outputs are not searched for keys (base64 noise).
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field

from preflight.scan import jsonpos
from preflight.scan.deps import pip_installs
from preflight.scan.facts import Dependency, SourceFile
from preflight.scan.python import scan_python
from preflight.scan.secrets import Lines

_MAGIC = re.compile(r"^([ \t]*)(?:[!%]|[\w., \t]+=[ \t]*[!%])")
_SHELL_CELLS = ("%%bash", "%%sh", "%%script", "%%system", "%%!")
_FOREIGN_CELLS = ("%%html", "%%javascript", "%%js", "%%latex", "%%markdown", "%%svg", "%%sql",
                  "%%perl", "%%ruby", "%%writefile", "%%file", "%%R")


@dataclass
class Layout:
    """Where the cells and the skipped (image) strings of a notebook stand in its text."""

    cell_starts: list[int] = field(default_factory=list)
    ignored: list[tuple[int, int]] = field(default_factory=list)

    def cell_of(self, offset: int) -> int | None:
        index = bisect.bisect_right(self.cell_starts, offset)
        return index or None

    def ignore(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.ignored)


def scan_notebook(text: str, lines: Lines, out: SourceFile, code: bool) -> Layout | None:
    """Add the facts of the code cells to ``out``; None when the file is not notebook JSON."""
    try:
        data = jsonpos.parse(text)
    except (ValueError, RecursionError):
        return None
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        return None
    layout = Layout()
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, jsonpos.PDict):
            continue
        layout.cell_starts.append(cell.start)
        _ignore_images(cell, layout)
        if code and cell.get("cell_type") == "code":
            _scan_cell(cell.get("source"), number, lines, out)
    return layout


def _ignore_images(cell: jsonpos.PDict, layout: Layout) -> None:
    for output in cell.get("outputs") or []:
        data = output.get("data") if isinstance(output, dict) else None
        for mime, value in (data or {}).items():
            if mime.startswith(("image/", "video/", "audio/", "application/pdf")):
                for part in value if isinstance(value, list) else [value]:
                    if isinstance(part, jsonpos.PStr):
                        layout.ignored.append((part.start, part.end))


def _scan_cell(source: object, number: int, lines: Lines, out: SourceFile) -> None:
    parts = source if isinstance(source, list) else [source]
    rows: list[tuple[str, jsonpos.PStr]] = []  # each source line and the JSON string it is in
    for part in parts:
        if isinstance(part, jsonpos.PStr):
            rows += [(row, part) for row in part.split("\n")[: max(1, part.count("\n"))]]
            if not part.endswith("\n") and "\n" in part:
                rows.append((part.rsplit("\n", 1)[1], part))
    if not rows:
        return

    def place(line: int, column: int) -> tuple[int, int, int | None]:
        row, part = rows[min(max(line, 1), len(rows)) - 1]
        file_line, file_col = lines.at(part.start)
        before = part[: part.find(row)] if row else ""
        escaped = len(json.dumps(before + row[: max(column - 1, 0)], ensure_ascii=False)) - 1
        return file_line, file_col + escaped, number

    first = rows[0][0].strip()
    shell = first.startswith(_SHELL_CELLS)
    for index, (row, _) in enumerate(rows, 1):
        if shell or _MAGIC.match(row):
            for name, spec, column in pip_installs(row):
                line, col, cell = place(index, column)
                out.dependencies.append(Dependency(name, spec, line, col, cell, "pip install"))
    if shell or first.startswith(_FOREIGN_CELLS):
        return
    code = [_blank(row) for row, _ in rows]
    if first.startswith("%%"):
        code[0] = ""
    scan_python("\n".join(code), out, place)


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
