"""Reading a JavaScript/TypeScript tree: literals, callees, object properties, package names.

Shared by :mod:`preflight.scan.javascript` and :mod:`preflight.scan.jscalls`.
A value is read only when it is written in place (a literal, an object
literal, ``process.env.X``); anything else is unknown (``None``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import preflight.scan.treesitter as treesitter
from preflight.scan.facts import Span

if TYPE_CHECKING:
    from tree_sitter import Node

# Hosts that serve npm packages as ES modules; the package name follows in the path.
CDN_HOSTS = frozenset({"esm.run", "cdn.jsdelivr.net", "fastly.jsdelivr.net", "unpkg.com", "esm.sh",
                       "cdn.esm.sh", "cdn.skypack.dev", "jspm.dev", "ga.jspm.io", "cdn.jsdelivr.com"})
_URL = re.compile(r"^(?:https?:)?//([^/?#]+)(/[^?#]*)")
_CDN_PREFIX = re.compile(r"^/(?:npm[/:]|v\d+/|stable/|\*)*")
_PACKAGE = re.compile(r"^(@[\w.~-]+/[\w.~-]+|[\w~-][\w.~-]*)(?:@[^/]*)?(?:/.*)?$")


class Js(treesitter.Parsed):
    """One parsed text and how its positions map to the file."""

    def __init__(self, text: str, grammar: str, place: Callable[[int, int], tuple[int, int]] | None
                 ) -> None:
        super().__init__(text, grammar)
        self.place = place

    def where(self, node: Node) -> tuple[int, int]:
        line, column = self.source.where(node)
        return self.place(line, column) if self.place is not None else (line, column)

    def span(self, node: Node) -> Span:
        line, column = self.where(node)
        end_line, end_column = self.source.end(node)
        if self.place is not None:
            end_line, end_column = self.place(end_line, end_column)
        written = self.text(node)
        return Span(line, column, end_line, end_column, None, written if len(written) <= 80 else "")

    def content(self, node: Node | None) -> str | None:
        """The value of a string literal (or a template without substitutions), else None."""
        if node is None or node.type not in ("string", "template_string"):
            return None
        if any(c.type == "template_substitution" for c in node.named_children):
            return None
        written = self.text(node)
        return written[1:-1] if len(written) >= 2 else None

    def literal_at(self, node: Node | None) -> Node | None:
        """The string literal that ``node`` (found by a byte offset) is part of, if any."""
        for _ in range(3):
            if node is None or node.type in ("comment", "jsx_text"):
                return None
            if node.type in ("string", "template_string"):
                return node
            if node.type not in ("string_fragment", "escape_sequence"):
                return None
            node = node.parent
        return None


def callee(js: Js, call: Node | None) -> list[str]:
    """``ai.models.generateContent(…)`` -> ["ai", "models", "generateContent"]; [] when unnamed."""
    if call is None:
        return []
    node = call.child_by_field_name("constructor" if call.type == "new_expression" else "function")
    parts: list[str] = []
    while node is not None:
        if node.type == "member_expression":
            parts.append(js.text(node.child_by_field_name("property")))
            node = node.child_by_field_name("object")
        elif node.type in ("non_null_expression", "parenthesized_expression", "await_expression"):
            node = node.named_children[0] if node.named_children else None
        elif node.type in ("identifier", "this", "type_identifier"):
            parts.append(js.text(node))
            break
        else:
            parts.append("…")
            break
    return parts[::-1]


def is_fallback(parent: Node, node: Node) -> bool:
    """``… || node`` / ``… ?? node``: a default."""
    return parent.type == "binary_expression" and parent.child_by_field_name("right") == node and \
        parent.child_by_field_name("operator") is not None and \
        parent.child_by_field_name("operator").type in ("||", "??")  # type: ignore[union-attr]


def env_name(js: Js, node: Node | None) -> str:
    """``process.env.X`` / ``process.env["X"]`` / ``import.meta.env.X`` / ``Deno.env.get("X")`` -> X."""
    if node is None:
        return ""
    owner = node.child_by_field_name("object")
    if node.type == "member_expression" and owner is not None and js.text(owner).endswith("env"):
        return js.text(node.child_by_field_name("property"))
    if node.type == "subscript_expression" and owner is not None and js.text(owner).endswith("env"):
        return js.content(node.child_by_field_name("index")) or ""
    if node.type == "call_expression" and callee(js, node)[-2:] == ["env", "get"]:
        arguments = node.child_by_field_name("arguments")
        first = arguments.named_children[0] if arguments and arguments.named_children else None
        return js.content(first) or ""
    return ""


def key_name(js: Js, pair: Node) -> str:
    key = pair.child_by_field_name("key")
    if key is None:
        return ""
    if key.type == "property_identifier":
        return js.text(key)
    return js.content(key) or ""


def properties(js: Js, obj: Node | None) -> dict[str, Node] | None:
    """The properties of an object literal (shorthand ``{apiKey}`` maps to its identifier);
    None when ``obj`` is not an object literal or spreads another object."""
    if obj is None or obj.type != "object":
        return None
    found: dict[str, Node] = {}
    for child in obj.named_children:
        if child.type == "pair":
            value = child.child_by_field_name("value")
            if value is not None:
                found[key_name(js, child)] = value
        elif child.type == "shorthand_property_identifier":
            found[js.text(child)] = child
        elif child.type == "spread_element":
            return None
    return found


def package_of(specifier: str, url_only: bool = False) -> str:
    """The npm package an import specifier or CDN URL names: "@google/genai", "" for a
    relative path, a file or a URL of another host."""
    specifier = specifier.strip()
    url = _URL.match(specifier)
    if url is not None:
        if url.group(1).lower() not in CDN_HOSTS:
            return ""
        specifier = _CDN_PREFIX.sub("", url.group(2))
    elif url_only or specifier.startswith((".", "/", "#")) or ":" in specifier.removeprefix("npm:"):
        return ""
    found = _PACKAGE.match(specifier.removeprefix("npm:"))
    return found.group(1) if found else ""
