"""Facts from Java and Kotlin source, parsed by tree-sitter (never compiled or run).

Java (``.java``): every ``import`` declaration (single-type, ``.*`` and
``import static``) is an :class:`Import` of language ``java``; Kotlin (``.kt``,
and ``.kts`` scripts other than Gradle's): every ``import`` header, language
``kotlin``. Comments (Javadoc included) and string literals are never code: a
fact comes only from the node that carries it.

Model-ID literals in Java are found from their bytes (the prefilter's needles)
and classified by where the tree puts them, as in Python, JavaScript and Go:
the model argument of an SDK call is a use ("call"): google-genai's
``client.models.generateContent("…", …)`` and its siblings (also through
``client.async.models``), ``client.chats.create("…")``, ``client.caches.create``,
``client.live.connect``, ``client.batches.create``, ``client.tunings.tune``; the
legacy ``new GenerativeModel("…", vertexAI)`` and builders' ``setModelName("…")``
/ ``modelName("…")``. A field or variable initializer, an assignment, or the
fallback of ``System.getenv().getOrDefault("X", "…")``, ``getProperty("k", "…")``
and ``Optional….orElse("…")`` is configuration. A literal anywhere else (a log
line, an array of choices) is not a fact.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import preflight.scan.treesitter as treesitter
from preflight.findings import scrub
from preflight.scan.facts import Import, ModelRef, SourceFile, Usage
from preflight.scan.models import DEFAULT_CALLS, MODEL_CALLS, looks_like_model_id
from preflight.scan.models import NEEDLES as MODEL_NEEDLES

if TYPE_CHECKING:
    from tree_sitter import Node

# A Java or Kotlin file is parsed only when it holds one of these: the legacy package (its
# imports) or a model-ID needle. com.google.genai alone has nothing to report.
NEEDLES = (b"vertexai", *MODEL_NEEDLES)
# client.models.<method>(model, …) of google-genai for Java
MODEL_METHODS = frozenset({"generateContent", "generateContentStream", "embedContent", "countTokens",
                           "computeTokens", "generateImages", "editImage", "upscaleImage",
                           "generateVideos"})
SERVICES = frozenset({("chats", "create"), ("caches", "create"), ("live", "connect"),
                      ("batches", "create"), ("tunings", "tune")})
BUILDERS = frozenset({"setModelName", "modelName"})  # GenerativeModel.Builder, LangChain4j builders
DEFAULTS = frozenset({"getOrDefault", "getProperty", "orElse", "orElseGet", *DEFAULT_CALLS})
WRAPPERS = frozenset({"parenthesized_expression", "ternary_expression", "cast_expression"})
DECLARATORS = frozenset({"variable_declarator", "assignment_expression"})


def scan_java(text: str, out: SourceFile) -> None:
    """Add the facts of one Java file to ``out``."""
    java = Tree(text, "java")
    out.imports.extend(_imports(java))
    out.models.extend(_models(java))


def scan_kotlin(text: str, out: SourceFile) -> None:
    """Add the imports of one Kotlin file to ``out``."""
    kotlin = Tree(text, "kotlin")
    for header in kotlin.tree.root_node.named_children:
        name = next((c for c in header.named_children if c.type == "qualified_identifier"), None)
        if header.type == "import" and name is not None:
            line, column = kotlin.source.where(header)
            wildcard = header.children[-1].type == "*"
            out.imports.append(Import("".join(kotlin.text(name).split()), line, column, None,
                                      ("*",) if wildcard else (), "kotlin"))


class Tree:
    """One parsed Java or Kotlin text."""

    def __init__(self, text: str, grammar: str) -> None:
        self.source = treesitter.Source(text)
        self.tree = treesitter.parse(grammar, self.source.data)

    def text(self, node: Node | None) -> str:
        return "" if node is None else self.source.text(node)

    def short(self, node: Node) -> str:
        """The code of ``node`` for a message: one line, scrubbed of secrets, at most 60 characters."""
        written = scrub(" ".join(self.text(node).split()))
        return written if len(written) <= 60 else written[:57] + "..."

    def nodes(self, needle: bytes) -> Iterator[Node]:
        """The smallest node around each occurrence of ``needle`` in the text."""
        data, root = self.source.data, self.tree.root_node
        start = data.find(needle)
        while start >= 0:
            node = root.descendant_for_byte_range(start, start + len(needle))
            if node is not None:
                yield node
            start = data.find(needle, start + len(needle))

    def content(self, node: Node | None) -> str | None:
        """The value of a one-line string literal without escapes, else None (text blocks too)."""
        if node is None or node.type != "string_literal":
            return None
        written = self.text(node)
        if written.startswith('"""') or len(written) < 2 or "\\" in written:
            return None
        return written[1:-1]


def _imports(java: Tree) -> Iterator[Import]:
    """Import declarations: only at the top level of a file, so one pass over its children."""
    for declaration in java.tree.root_node.named_children:
        if declaration.type != "import_declaration":
            continue
        name = next((c for c in declaration.named_children
                     if c.type in ("scoped_identifier", "identifier")), None)
        if name is not None:
            wildcard = any(c.type == "asterisk" for c in declaration.named_children)
            line, column = java.source.where(declaration)
            yield Import(java.text(name), line, column, None, ("*",) if wildcard else (), "java")


def _models(java: Tree) -> Iterator[ModelRef]:
    seen = set()
    for needle in MODEL_NEEDLES:
        for node in java.nodes(needle):
            literal = node.parent if node.type == "string_fragment" else node
            if literal is None or literal.type != "string_literal" or literal.start_byte in seen:
                continue
            seen.add(literal.start_byte)
            value = java.content(literal)
            usage = _usage(java, literal) if value and looks_like_model_id(value) else None
            if value and usage is not None:
                line, column = java.source.where(literal)
                yield ModelRef(value, line, column, None, *usage)


def _usage(java: Tree, literal: Node) -> tuple[Usage, str, str] | None:
    """How a model-ID literal is used: ("call" | "config", how it is written, env variable)."""
    node, parent = literal, literal.parent
    while parent is not None and parent.type in WRAPPERS and \
            node != parent.child_by_field_name("condition"):
        node, parent = parent, parent.parent
    if parent is None:
        return None
    if parent.type == "argument_list":
        return _argument(java, parent, node)
    if parent.type in DECLARATORS and node in (parent.child_by_field_name("value"),
                                               parent.child_by_field_name("right")):
        target = parent.child_by_field_name("name") or parent.child_by_field_name("left")
        return "config", f"{java.short(target) if target is not None else '…'} = …", ""
    return None


def _argument(java: Tree, arguments: Node, node: Node) -> tuple[Usage, str, str] | None:
    call = arguments.parent
    values = [c for c in arguments.named_children if c.type not in ("line_comment", "block_comment")]
    index = values.index(node) if node in values else -1
    if call is None or index < 0:
        return None
    if call.type == "object_creation_expression":
        kind = java.text(call.child_by_field_name("type")).split("<")[0].rsplit(".", 1)[-1]
        return ("call", f"new {kind}(…)", "") if kind in MODEL_CALLS and index == 0 else None
    if call.type != "method_invocation":
        return None
    parts = _callee(java, call)
    name = parts[-1]
    if index == 0 and name in BUILDERS:
        return "call", f"{name}(…)", ""
    if index == 0 and ((name in MODEL_METHODS and parts[-2:-1] == ["models"])
                       or tuple(parts[-2:]) in SERVICES):
        return "call", f"{'.'.join(parts[-2:])}(…)", ""
    if (index > 0 and name in DEFAULTS) or (index == 0 and name == "orElse"):
        first = java.content(values[0])
        env = (first or "") if name == "getOrDefault" and "getenv" in parts else _env(java, call)
        return "config", f"{name}(…, default)", env
    return None


def _callee(java: Tree, call: Node) -> list[str]:
    """``client.async.models.generateContent(…)`` -> ["client", "async", "models", "generateContent"];
    a call in the chain stands for its method name (``System.getenv().getOrDefault``)."""
    parts = [java.text(call.child_by_field_name("name"))]
    node = call.child_by_field_name("object")
    while node is not None:
        if node.type == "field_access":
            parts.append(java.text(node.child_by_field_name("field")))
            node = node.child_by_field_name("object")
        elif node.type == "method_invocation":
            parts.append(java.text(node.child_by_field_name("name")))
            node = node.child_by_field_name("object")
        else:
            parts.append(java.text(node) if node.type in ("identifier", "this") else "…")
            break
    return parts[::-1]


def _env(java: Tree, call: Node) -> str:
    """The variable of a ``System.getenv("X")`` inside the chain of ``call`` (``….orElse``)."""
    node = call.child_by_field_name("object")
    while node is not None and node.type == "method_invocation":
        if java.text(node.child_by_field_name("name")) == "getenv":
            arguments = node.child_by_field_name("arguments")
            first = arguments.named_children[0] if arguments is not None and \
                arguments.named_children else None
            return java.content(first) or ""
        arguments = node.child_by_field_name("arguments")
        inner = arguments.named_children[0] if arguments is not None and \
            arguments.named_children else None
        node = inner if inner is not None and inner.type == "method_invocation" and \
            java.text(node.child_by_field_name("name")) in ("ofNullable", "of") else \
            node.child_by_field_name("object")
    return ""
