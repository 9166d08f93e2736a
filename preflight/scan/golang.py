"""Facts from Go: ``go.mod`` requirements, and Go source parsed by tree-sitter (never built or run).

``go.mod``: every module path of a ``require`` directive (one line or a
``require ( … )`` block; ``// indirect`` ones too) is a :class:`Dependency`
(ecosystem ``go``); ``replace``, ``exclude``, ``retract`` and the ``module``
line declare nothing. ``go.sum`` is not read: it records checksums of what was
resolved, not what the module requires.

``.go`` files: the path of each import spec (``import "…"``, grouped and
aliased imports) is an :class:`Import` (language ``go``). Comments and string
literals are never code: a fact comes only from the node that carries it.

Model-ID literals are found from their bytes (the prefilter's needles) and
classified by where the tree puts them, as in Python and JavaScript: the model
argument of an SDK call (``client.GenerativeModel("…")``,
``client.Models.GenerateContent(ctx, "…", …)``, ``client.Chats.Create(ctx, "…", …)``
and their siblings) is a use ("call"); a ``const``/``var`` declaration, an
assignment, a ``Model: "…"`` field, a ``cmp.Or(os.Getenv("X"), "…")`` fallback,
a ``flag.String`` default or the default of an ``getEnv("X", "…")``-like helper
is configuration. A literal anywhere else (a log line, a slice) is not a fact.

``&genai.ClientConfig{Backend: genai.BackendVertexAI, APIKey: …}`` becomes a
:class:`ClientCall` (language ``go``) for GP204's express mode. Its ``sdk`` stays
empty: the checklist rules read the clients of the SDKs whose defaults the
catalog records (timeouts, retries), and it records none for Go yet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import preflight.scan.treesitter as treesitter
from preflight.scan.facts import ClientCall, Dependency, Import, ModelRef, SourceFile, Usage
from preflight.scan.models import DEFAULT_CALLS, looks_like_model_id
from preflight.scan.models import NEEDLES as MODEL_NEEDLES

if TYPE_CHECKING:
    from tree_sitter import Node

GRAMMAR = "go"
STRINGS = frozenset({"interpreted_string_literal", "raw_string_literal"})
# Methods whose argument at this index is a model ID: google.golang.org/genai takes it after
# the context (client.Models.GenerateContent(ctx, model, …)); the legacy SDKs first.
METHODS = {"GenerativeModel": 0, "EmbeddingModel": 0, "GenerateContent": 1,
           "GenerateContentStream": 1, "EmbedContent": 1, "CountTokens": 1, "ComputeTokens": 1,
           "GenerateImages": 1, "EditImage": 1, "UpscaleImage": 1, "GenerateVideos": 1}
SERVICES = {("Chats", "Create"), ("Live", "Connect"), ("Caches", "Create"), ("Batches", "Create"),
            ("Tunings", "Tune")}  # client.<Service>.<Method>(ctx, model, …)
DECLARATIONS = frozenset({"const_spec", "var_spec", "short_var_declaration", "assignment_statement"})
_DEFAULTS = frozenset(name.lower() for name in DEFAULT_CALLS)
# One go.mod token: a quoted string, a comment (the rest of the line) or a word.
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|`[^`\n]*`|//.*|[^\s"`]+')


def go_mod(text: str) -> Iterator[Dependency]:
    """The ``require`` directives of a ``go.mod`` file."""
    block = ""  # the directive of the open ``( … )`` block
    for number, line in enumerate(text.split("\n"), 1):
        tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(line)]
        tokens = [t for t in tokens if not t[0].startswith("//")]
        if not tokens:
            continue
        words = [t for t, _ in tokens]
        if block:
            if words[0] == ")":
                block = ""
            elif block == "require":
                yield from _required(tokens, number)
            continue
        if len(words) >= 2 and words[1] == "(":
            block = words[0] if words[2:3] != [")"] else ""
        elif words[0] == "require":
            yield from _required(tokens[1:], number)


def _required(tokens: list[tuple[str, int]], number: int) -> Iterator[Dependency]:
    """``path version``: the module path unquoted, the version as written."""
    if len(tokens) < 2:
        return
    (path, column), (version, _) = tokens[0], tokens[1]
    if path[:1] in ('"', "`"):
        path = path[1:-1]
    if path:
        yield Dependency(path, version.strip('"`'), number, column + 1, origin="go.mod",
                         ecosystem="go")


def scan_go(text: str, out: SourceFile) -> None:
    """Add the facts of one Go file to ``out``."""
    go = Go(text)
    out.imports.extend(_imports(go))
    out.models.extend(_models(go))
    out.clients.extend(_clients(go))


class Go(treesitter.Parsed):
    """One parsed Go text."""

    def __init__(self, text: str) -> None:
        super().__init__(text, GRAMMAR)

    def content(self, node: Node | None) -> str | None:
        """The value of a string literal without escapes (``"…"`` or a raw ```…```), else None."""
        if node is None or node.type not in STRINGS:
            return None
        written = self.text(node)
        if len(written) < 2 or (node.type == "interpreted_string_literal" and "\\" in written):
            return None
        return written[1:-1]


def _imports(go: Go) -> Iterator[Import]:
    """Import specs: only at the top level of a file, so one pass over its children."""
    for declaration in go.tree.root_node.named_children:
        if declaration.type != "import_declaration":
            continue
        for spec in _specs(declaration):
            path = go.content(spec.child_by_field_name("path"))
            if path:
                line, column = go.source.where(spec)
                yield Import(path, line, column, None, (), "go")


def _specs(declaration: Node) -> Iterator[Node]:
    for child in declaration.named_children:
        if child.type == "import_spec":
            yield child
        elif child.type == "import_spec_list":
            yield from (c for c in child.named_children if c.type == "import_spec")


def _models(go: Go) -> Iterator[ModelRef]:
    seen = set()
    for needle in MODEL_NEEDLES:
        for node in go.nodes(needle):
            literal = node.parent if node.type.endswith("_content") else node
            if literal is None or literal.type not in STRINGS or literal.start_byte in seen:
                continue
            seen.add(literal.start_byte)
            value = go.content(literal)
            usage = _usage(go, literal) if value and looks_like_model_id(value) else None
            if value and usage is not None:
                line, column = go.source.where(literal)
                yield ModelRef(value, line, column, None, *usage)


def _usage(go: Go, literal: Node) -> tuple[Usage, str, str] | None:
    """How a model-ID literal is used: ("call" | "config", how it is written, env variable)."""
    node, parent = literal, literal.parent
    while parent is not None and parent.type == "parenthesized_expression":
        node, parent = parent, parent.parent
    if parent is None:
        return None
    if parent.type == "argument_list":
        return _argument(go, parent, node)
    if parent.type == "expression_list" and parent.parent is not None and \
            parent.parent.type in DECLARATIONS:
        declaration, values = parent.parent, parent.named_children
        targets = [n for n in declaration.children_by_field_name("name") if n.is_named] or [
            c for t in declaration.children_by_field_name("left") for c in t.named_children]
        index = values.index(node) if node in values else 0
        target = targets[index] if len(targets) == len(values) else targets[0] if targets else None
        return "config", f"{go.short(target) if target is not None else '…'} = …", ""
    element = parent.parent if parent.type == "literal_element" else None
    if element is not None and element.type == "keyed_element" and element.named_children[-1] == parent:
        key = go.text(element.named_children[0])
        return ("config", f"{key}: …", "") if "model" in key.lower() else None
    return None


def _argument(go: Go, arguments: Node, node: Node) -> tuple[Usage, str, str] | None:
    call = arguments.parent
    parts = _callee(go, call)
    if call is None or not parts:
        return None
    values = [c for c in arguments.named_children if c.type != "comment"]
    index = values.index(node)
    name = parts[-1]
    if tuple(parts[-2:]) in SERVICES and index == 1:
        return "call", f"{'.'.join(parts[-2:])}(ctx, …)", ""
    if METHODS.get(name) == index and len(parts) > 1:
        return "call", f"{name}({'ctx, ' if index else ''}…)", ""
    lowered = name.lower()
    if index > 0 and (parts == ["cmp", "Or"] or lowered in _DEFAULTS or "env" in lowered
                      or "default" in lowered):
        env = next((e for e in (_env(go, v) for v in values[:index]) if e), "")
        return "config", f"{'.'.join(parts[-2:])}(…, default)", env
    if index == 1 and parts[0] in ("flag", "pflag") and name.startswith("String"):
        return "config", f"{'.'.join(parts)}(…, default)", ""
    return None


def _callee(go: Go, call: Node | None) -> list[str]:
    """``client.Models.GenerateContent(…)`` -> ["client", "Models", "GenerateContent"]."""
    node = call.child_by_field_name("function") if call is not None else None
    parts: list[str] = []
    while node is not None and node.type == "selector_expression":
        parts.append(go.text(node.child_by_field_name("field")))
        node = node.child_by_field_name("operand")
    if node is not None:
        parts.append(go.text(node) if node.type == "identifier" else "…")
    return parts[::-1]


def _env(go: Go, node: Node) -> str:
    """``os.Getenv("X")`` / ``os.LookupEnv("X")`` -> X; a helper's first literal argument too."""
    if node.type in STRINGS:
        return go.content(node) or ""
    if node.type != "call_expression" or _callee(go, node)[-1:] not in (["Getenv"], ["LookupEnv"]):
        return ""
    arguments = node.child_by_field_name("arguments")
    first = arguments.named_children[0] if arguments is not None and arguments.named_children else None
    return go.content(first) or "" if first is not None else ""


def _clients(go: Go) -> Iterator[ClientCall]:
    """``ClientConfig`` literals that pick the Vertex AI backend, found from its name's bytes."""
    for node in go.nodes(b"BackendVertexAI"):
        selector = node.parent if node.type == "field_identifier" else None
        element = selector.parent if selector is not None else None
        keyed = element.parent if element is not None and element.type == "literal_element" else None
        body = keyed.parent if keyed is not None and keyed.type == "keyed_element" else None
        if body is None or keyed is None or go.text(keyed.named_children[0]) != "Backend":
            continue
        fields = {go.text(e.named_children[0]): e.named_children[-1].named_children[0]
                  for e in body.named_children if e.type == "keyed_element" and len(e.named_children) == 2
                  and e.named_children[-1].named_children}
        key = fields.get("APIKey")
        described = ""
        if key is not None and go.content(key) != "" and go.text(key) != '""':
            described = "a string literal" if key.type in STRINGS else go.short(key)
        where = _constructor(body)
        line, column = go.source.where(where)
        location = fields.get("Location")
        yield ClientCall("vertexai", described, line, column, None,
                         go.content(fields.get("Project")) or "", go.content(location) or "",
                         location_set=location is not None, language="go")


def _constructor(body: Node) -> Node:
    """The ``genai.NewClient(…)`` call a config literal is given to, else the literal itself."""
    literal = body.parent if body.parent is not None else body
    node = literal.parent if literal.parent is not None and literal.parent.type == "unary_expression" \
        else literal
    if node.parent is not None and node.parent.type == "argument_list" and node.parent.parent is not None:
        return node.parent.parent
    return literal
