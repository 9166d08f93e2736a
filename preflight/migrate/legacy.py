"""Which names in a module are the legacy SDKs, and what the module does with them.

:class:`Names` resolves an expression (``genai.GenerativeModel``,
``GenerativeModel`` imported from ``vertexai.generative_models``,
``palm.types.HarmCategory``) to its legacy name (``GenerativeModel``,
``types.HarmCategory``). :class:`Collector` walks a module once, before
anything is rewritten, and records the legacy imports, every reference to the
legacy SDKs, the variables and attributes that hold a model or a chat, and
the names that hold an embedding result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import PositionProvider

GENAI_MODULES = ("google.generativeai",)
VERTEX_MODULES = ("vertexai.generative_models", "vertexai.preview.generative_models")
MODEL_METHODS = ("generate_content", "generate_content_async", "count_tokens", "count_tokens_async",
                 "start_chat")


def dotted(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a chain of names, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        left = dotted(node.value)
        return f"{left}.{node.attr.value}" if left else None
    return None


def code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


@dataclass
class Names:
    """Local names bound to the legacy SDKs by the module's imports."""

    modules: dict[str, str] = field(default_factory=dict)  # local alias -> "" or "types"
    objects: dict[str, str] = field(default_factory=dict)  # local name -> legacy name
    vertex: bool = False  # the module uses the Vertex AI SDK
    vertexai_alias: str = ""  # ``import vertexai`` (for vertexai.init)

    def resolve(self, node: cst.BaseExpression) -> str | None:
        """The legacy name ``node`` refers to, or None."""
        name = dotted(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        if head in self.objects:
            return self.objects[head] + ("." + rest if rest else "")
        for alias, inner in self.modules.items():
            if name == alias:
                return inner or "<module>"
            if name.startswith(alias + "."):
                tail = name[len(alias) + 1:]
                return f"{inner}.{tail}" if inner else tail
        if self.vertexai_alias and name == f"{self.vertexai_alias}.init":
            return "init"
        return None

    def empty(self) -> bool:
        return not (self.modules or self.objects or self.vertexai_alias)


def legacy_module(module: str) -> str | None:
    """``""`` for a legacy SDK module, ``"types"`` for its types module, else None."""
    for base in GENAI_MODULES + VERTEX_MODULES:
        if module == base:
            return ""
        if module == base + ".types":
            return "types"
    return None


def read_imports(module: cst.Module) -> Names:
    names = Names()
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                _read_import(small, names)
    return names


def _read_import(small: cst.BaseSmallStatement, names: Names) -> None:
    if isinstance(small, cst.Import):
        for alias in small.names:
            full = dotted(alias.name) or ""
            local = alias.asname.name.value if alias.asname and isinstance(
                alias.asname.name, cst.Name) else None
            inner = legacy_module(full)
            if inner is not None:
                names.modules[local or full] = inner
                names.vertex = names.vertex or full.startswith("vertexai")
            elif full == "vertexai":
                names.vertexai_alias = local or "vertexai"
    elif isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
        base = dotted(small.module) or ""
        if isinstance(small.names, cst.ImportStar):
            return
        for alias in small.names:
            name = alias.name.value if isinstance(alias.name, cst.Name) else ""
            local = alias.asname.name.value if alias.asname and isinstance(
                alias.asname.name, cst.Name) else name
            inner = legacy_module(f"{base}.{name}")
            if inner is not None:  # from google import generativeai as genai
                names.modules[local] = inner
                names.vertex = names.vertex or base.startswith("vertexai")
                continue
            inner = legacy_module(base)
            if inner is not None:
                names.objects[local] = f"{inner}.{name}" if inner else name
                names.vertex = names.vertex or base.startswith("vertexai")


def is_legacy_import(small: cst.BaseSmallStatement) -> bool:
    if isinstance(small, cst.Import):
        return any(legacy_module(dotted(a.name) or "") is not None for a in small.names)
    if isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
        base = dotted(small.module) or ""
        if legacy_module(base) is not None:
            return True
        return not isinstance(small.names, cst.ImportStar) and all(
            legacy_module(f"{base}.{a.name.value if isinstance(a.name, cst.Name) else ''}")
            is not None for a in small.names)
    return False


class Collector(cst.CSTVisitor):
    """Facts about the module, gathered before any rewrite."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, names: Names) -> None:
        self.names = names
        self.models: dict[str, cst.Call] = {}  # target code ("model", "self.model") -> its call
        self.chats: set[str] = set()
        self.embeddings: dict[str, str] = {}  # target -> "single" | "batch" | "" (unknown)
        self.refs: dict[int, tuple[str, int]] = {}  # id(node) -> (legacy name, line)
        self.client_set = False  # a module-level configure()/init() creates the client
        self.client_name_taken = False
        self.nested: list[int] = []  # lines of legacy imports below the module level
        self._statements: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.SimpleStatementLine | cst.BaseCompoundStatement):
            self._statements.append(node)
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if isinstance(original_node, cst.SimpleStatementLine | cst.BaseCompoundStatement):
            self._statements.pop()
        super().on_leave(original_node)

    def statement_line(self) -> int:
        """The first line of the innermost statement (where a by-hand comment goes)."""
        node = self._statements[-1] if self._statements else None
        return self.get_metadata(PositionProvider, node).start.line if node else 1

    def visit_Import(self, node: cst.Import) -> bool:
        self._nested(node)
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        self._nested(node)
        return False

    def _nested(self, node: cst.Import | cst.ImportFrom) -> None:
        if is_legacy_import(node) and len(self._statements) > 1:
            self.nested.append(self.statement_line())

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1:
            return
        target = code(node.targets[0].target)
        if target == "client":
            self.client_name_taken = True
        value = node.value
        if isinstance(value, cst.Await):
            value = value.expression
        if not isinstance(value, cst.Call):
            return
        legacy = self.names.resolve(value.func)
        if legacy == "GenerativeModel":
            self.models[target] = value
        elif legacy == "embed_content":
            self.embeddings[target] = embedding_kind(value)
        elif isinstance(value.func, cst.Attribute) and value.func.attr.value == "start_chat" \
                and code(value.func.value) in self.models:
            self.chats.add(target)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if self._ref(node):
            node.value.visit(self)  # never the attribute's own name (``x.genai``)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self._ref(node)

    def _ref(self, node: cst.Name | cst.Attribute) -> bool:
        legacy = self.names.resolve(node)
        if legacy is None:
            return True
        self.refs[id(node)] = (legacy, self.statement_line())
        return False  # the longest chain is the reference


def embedding_kind(node: cst.Call) -> str:
    """Whether ``embed_content(...)`` embeds one text, a list of them, or cannot be told."""
    content = next((a.value for a in node.args if a.keyword and a.keyword.value == "content"),
                   node.args[1].value if len(node.args) > 1 and node.args[1].keyword is None
                   else None)
    if isinstance(content, cst.List | cst.Tuple | cst.ListComp):
        return "batch"
    if isinstance(content, cst.SimpleString | cst.FormattedString | cst.ConcatenatedString):
        return "single"
    return ""
