"""The last steps of a migration: the new imports, and the migrate-by-hand comments."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from preflight.migrate.legacy import Names, is_legacy_import

MARK = "# gemini-preflight: migrate by hand: "


def finish_imports(module: cst.Module, names: Names, types: bool, client: bool) -> str:
    """The legacy imports replaced by google-genai's (and a client, when none was made)."""
    new_imports = ["from google import genai"] + (["from google.genai import types"] if types else [])
    body: list[cst.BaseStatement] = []
    placed = False
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine) and all(is_legacy_import(s) for s in stmt.body):
            if not placed:
                first = [cst.parse_statement(line + "\n") for line in new_imports]
                first[0] = first[0].with_changes(leading_lines=stmt.leading_lines)
                if client:  # after the imports, before the code that uses it
                    made = "genai.Client(vertexai=True)" if names.vertex else "genai.Client()"
                    first.append(cst.parse_statement(f"client = {made}\n").with_changes(
                        leading_lines=[cst.EmptyLine()]))
                body.extend(first)
                placed = True
            continue
        body.append(stmt)
    text = module.with_changes(body=body).code
    if names.vertexai_alias:
        text = _drop_unused_vertexai(text, names.vertexai_alias)
    return text


def _drop_unused_vertexai(text: str, alias: str) -> str:
    lines = text.split("\n")
    import_line = "import vertexai" + (f" as {alias}" if alias != "vertexai" else "")
    others = [line for line in lines if line.strip() != import_line]
    if any(f"{alias}." in line for line in others):
        return text
    return "\n".join(others)


class Marker(cst.CSTTransformer):
    """Adds the migrate-by-hand comments above the statements that start on the given lines."""

    def __init__(self, problems: list[tuple[int, str]], wrapper: MetadataWrapper) -> None:
        self.reasons: dict[int, list[str]] = {}
        for line, reason in problems:
            self.reasons.setdefault(line, []).append(reason)
        self.positions = wrapper.resolve(PositionProvider)
        self.done: set[int] = set()

    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        if not isinstance(original, cst.SimpleStatementLine | cst.BaseCompoundStatement):
            return updated
        position = self.positions.get(original)
        line = position.start.line if position else 0
        if line not in self.reasons or line in self.done:
            return updated
        self.done.add(line)
        assert isinstance(updated, cst.SimpleStatementLine | cst.BaseCompoundStatement)
        present = {e.comment.value for e in updated.leading_lines if e.comment}
        indent = updated.leading_lines[-1].indent if updated.leading_lines else True
        extra = [cst.EmptyLine(indent=indent, comment=cst.Comment(MARK + r))
                 for r in dict.fromkeys(self.reasons[line]) if MARK + r not in present]
        return updated.with_changes(leading_lines=[*updated.leading_lines, *extra])
