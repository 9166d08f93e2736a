"""Clients and Gemini calls of ``@google/genai`` in JavaScript/TypeScript, with what they configure.

``new GoogleGenAI({vertexai, enterprise, apiKey, project, location, httpOptions})``
becomes a :class:`ClientCall`; ``<x>.models.generateContent({model, config})``
and its siblings, ``<x>.chats.create``, ``<x>.live.connect``,
``<x>.batches.create`` and ``<x>.tunings.tune`` become :class:`ModelCall` in a
file that imports ``@google/genai``, with ``config``'s ``maxOutputTokens``,
``thinkingConfig``, ``responseModalities``, ``tools`` and ``httpOptions``. A
value is read when written in place or through a ``const`` declared once in the
file; anything else is unknown, as in :mod:`preflight.scan.pycalls`.

In a file that imports the legacy ``@google/generative-ai`` or
``@google-cloud/vertexai``, ``m.generateContent(…)``, ``generateContentStream``
and ``startChat`` on a model ``m = x.getGenerativeModel({model, generationConfig})``
(or called on ``getGenerativeModel(…)`` directly) become legacy :class:`ModelCall`
facts, like ``GenerativeModel(…).generate_content`` in Python: the model, and the
``generationConfig`` of the request object when it has one, else the model's. A
string, array or unresolved name argument is the contents (the model's config
applies); a request that cannot be read (a call, a spread) leaves the config unknown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import preflight.scan.treesitter as treesitter
from preflight.scan.facts import CallKind, ClientCall, HttpConfig, ModelCall, RetryOptions, SourceFile
from preflight.scan.jsnodes import Js, callee, properties
from preflight.scan.pyconfig import TOOL_FIELDS

if TYPE_CHECKING:
    from tree_sitter import Node

SDK = "@google/genai"
MODEL_METHODS: dict[str, CallKind] = {
    "generateContent": "generate", "generateContentStream": "stream", "embedContent": "embed",
    "generateImages": "image", "editImage": "image", "upscaleImage": "image",
    "countTokens": "count_tokens", "computeTokens": "count_tokens",
}
SERVICE_METHODS: dict[tuple[str, str], CallKind] = {
    ("chats", "create"): "chat", ("live", "connect"): "live", ("batches", "create"): "batch",
    ("batches", "createEmbeddings"): "batch", ("tunings", "tune"): "tuning",
}
LEGACY_SDKS = ("@google/generative-ai", "@google-cloud/vertexai")
LEGACY_METHODS = ("generateContent", "generateContentStream", "startChat")
DECLARATIONS = "(variable_declarator name: (identifier) @name)"
_FUNCTIONS = frozenset({"function_declaration", "method_definition", "generator_function_declaration"})


def extract(js: Js, genai: bool, out: SourceFile, legacy: bool = False) -> None:
    """Clients and calls, found from the bytes of their names (cheaper than a query)."""
    reader = _Reader(js)
    if legacy:
        out.calls.extend(_legacy_calls(js, reader))
    for node in js.nodes(b"GoogleGenAI"):
        new = node.parent.parent if node.parent is not None and node.parent.type == \
            "member_expression" else node.parent
        if node.type == "identifier" and new is not None and new.type == "new_expression":
            out.clients.append(reader.client(new, genai))
    if not genai:
        return
    methods = set(MODEL_METHODS) | {m for _, m in SERVICE_METHODS}
    for name in sorted(methods):
        for node in js.nodes(name.encode()):
            member, call = node.parent, node.parent.parent if node.parent is not None else None
            if node.type != "property_identifier" or js.text(node) != name or member is None \
                    or call is None or call.type != "call_expression" \
                    or call.child_by_field_name("function") != member:
                continue
            parts = callee(js, call)
            kind = MODEL_METHODS.get(parts[-1]) if parts[-2:-1] == ["models"] else \
                SERVICE_METHODS.get((parts[-2], parts[-1])) if len(parts) > 1 else None
            if kind is not None:
                out.calls.append(reader.call(call, kind, parts))


def _called(js: Js, node: Node, name: str) -> Node | None:
    """The call ``….name(…)`` whose method name ``node`` is, or None."""
    member = node.parent
    call = member.parent if member is not None else None
    if node.type != "property_identifier" or js.text(node) != name or member is None \
            or call is None or call.type != "call_expression":
        return None
    return call if call.child_by_field_name("function") == member else None


def _legacy_calls(js: Js, reader: _Reader) -> list[ModelCall]:
    models: dict[str, Node] = {}  # "model" / "this.model" -> its getGenerativeModel(…) call
    for node in js.nodes(b"getGenerativeModel"):
        call = _called(js, node, "getGenerativeModel")
        holder = call.parent if call is not None else None
        if call is None or holder is None:
            continue
        if holder.type == "variable_declarator":
            models[js.text(holder.child_by_field_name("name"))] = call
        elif holder.type == "assignment_expression":
            models[js.text(holder.child_by_field_name("left"))] = call
    found = []
    for method in LEGACY_METHODS:
        for node in js.nodes(method.encode()):
            call = _called(js, node, method)
            member = call.child_by_field_name("function") if call is not None else None
            receiver = member.child_by_field_name("object") if member is not None else None
            if call is None or receiver is None:
                continue
            source = receiver if receiver.type == "call_expression" and \
                callee(js, receiver)[-1:] == ["getGenerativeModel"] else models.get(js.text(receiver))
            if source is not None:
                found.append(reader.legacy(call, source, method))
    return sorted(found, key=lambda c: (c.line, c.column))


class _Reader:
    def __init__(self, js: Js) -> None:
        self.js = js
        self._values: dict[str, list[Node]] | None = None

    @property
    def values(self) -> dict[str, list[Node]]:
        """Each declared name's values, by one query on first need."""
        if self._values is None:
            self._values = {}
            found = treesitter.captures(self.js.grammar, DECLARATIONS, self.js.tree.root_node)
            for name in found.get("name", []):
                value = name.parent.child_by_field_name("value") if name.parent else None
                if value is not None:
                    self._values.setdefault(self.js.text(name), []).append(value)
        return self._values

    def value(self, node: Node | None) -> Node | None:
        """``node``, or the value of the ``const`` it names when the file declares it once."""
        for _ in range(3):
            if node is None or node.type not in ("identifier", "shorthand_property_identifier"):
                break
            declared = self.values.get(self.js.text(node), [])
            node = declared[0] if len(declared) == 1 else None
        while node is not None and node.type in ("as_expression", "satisfies_expression",
                                                  "parenthesized_expression"):
            node = node.named_children[0] if node.named_children else None
        return node

    def fields(self, node: Node | None) -> dict[str, Node] | None:
        return properties(self.js, self.value(node))

    def number(self, node: Node | None) -> float | None:
        node = self.value(node)
        if node is None:
            return None
        if node.type == "number":
            try:
                return float(self.js.text(node).replace("_", ""))
            except ValueError:
                return None
        if node.type == "binary_expression":
            left = self.number(node.child_by_field_name("left"))
            right = self.number(node.child_by_field_name("right"))
            operator = self.js.text(node.child_by_field_name("operator"))
            if left is None or right is None or operator not in ("*", "+", "-", "/"):
                return None
            result = {"*": left * right, "+": left + right, "-": left - right}.get(operator)
            return result if operator != "/" else (left / right if right else None)
        return None

    def string(self, node: Node | None) -> str:
        node = self.value(node)
        return self.js.content(node) or ""

    def client(self, new: Node, genai: bool) -> ClientCall:
        arguments = new.child_by_field_name("arguments")
        first = arguments.named_children[0] if arguments and arguments.named_children else None
        props = self.fields(first) or {}
        flag = next((f for f in ("enterprise", "vertexai") if props.get(f) is not None
                     and props[f].type == "true"), "")
        key, described = props.get("apiKey"), ""
        if key is not None and key.type not in ("undefined", "null"):
            described = "a string literal" if self.js.content(key) is not None else self.js.short(key)
        location = props.get("location")
        line, column = self.js.where(new)
        holder = new.parent.child_by_field_name("name") if new.parent is not None and \
            new.parent.type == "variable_declarator" else None
        return ClientCall(
            flag, described, line, column, None, self.string(props.get("project")),
            self.string(location), sdk=SDK if genai else "",
            location_set=location is not None and location.type not in ("undefined", "null"),
            http=self.http(props.get("httpOptions")), name=self.js.text(holder),
            language="javascript")

    def http(self, node: Node | None) -> HttpConfig | None:
        if node is None or node.type in ("undefined", "null"):
            return None
        line, column = self.js.where(node)
        props = self.fields(node)
        if props is None:
            return HttpConfig(line, column, known=False)
        timeout_node = props.get("timeout")
        timeout = self.number(timeout_node)
        retry = self.retry(props.get("retryOptions"))
        return HttpConfig(line, column, None, timeout,
                          self.js.span(timeout_node) if timeout is not None and timeout_node else None,
                          retry, known=retry is None or retry.line > 0)

    def retry(self, node: Node | None) -> RetryOptions | None:
        if node is None or node.type in ("undefined", "null"):
            return None
        props = self.fields(node)
        if props is None:
            return RetryOptions(0, 0)
        line, column = self.js.where(self.value(node) or node)
        attempts = self.number(props.get("attempts"))
        codes_node = self.value(props.get("httpStatusCodes"))
        codes = None
        if codes_node is not None and codes_node.type == "array":
            numbers = [self.number(e) for e in codes_node.named_children]
            codes = tuple(int(n) for n in numbers if n is not None)
        delay_node = props.get("initialDelay")
        delay = self.number(delay_node)
        return RetryOptions(
            line, column, None, int(attempts) if attempts is not None else None, delay,
            self.number(props.get("maxDelay")), self.number(props.get("expBase")), codes,
            self.js.span(codes_node) if codes is not None and codes_node is not None else None,
            self.js.span(delay_node) if delay is not None and delay_node is not None else None)

    def call(self, call: Node, kind: CallKind, parts: list[str]) -> ModelCall:
        arguments = call.child_by_field_name("arguments")
        first = arguments.named_children[0] if arguments and arguments.named_children else None
        props = self.fields(first)
        model_node = self.value((props or {}).get("model", (props or {}).get("baseModel")))
        model = self.js.content(model_node) or ""
        config = (props or {}).get("config")
        fields = self.fields(config) if config is not None else {}
        line, column = self.js.where(call)
        call_fact = ModelCall(
            kind, parts[-1], line, column, None, model,
            self.js.span(model_node) if model and model_node is not None else None,
            config_known=props is not None and fields is not None,
            client=parts[0] if parts[0] != "…" else "", function=_function(self.js, call),
            language="javascript")
        return self.config(call_fact, fields or {})

    def legacy(self, call: Node, model_call: Node, method: str) -> ModelCall:
        """A legacy SDK call on a model from ``getGenerativeModel({model, generationConfig})``."""
        props = self.fields(_first(model_call))
        model_node = self.value((props or {}).get("model"))
        model = self.js.content(model_node) or ""
        argument = self.value(_first(call))
        contents = argument is None or argument.type in ("string", "template_string", "array")
        request = {} if contents else self.fields(argument)  # None: a request it cannot read
        config = (request or {}).get("generationConfig") or (props or {}).get("generationConfig")
        fields = self.fields(config) if config is not None else {}
        line, column = self.js.where(call)
        fact = ModelCall(
            "legacy", method, line, column, None, model,
            self.js.span(model_node) if model and model_node is not None else None,
            config_known=props is not None and request is not None and fields is not None,
            function=_function(self.js, call), language="javascript")
        return self.config(fact, fields or {})

    def config(self, call: ModelCall, fields: dict[str, Node]) -> ModelCall:
        cap = fields.get("maxOutputTokens")
        number = self.number(cap)
        thinking = fields.get("thinkingConfig")
        level = self.string((self.fields(thinking) or {}).get("thinkingLevel")) or \
            _member(self.js, self.value((self.fields(thinking) or {}).get("thinkingLevel")))
        modalities = self.value(fields.get("responseModalities"))
        found = tuple(m.upper() for m in (self.string(e) or _member(self.js, e)
                                          for e in (modalities.named_children if modalities is not None
                                                    and modalities.type == "array" else [])) if m)
        return call._replace(
            output_cap=cap is not None and cap.type not in ("undefined", "null"),
            max_output_tokens=int(number) if number is not None else None,
            thinking=thinking is not None and thinking.type not in ("undefined", "null"),
            thinking_level=level.lower(), modalities=found, tools=self.tools(fields.get("tools")),
            http=self.http(fields.get("httpOptions")))

    def tools(self, node: Node | None) -> tuple[str, ...]:
        value = self.value(node)
        if value is None or value.type != "array":
            return ()
        found: list[str] = []
        for element in value.named_children:
            found.extend(TOOL_FIELDS[k] for k in (self.fields(element) or {}) if k in TOOL_FIELDS)
        return tuple(dict.fromkeys(found))


def _first(call: Node) -> Node | None:
    arguments = call.child_by_field_name("arguments")
    return arguments.named_children[0] if arguments and arguments.named_children else None


def _member(js: Js, node: Node | None) -> str:
    """``Modality.IMAGE`` / ``ThinkingLevel.LOW`` -> its last name."""
    if node is not None and node.type == "member_expression":
        return js.text(node.child_by_field_name("property"))
    return ""


def _function(js: Js, node: Node) -> str:
    parent = node.parent
    while parent is not None:
        if parent.type in _FUNCTIONS:
            return js.text(parent.child_by_field_name("name"))
        if parent.type in ("arrow_function", "function_expression") and parent.parent is not None \
                and parent.parent.type == "variable_declarator":
            return js.text(parent.parent.child_by_field_name("name"))
        parent = parent.parent
    return ""
