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

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import preflight.scan.treesitter as treesitter
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
    """Add the imports and model-ID literals of one Kotlin file to ``out``."""
    kotlin = Tree(text, "kotlin")
    out.models.extend(_models(kotlin, _kotlin_usage))
    for header in kotlin.tree.root_node.named_children:
        name = next((c for c in header.named_children if c.type == "qualified_identifier"), None)
        if header.type == "import" and name is not None:
            line, column = kotlin.source.where(header)
            wildcard = header.children[-1].type == "*"
            out.imports.append(Import("".join(kotlin.text(name).split()), line, column, None,
                                      ("*",) if wildcard else (), "kotlin"))


class Tree(treesitter.Parsed):
    """One parsed Java or Kotlin text."""

    def content(self, node: Node | None) -> str | None:
        """The value of a one-line string literal without escapes, else None (text blocks too)."""
        if node is None or node.type != "string_literal":
            return None
        written = self.text(node)
        if written.startswith('"""') or len(written) < 2 or "\\" in written or "$" in written:
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


def _models(java: Tree, classify: Classify | None = None) -> Iterator[ModelRef]:
    seen = set()
    for needle in MODEL_NEEDLES:
        for node in java.nodes(needle):
            literal = node.parent if node.type in ("string_fragment", "string_content") else node
            if literal is None or literal.type != "string_literal" or literal.start_byte in seen:
                continue
            seen.add(literal.start_byte)
            value = java.content(literal)
            usage = (classify or _usage)(java, literal) if value and looks_like_model_id(value) else None
            if value and usage is not None:
                line, column = java.source.where(literal)
                yield ModelRef(value, line, column, None, *usage)


Classify = Callable[["Tree", "Node"], "tuple[Usage, str, str] | None"]


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


# Kotlin: the Google AI client SDK for Android's GenerativeModel(modelName = …) and Firebase AI
# Logic's generativeModel("…") take the model first or by name.
KOTLIN_CALLS = MODEL_CALLS | {"generativeModel", "liveModel", "imagenModel"}


def _kotlin_usage(kotlin: Tree, literal: Node) -> tuple[Usage, str, str] | None:
    """As :func:`_usage`, for Kotlin: arguments by position or name, ``?:`` fallbacks, ``val``s."""
    parent = literal.parent
    if parent is None:
        return None
    if parent.type == "binary_expression" and parent.child_by_field_name("right") == literal and \
            kotlin.text(parent.child_by_field_name("operator")) == "?:":
        left = parent.child_by_field_name("left")
        env = _kotlin_env(kotlin, left) if left is not None else ""
        return "config", f"{kotlin.short(left) if left is not None else '…'} ?: …", env
    if parent.type in ("property_declaration", "assignment"):
        target = next((c for c in parent.named_children if c.type in (
            "variable_declaration", "directly_assignable_expression")), None)
        return "config", f"{kotlin.short(target) if target is not None else '…'} = …", ""
    call = parent.parent.parent if parent.type == "value_argument" and parent.parent else None
    if call is None or call.type != "call_expression":
        return None
    parts = _kotlin_callee(kotlin, call)
    named = parent.named_children[0] if parent.named_children[0] != literal else None
    index = [c for c in parent.parent.named_children if c.type == "value_argument"].index(parent)  # type: ignore[union-attr]
    name = parts[-1] if parts else ""
    if named is not None:
        key = kotlin.text(named)
        return ("call", f"{name}({key} = …)", "") if key in ("modelName", "model") and \
            name in KOTLIN_CALLS else None
    if index == 0 and (name in KOTLIN_CALLS or name in BUILDERS or tuple(parts[-2:]) in SERVICES
                       or (name in MODEL_METHODS and parts[-2:-1] == ["models"])):
        return "call", f"{'.'.join(parts[-2:]) if len(parts) > 1 else name}(…)", ""
    return None


def _kotlin_callee(kotlin: Tree, call: Node) -> list[str]:
    """``client.models.generateContent(…)`` -> ["client", "models", "generateContent"]."""
    parts: list[str] = []
    node: Node | None = call.named_children[0] if call.named_children else None
    while node is not None:
        if node.type == "navigation_expression" and len(node.named_children) == 2:
            parts.append(kotlin.text(node.named_children[1]))
            node = node.named_children[0]
        elif node.type == "call_expression":
            node = node.named_children[0] if node.named_children else None
        else:
            parts.append(kotlin.text(node) if node.type == "identifier" else "…")
            break
    return parts[::-1]


def _kotlin_env(kotlin: Tree, node: Node) -> str:
    """``System.getenv("X")`` -> X."""
    if node.type != "call_expression" or _kotlin_callee(kotlin, node)[-1:] != ["getenv"]:
        return ""
    arguments = node.named_children[-1]
    first = arguments.named_children[0] if arguments.named_children else None
    return kotlin.content(first.named_children[0]) or "" if first is not None and \
        first.named_children else ""
