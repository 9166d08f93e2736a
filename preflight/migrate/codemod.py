"""The rewrite of one module from google.generativeai / vertexai.generative_models to google-genai.

A module is migrated whole or not at all: when anything that uses a legacy SDK
cannot be translated with certainty, the module is left as it was and each
such statement gets a ``# gemini-preflight: migrate by hand: <reason>``
comment (code half on each SDK would be worse than either). A model becomes
its name (``model = "gemini-…"``) and, when it had configuration, a
``<model>_config = types.GenerateContentConfig(...)`` beside it; its calls
become ``client.models.…(model=<model>, …, config=<model>_config)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

import preflight.migrate.calls as calls
import preflight.migrate.config as cfg
from preflight.migrate.config import ByHand, call, kw
from preflight.migrate.finish import Marker, finish_imports
from preflight.migrate.legacy import Collector, Names, code, read_imports

RENAMED = {"types.HarmCategory": "HarmCategory", "HarmCategory": "HarmCategory",
           "types.HarmBlockThreshold": "HarmBlockThreshold", "HarmBlockThreshold": "HarmBlockThreshold"}


@dataclass
class Migration:
    code: str
    rewritten: int = 0
    by_hand: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)

    @property
    def changed(self) -> bool:
        return self.rewritten > 0


def migrate_code(source: str) -> Migration:
    """Migrate one module's source; raises ``libcst.ParserSyntaxError`` when it does not parse."""
    module = cst.parse_module(source)
    names = read_imports(module)
    if names.empty() and not _LEGACY_TEXT.search(source):
        return Migration(source)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    collector = Collector(names)
    wrapper.visit(collector)
    if collector.nested:
        problems = [(line, "legacy SDK imported inside a function, class or try block: "
                           "migrate that code by hand") for line in collector.nested]
        marked = module.visit(Marker(problems, wrapper))
        return Migration(marked.code, 0, problems)
    if names.empty():
        return Migration(source)
    rewriter = Rewriter(names, collector)
    new = wrapper.visit(rewriter)
    leftovers = [(line, _leftover(name)) for ref, (name, line) in collector.refs.items()
                 if ref not in rewriter.consumed]
    problems = sorted(set(rewriter.by_hand + leftovers))
    if problems:
        marked = module.visit(Marker(problems, wrapper))
        return Migration(marked.code, 0, problems)
    if not rewriter.rewritten:
        return Migration(source)
    client = not rewriter.client_made and not collector.client_name_taken
    return Migration(finish_imports(new, names, rewriter.types, client), rewriter.rewritten)


_LEGACY_TEXT = re.compile(r"generativeai|generative_models")


def _leftover(name: str) -> str:
    if name == "<module>":
        return "the legacy module used as a value (passed on or stored)"
    if name == "GenerativeModel":
        return ("GenerativeModel used other than as `x = GenerativeModel(...)` "
                "(returned, passed on, or in an annotation)")
    return f"no google-genai translation known for {name}"


class Rewriter(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, names: Names, facts: Collector) -> None:
        self.names, self.facts = names, facts
        self.consumed: set[int] = set()
        self.by_hand: list[tuple[int, str]] = []
        self.rewritten = 0
        self.types = False
        self.client_made = False
        self._statements: list[cst.CSTNode] = []
        self._depth = 0  # function and class nesting
        self.global_configs: set[str] = set()  # ``<model>_config`` declared global in a function

    def uses_types(self) -> None:
        self.types = True

    def _hand(self, reason: str) -> None:
        node = self._statements[-1] if self._statements else None
        line = self.get_metadata(PositionProvider, node).start.line if node else 1
        self.by_hand.append((line, reason))

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.SimpleStatementLine | cst.BaseCompoundStatement):
            self._statements.append(node)
        if isinstance(node, cst.FunctionDef | cst.ClassDef):
            self._depth += 1
        return super().on_visit(node)

    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        result = super().on_leave(original, updated)
        if isinstance(original, cst.SimpleStatementLine | cst.BaseCompoundStatement):
            self._statements.pop()
        if isinstance(original, cst.FunctionDef | cst.ClassDef):
            self._depth -= 1
        return result  # type: ignore[return-value]

    # -- statements ---------------------------------------------------------
    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine,
                                  updated: cst.SimpleStatementLine
                                  ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        if len(original.body) != 1:
            return updated
        small = original.body[0]
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            made = self._client(small.value)
            if made is not None:
                return updated.with_changes(body=[made])
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(
                small.value, cst.Call) and self.names.resolve(small.value.func) == "GenerativeModel":
            return self._model(original, updated, small)
        return updated

    def _client(self, node: cst.Call) -> cst.Assign | None:
        legacy = self.names.resolve(node.func)
        if legacy not in ("configure", "init"):
            return None
        self.consumed.add(id(node.func))
        if self._depth:
            self._hand(f"{legacy}() inside a function: create genai.Client(...) where the key is known")
            return None
        allowed = {"configure": {"api_key"}, "init": {"project", "location", "credentials"}}[legacy]
        if any(a.keyword is None or a.keyword.value not in allowed for a in node.args):
            self._hand(f"{legacy}() arguments other than {', '.join(sorted(allowed))}")
            return None
        args = [kw("vertexai", cst.Name("True"))] if legacy == "init" else []
        args += [kw(a.keyword.value, a.value) for a in node.args if a.keyword]
        self.client_made = True
        self.rewritten += 1
        return cst.Assign([cst.AssignTarget(cst.Name("client"))], call(calls.genai_attr("Client"), args))

    def _model(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine,
               assign: cst.Assign) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        target = assign.targets[0].target
        model = assign.value
        assert isinstance(model, cst.Call)
        self.consumed.add(id(model.func))
        try:
            name, parts = self._model_args(model)
            config = cfg.build(parts, self.names, self.uses_types)
        except ByHand as exc:
            self._hand(str(exc))
            return updated
        self.rewritten += 1
        first = updated.with_changes(body=[cst.Assign(assign.targets, name)])
        if config is None:
            return first
        second = cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(calls.config_target(target))],
                                                     config)])
        return cst.FlattenSentinel([first, second])

    def _model_args(self, model: cst.Call) -> tuple[cst.BaseExpression, dict[str, cst.BaseExpression]]:
        name: cst.BaseExpression | None = None
        parts: dict[str, cst.BaseExpression] = {}
        for index, arg in enumerate(model.args):
            key = arg.keyword.value if arg.keyword else ("model_name" if index == 0 else None)
            if arg.star or key is None:
                raise ByHand("GenerativeModel with positional or ** arguments")
            if key == "model_name":
                name = arg.value
            elif key in cfg.CONFIG_PARTS:
                parts[key] = arg.value
            else:
                raise ByHand(f"GenerativeModel argument {key}")
        if name is None:
            raise ByHand("GenerativeModel without a model name (the legacy default is retired)")
        return name, parts

    def leave_Global(self, original: cst.Global, updated: cst.Global) -> cst.Global:
        """``global model`` also declares ``model_config`` when the model gets one."""
        names = list(updated.names)
        for item in original.names:
            model = self.facts.models.get(item.name.value)
            if model is not None and any(a.keyword and a.keyword.value in cfg.CONFIG_PARTS
                                         for a in model.args):
                names.append(cst.NameItem(cst.Name(item.name.value + "_config")))
        self.global_configs.update(n.name.value for n in names[len(updated.names):])
        if len(names) == len(updated.names):
            return updated
        return updated.with_changes(names=[n.with_changes(comma=cst.MaybeSentinel.DEFAULT)
                                           for n in names])

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        """A global ``<model>_config`` is defined beside its model's module-level ``= None``."""
        if not self.global_configs:
            return updated
        body: list[cst.BaseStatement] = []
        missing = set(self.global_configs)
        for stmt in updated.body:
            body.append(stmt)
            small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) else None
            if isinstance(small, cst.Assign) and isinstance(small.targets[0].target, cst.Name):
                name = small.targets[0].target.value + "_config"
                if name in missing and code(small.value) == "None":
                    body.append(cst.parse_statement(f"{name} = None\n"))
                    missing.discard(name)
        for name in sorted(missing):
            self.by_hand.append((1, f"global {name.removesuffix('_config')} has no module-level "
                                    "definition to put its config beside"))
        return updated.with_changes(body=body)

    # -- expressions --------------------------------------------------------
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = original.func
        legacy = self.names.resolve(func)
        if legacy is not None and legacy not in ("GenerativeModel", "configure", "init"):
            return self._function(original, updated, legacy)
        if isinstance(func, cst.Attribute):
            owner = code(func.value)
            if owner in self.facts.models:
                return self._model_call(updated, owner, func.attr.value)
            if owner in self.facts.chats:
                return self._chat_call(updated, func.attr.value)
            if func.attr.value in ("generate_content", "generate_content_async", "start_chat") \
                    and isinstance(func.value, cst.Name | cst.Attribute):
                self._hand(f"{code(func)}: a model whose origin is not a GenerativeModel(...) "
                           "assignment in this file")
        return updated

    def _function(self, original: cst.Call, updated: cst.Call, legacy: str) -> cst.BaseExpression:
        self.consumed.add(id(original.func))
        try:
            if legacy in ("GenerationConfig", "types.GenerationConfig"):
                self.uses_types()
                return call(cfg.types_attr("GenerateContentConfig"), cfg.generation_keywords(updated))
            if legacy == "embed_content":
                return self._count(calls.embed(updated, self.uses_types))
            if legacy in calls.FILES:
                return self._count(calls.files(updated, legacy, self.uses_types))
            if legacy in ("SafetySetting", "types.SafetySetting") or legacy.startswith("Part."):
                return self._count(calls.vertex_type(updated, legacy, self.uses_types))
        except ByHand as exc:
            self._hand(str(exc))
            return updated
        self.consumed.discard(id(original.func))
        return updated

    def _count(self, node: cst.Call) -> cst.Call:
        self.rewritten += 1
        return node

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        legacy = self.names.resolve(original)
        if legacy is not None:
            head, _, member = legacy.rpartition(".")
            if head in RENAMED and member.isupper():
                self.consumed.add(id(original))
                self.uses_types()
                return cfg.types_attr(RENAMED[head], member)
            return updated
        if original.attr.value == "history" and code(original.value) in self.facts.chats:
            return cst.Call(cst.Attribute(updated.value, cst.Name("get_history")))
        return updated

    def leave_Subscript(self, original: cst.Subscript,
                        updated: cst.Subscript) -> cst.BaseExpression:
        kind = self.facts.embeddings.get(code(original.value))
        if kind is not None and len(original.slice) == 1:
            index = original.slice[0].slice
            if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString) \
                    and index.value.evaluated_value == "embedding":
                if not kind:
                    self._hand("embed_content result: one text or a list? use "
                               ".embeddings[0].values or [e.values for e in .embeddings]")
                    return updated
                self.rewritten += 1
                embeddings = code(cst.Attribute(updated.value, cst.Name("embeddings")))
                text = (f"{embeddings}[0].values" if kind == "single"
                        else f"[e.values for e in {embeddings}]")
                return cst.parse_expression(text)
        return updated

    def _model_call(self, node: cst.Call, owner: str, method: str) -> cst.BaseExpression:
        model = self.facts.models[owner]
        has_config = any(a.keyword and a.keyword.value in cfg.CONFIG_PARTS for a in model.args)
        target = cst.parse_expression(owner)
        config = calls.config_target(target) if has_config else None
        try:
            if method in ("generate_content", "generate_content_async", "count_tokens",
                          "count_tokens_async"):
                return self._count(self._generate(node, target, config, method))
            if method == "start_chat":
                return self._count(self._start_chat(node, target, config))
        except ByHand as exc:
            self._hand(str(exc))
            return node
        self._hand(f"GenerativeModel.{method}")
        return node

    def _generate(self, node: cst.Call, target: cst.BaseExpression,
                  config: cst.BaseExpression | None, method: str) -> cst.Call:
        asynchronous = method.endswith("_async")
        base = method.removesuffix("_async")
        args = calls.keywords(node, ("contents", "generation_config", "safety_settings", "tools",
                                "stream"))
        stream = args.pop("stream", None)
        streaming = calls.flag(stream) if stream is not None else False
        if base == "count_tokens" and stream is not None:
            raise ByHand("count_tokens(stream=...)")
        parts = {k: v for k, v in args.items() if k in cfg.CONFIG_PARTS}
        if parts and config is not None:
            raise ByHand("configuration on both the model and the call: merge them")
        if parts and base == "count_tokens":
            raise ByHand("count_tokens with configuration")
        built = cfg.build(parts, self.names, self.uses_types) if parts else config
        if "contents" not in args:
            raise ByHand(f"{method} without contents")
        out = [kw("model", target), kw("contents", args["contents"])]
        if built is not None and base == "generate_content":
            out.append(kw("config", built))
        name = base + ("_stream" if streaming else "")
        return call(calls.client_attr("models", name, aio=asynchronous), out)

    def _start_chat(self, node: cst.Call, target: cst.BaseExpression,
                    config: cst.BaseExpression | None) -> cst.Call:
        args = calls.keywords(node, ("history", "enable_automatic_function_calling"))
        history = args.get("history")
        if history is not None and not (isinstance(history, cst.List) and not history.elements):
            raise ByHand("start_chat(history=...): legacy history entries need types.Content")
        automatic = args.get("enable_automatic_function_calling")
        if automatic is not None and not calls.flag(automatic):
            raise ByHand("start_chat without automatic function calling")
        out = [kw("model", target)] + ([kw("config", config)] if config is not None else [])
        return call(calls.client_attr("chats", "create"), out)

    def _chat_call(self, node: cst.Call, method: str) -> cst.BaseExpression:
        if method != "send_message":
            if method in ("send_message_async", "rewind"):
                self._hand(f"ChatSession.{method}")
            return node
        try:
            args = calls.keywords(node, ("content", "stream"))
        except ByHand as exc:
            self._hand(str(exc))
            return node
        stream = args.get("stream")
        try:
            streaming = calls.flag(stream) if stream is not None else False
        except ByHand as exc:
            self._hand(str(exc))
            return node
        if stream is None:
            return node
        assert isinstance(node.func, cst.Attribute)
        self.rewritten += 1
        name = "send_message_stream" if streaming else "send_message"
        return call(node.func.with_changes(attr=cst.Name(name)), [cst.Arg(args["content"])])
