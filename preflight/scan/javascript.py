"""Facts from JavaScript and TypeScript, parsed by tree-sitter (never run).

``.js .mjs .cjs .jsx`` are read with the JavaScript grammar (JSX included),
``.ts .mts .cts`` with TypeScript, ``.tsx`` with TSX; ``<script>`` blocks of
``.html``, ``.vue`` and ``.svelte`` files with the grammar their ``lang`` names,
positions mapped back to the file. Comments, strings and JSX text are never
code: a fact comes only from the node that carries it (an import's source, a
call's argument).

Model-ID literals are found from their bytes (the prefilter's needles) and
classified by where the tree puts them, as the Python scanner does: a
``model`` property of the object given to an SDK call is a use ("call"); a
constant, a ``process.env.X || "…"`` fallback, a default or a config object is
configuration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from preflight.scan.facts import Import, ModelRef, SourceFile, Usage
from preflight.scan.jsnodes import Js, callee, env_name, is_fallback, key_name, package_of
from preflight.scan.models import DEFAULT_CALLS, MODEL_CALLS, MODEL_KEYWORDS, looks_like_model_id
from preflight.scan.models import NEEDLES as MODEL_NEEDLES

if TYPE_CHECKING:
    from tree_sitter import Node

GRAMMARS = {".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".tsx": "tsx"}
# (line, column) in the parsed text -> (line, column) in the file
Place = Callable[[int, int], tuple[int, int]]

STATEMENTS = frozenset({"import_statement", "export_statement"})
# <x>.<method>({model: …}) and <x>.<service>.<method>({model: …}): the model is used there.
OBJECT_METHODS = frozenset({
    "generateContent", "generateContentStream", "getGenerativeModel", "embedContent",
    "batchEmbedContents", "countTokens", "computeTokens", "generateImages", "editImage",
    "upscaleImage", "generateVideos", "getGenerativeModelFromCachedContent",
})
SERVICE_METHODS = frozenset({("chats", "create"), ("caches", "create"), ("live", "connect"),
                             ("batches", "create"), ("batches", "createEmbeddings"),
                             ("tunings", "tune")})
# new X({model: …}): LangChain.js, LlamaIndex.TS.
CONSTRUCTORS = MODEL_CALLS | {"GoogleGenerativeAIEmbeddings", "VertexAIEmbeddings", "ChatGoogle"}
# f("gemini-…"): the Vercel AI SDK's providers, Genkit's googleAI.model(…)
POSITIONAL = MODEL_CALLS | {"google", "vertex", "model"}
MODEL_KEYS = MODEL_KEYWORDS | {"baseModel"}
WRAPPERS = frozenset({"parenthesized_expression", "as_expression", "satisfies_expression",
                      "non_null_expression", "ternary_expression"})


def grammar_of(suffix: str) -> str:
    return GRAMMARS.get(suffix, "javascript")


def scan_js(text: str, out: SourceFile, grammar: str, place: Place | None = None) -> None:
    """Add the facts of one JavaScript/TypeScript text to ``out``."""
    from preflight.scan import jscalls

    js = Js(text, grammar, place)
    out.imports.extend(_imports(js))
    out.models.extend(_models(js))
    if b"GoogleGenAI" in js.source.data or b"getGenerativeModel" in js.source.data:
        jscalls.extract(js, any(i.module == "@google/genai" for i in out.imports), out,
                        any(i.module in jscalls.LEGACY_SDKS for i in out.imports))


def scan_html(text: str, out: SourceFile) -> None:
    """The ``<script>`` blocks of an HTML (Vue, Svelte) file, and the packages it loads by URL."""
    from preflight.scan.html import import_map, scripts

    for block in scripts(text):
        urls = [(block.src, block.line, block.column + 1)] if block.src else \
            list(import_map(block)) if block.grammar == "importmap" else []
        for url, line, column in urls:
            module = package_of(url, url_only=True)
            if module:
                out.imports.append(Import(module, line, column, None, (), "javascript"))
        if block.grammar and block.grammar != "importmap":
            scan_js(block.text, out, block.grammar, block.place)


def _imports(js: Js) -> Iterator[Import]:
    """Import and export statements (always at the top level), then ``require(…)`` and
    ``import(…)`` calls, found from their bytes (a query over a whole bundle costs more)."""
    found: list[tuple[Node, Node]] = []  # (where, source string)
    for statement in js.tree.root_node.named_children:
        if statement.type in STATEMENTS:
            source = statement.child_by_field_name("source")
            if source is None and statement.named_children:  # import x = require("…")
                clause = statement.named_children[0]
                source = clause.child_by_field_name("source") if \
                    clause.type == "import_require_clause" else None
            if source is not None:
                found.append((statement, source))
    for word in (b"require", b"import"):
        for node in js.nodes(word):
            if node.parent is not None and node.parent.type == node.type:  # the keyword inside (import)
                node = node.parent
            call = node.parent
            if node.type not in ("identifier", "import") or call is None or \
                    call.type != "call_expression" or call.children[0] != node:
                continue
            arguments = call.child_by_field_name("arguments")
            first = arguments.named_children[0] if arguments and arguments.named_children else None
            if first is not None and (node.type == "import" or js.text(node) == "require"):
                found.append((call, first))
    for where, source in found:
        module = package_of(js.content(source) or "")
        if module:
            line, column = js.where(where)
            yield Import(module, line, column, None, (), "javascript")


def _models(js: Js) -> Iterator[ModelRef]:
    seen = set()
    for needle in MODEL_NEEDLES:
        for node in js.nodes(needle):
            literal = js.literal_at(node)
            if literal is None or literal.start_byte in seen:
                continue
            seen.add(literal.start_byte)
            value = js.content(literal)
            if value is None or not looks_like_model_id(value):
                continue
            usage = _usage(js, literal)
            if usage is not None:
                line, column = js.where(literal)
                yield ModelRef(value, line, column, None, usage[0], usage[1], usage[2])


def _usage(js: Js, literal: Node) -> tuple[Usage, str, str] | None:
    """How a model-ID literal is used: ("call" | "config", how it is written, env variable)."""
    node, parent = literal, literal.parent
    while parent is not None and parent.type in WRAPPERS and node != parent.child_by_field_name(
            "condition"):
        node, parent = parent, parent.parent
    if parent is None:
        return None
    kind = parent.type
    if is_fallback(parent, node):
        left = parent.child_by_field_name("left")
        written = js.short(left) if left is not None else "…"
        return "config", f"{written} {js.text(parent.child_by_field_name('operator'))} …", env_name(
            js, left)
    if kind == "pair" and parent.child_by_field_name("value") == node:
        return _property(js, parent)
    if kind == "arguments":
        return _argument(js, parent, node)
    if kind in ("variable_declarator", "assignment_expression", "assignment_pattern",
                "augmented_assignment_expression", "public_field_definition", "field_definition",
                "required_parameter", "optional_parameter", "enum_assignment"):
        target = next((parent.child_by_field_name(f) for f in ("name", "left", "pattern", "property")
                       if parent.child_by_field_name(f) is not None), None)
        return "config", f"{js.short(target) if target is not None else '…'} = …", ""
    return None


def _property(js: Js, pair: Node) -> tuple[Usage, str, str] | None:
    key = key_name(js, pair)
    obj = pair.parent
    owner = obj.parent if obj is not None else None
    if key in MODEL_KEYS and owner is not None and owner.type == "arguments" and owner.parent:
        name = _sdk_call(js, owner.parent)
        if name:
            return "call", f"{name}({{{key}: …}})", ""
    if key and "model" in key.lower():
        return "config", f"{key}: …", ""
    return None


def _sdk_call(js: Js, call: Node) -> str:
    """The SDK call (as messages show it) taking a ``{model: …}`` object, else ""."""
    parts = callee(js, call)
    if not parts:
        return ""
    if call.type == "new_expression":
        return f"new {parts[-1]}" if parts[-1] in CONSTRUCTORS else ""
    if parts[-1] in OBJECT_METHODS or tuple(parts[-2:]) in SERVICE_METHODS:
        return ".".join(parts[-2:]) if len(parts) > 1 else parts[-1]
    return ""


def _argument(js: Js, arguments: Node, node: Node) -> tuple[Usage, str, str] | None:
    call = arguments.parent
    parts = callee(js, call) if call is not None else []
    if not parts:
        return None
    name = parts[-1]
    first = arguments.named_children[0] if arguments.named_children else None
    if name in DEFAULT_CALLS or name == "default":
        if first is not None and first != node:
            return "config", f"{name}(…, default)", js.content(first) or ""
        return None
    if first == node and name in POSITIONAL and call is not None and call.type == "call_expression":
        return "call", f"{name}(…)", ""
    return None
