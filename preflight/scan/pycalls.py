"""Client constructions, calls that reach Gemini and the retries around them, from Python's AST.

Only what the file's imports tie to Gemini counts: ``Client`` from
``google.genai`` (``from google import genai``, ``import google.genai as g``,
``from google.genai import Client``), ``<x>.models.generate_content`` and its
siblings in a file that imports google-genai, and the legacy
``GenerativeModel(...).generate_content`` of google-generativeai and the
Vertex AI SDK. Every ``Client(...)`` is still recorded (GP204 reads it), with
``sdk`` left empty when the imports do not name google-genai.
"""

from __future__ import annotations

import ast

from preflight.findings import scrub
from preflight.scan.facts import CallKind, ClientCall, ModelCall
from preflight.scan.pyconfig import gen_config, http_config
from preflight.scan.pyresolve import Names, Where, chain, keywords, target_name
from preflight.scan.pyretry import RETRY_NODES, find_retries
from preflight.scan.pywalk import Extractor, Parsed

# The extractor runs on a file or notebook cell holding one of its needles (a Vertex client
# always says "vertexai", a legacy model "generativ", an enterprise client "enterprise"; every
# Client(...) is recorded, GP204 reads it).
NEEDLES = ("genai", "generativ", "vertexai", "enterprise", "Client(")
GENAI = ("google.genai",)
LEGACY = ("google.generativeai", "vertexai.generative_models", "vertexai.preview.generative_models")

# <x>.models.<method> -> kind
MODEL_METHODS: dict[str, CallKind] = {
    "generate_content": "generate", "generate_content_stream": "stream",
    "embed_content": "embed", "generate_images": "image", "edit_image": "image",
    "upscale_image": "image", "count_tokens": "count_tokens", "compute_tokens": "count_tokens",
}
# <x>.<service>.<method> -> kind
SERVICE_METHODS: dict[tuple[str, str], CallKind] = {
    ("chats", "create"): "chat", ("live", "connect"): "live", ("batches", "create"): "batch",
    ("batches", "create_embeddings"): "batch", ("tunings", "tune"): "tuning",
}
CHAT_METHODS = frozenset({"send_message", "send_message_stream"})
LEGACY_METHODS = frozenset({"generate_content", "generate_content_async", "count_tokens",
                            "start_chat", "send_message", "send_message_async"})


def extract(parsed: Parsed) -> None:
    """Add the file's clients, Gemini calls and retry wrappers to ``out``."""
    tree, out = parsed.tree, parsed.out
    names, where = Names(tree, parsed.of(*Names.NODES)), Where(parsed.lines, parsed.place)
    genai, legacy = names.imports(*GENAI), names.imports(*LEGACY)
    calls: list[tuple[ast.Call, str]] = parsed.with_function(ast.Call)  # type: ignore[assignment]
    assigned = parsed.of(ast.Assign, ast.AnnAssign, ast.withitem)
    # what the calls are assigned to: worked out when a call that needs it is met (most never)
    chats: dict[str, ast.Call] | None = None
    legacy_models: dict[str, ast.Call] | None = None if legacy else {}
    holders: dict[int, str] | None = None
    found: list[tuple[ast.Call, ModelCall]] = []
    clients = {local for local, origin in names.origin.items() if origin in CLIENTS}
    for node, function in calls:
        func = node.func
        attribute = isinstance(func, ast.Attribute)
        method = func.attr if isinstance(func, ast.Attribute) else ""
        if attribute:  # the cheap test first: most calls are none of these
            if method not in _METHODS and method != "Client":
                continue
        elif isinstance(func, ast.Name) and func.id != "Client" and func.id not in clients:
            continue
        if _is_client(node, names) or (not genai and _last(node) == "Client"):
            if holders is None:
                holders = {id(v): k for k, v in _assigned_from(
                    assigned, lambda v: isinstance(v, ast.Call) and _last(v) == "Client").items()}
            out.clients.append(_client(node, names, where, genai, holders.get(id(node), "")))
            continue
        if chats is None and (not attribute or method in CHAT_METHODS):
            chats = _assigned_from(assigned, lambda v: isinstance(v, ast.Call)
                                   and chain(v.func)[-2:-1] == ["chats"])
        if legacy_models is None and (not attribute or method in LEGACY_METHODS):
            legacy_models = _assigned_from(assigned, lambda v: _is_legacy_model(v, names))
        call = _model_call(node, function, names, where, genai, chats or {}, legacy_models or {})
        if call is not None:
            found.append((node, call))
    if not found:
        return
    retried = find_retries(parsed.of(*RETRY_NODES), names, where, [n for n, _ in found], out.retries,
                           parsed.by_scope(ast.Call))
    out.calls.extend(_with_retry(call, id(node) in retried) for node, call in found)


def _last(node: ast.Call) -> str:
    parts = chain(node.func)
    return parts[-1] if parts else ""


CLIENTS = ("google.genai.Client", "google.genai.client.Client")
# The last part of the function of every call _model_call can take.
_METHODS = frozenset({*MODEL_METHODS, *(method for _, method in SERVICE_METHODS), *CHAT_METHODS,
                      *LEGACY_METHODS})


def _is_client(node: ast.Call, names: Names) -> bool:
    return names.qualify(node.func) in CLIENTS


def _is_legacy_model(node: ast.AST | None, names: Names) -> bool:
    if not isinstance(node, ast.Call):
        return False
    qualified = names.qualify(node.func)
    return qualified.endswith(".GenerativeModel") and qualified.startswith(LEGACY)


def _assigned_from(nodes: list[ast.AST], test: object) -> dict[str, ast.Call]:
    found: dict[str, ast.Call] = {}
    for node in nodes:
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.withitem)):
            value = node.context_expr if isinstance(node, ast.withitem) else node.value
            targets = ([node.optional_vars] if isinstance(node, ast.withitem)
                       else node.targets if isinstance(node, ast.Assign) else [node.target])
            if value is not None and callable(test) and test(value):
                for target in targets:
                    if target is not None and target_name(target):
                        found[target_name(target)] = value  # type: ignore[assignment]
    return found


def _client(node: ast.Call, names: Names, where: Where, genai: bool, name: str) -> ClientCall:
    kws = {kw.arg: kw.value for kw in node.keywords if kw.arg}
    flag = next((f for f in ("enterprise", "vertexai") if _is_true(kws.get(f))), "")
    key, described = kws.get("api_key"), ""
    if isinstance(key, ast.Constant):
        described = "" if key.value is None else "a string literal"
    elif key is not None:
        described = scrub(ast.unparse(key))
        described = described if len(described) <= 60 else described[:57] + "..."
    location = kws.get("location")
    line, col, cell = where.at(node)
    return ClientCall(
        flag, described, line, col, cell, _literal(kws.get("project")), _literal(location),
        sdk="google-genai" if genai and _is_client(node, names) else "",
        location_set=location is not None and not (isinstance(location, ast.Constant)
                                                    and location.value is None),
        http=http_config(kws.get("http_options"), names, where), name=name,
    )


def _model_call(node: ast.Call, function: str, names: Names, where: Where, genai: bool,
                chats: dict[str, ast.Call], legacy_models: dict[str, ast.Call]) -> ModelCall | None:
    parts = chain(node.func)
    if len(parts) < 2:
        return None
    method, owner = parts[-1], parts[-2]
    kind: CallKind | None = None
    source: ast.Call = node
    if genai and owner == "models" and method in MODEL_METHODS:
        kind = MODEL_METHODS[method]
    elif genai and (owner, method) in SERVICE_METHODS:
        kind = SERVICE_METHODS[(owner, method)]
    elif genai and method in CHAT_METHODS and owner in chats:
        kind, source = "chat", chats[owner]
    elif legacy_models and method in LEGACY_METHODS:
        receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
        if isinstance(receiver, ast.Call) and _is_legacy_model(receiver, names):
            kind, source = "legacy", receiver
        elif owner in legacy_models:
            kind, source = "legacy", legacy_models[owner]
    if kind is None:
        return None
    return _describe(node, source, kind, method, parts[0], function, names, where)


def _describe(node: ast.Call, source: ast.Call, kind: CallKind, method: str, client: str,
              function: str, names: Names, where: Where) -> ModelCall:
    kws = keywords(source) or {}
    model_node = kws.get("model", kws.get("model_name"))
    if model_node is None and kind == "legacy" and source.args:
        model_node = source.args[0]
    model = names.constant(model_node)
    literal = names.value(model_node) if isinstance(model_node, ast.Name) else model_node
    config_node = kws.get("config", kws.get("generation_config"))
    if kind == "legacy" and config_node is None:
        config_node = (keywords(node) or {}).get("generation_config")
    config = gen_config(config_node, names, where)
    known = config.known and (keywords(source) is not None) and not (
        kind == "chat" and source is not node and "config" not in kws)
    line, col, cell = where.at(node)
    return ModelCall(
        kind, method, line, col, cell, model,
        where.span(literal) if model and literal is not None else None,
        known, config.max_output_tokens, config.output_cap, config.thinking,
        config.thinking_level, config.modalities, config.tools, config.http, client, function,
    )


def _with_retry(call: ModelCall, retried: bool) -> ModelCall:
    per_call = call.http is not None and call.http.retry is not None
    if not (retried or per_call):
        return call
    return call._replace(retried=True)


def _is_true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _literal(node: ast.AST | None) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


EXTRACTOR = Extractor("clients-calls-retries", NEEDLES,
                      (*Names.NODES, ast.Call, ast.withitem, *RETRY_NODES), extract)
