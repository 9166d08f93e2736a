"""What a client or a call configures: ``HttpOptions``, retry options, generation config.

Reads ``types.HttpOptions(...)``, ``types.HttpRetryOptions(...)``,
``types.GenerateContentConfig(...)`` and the equivalent dicts, written inline
or through a variable assigned once in the same file. Keys are accepted in
the SDK's snake case and in the wire's camel case (pydantic aliases).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from preflight.scan.facts import HttpConfig, RetryOptions
from preflight.scan.pyresolve import Names, Where, keywords, last_name

# Tool fields of types.Tool (and their dict keys) -> the catalog's tool names
TOOL_FIELDS = {
    "computer_use": "computer-use", "computerUse": "computer-use",
    "google_search": "google-search", "googleSearch": "google-search",
    "google_search_retrieval": "google-search", "code_execution": "code-execution",
    "codeExecution": "code-execution", "function_declarations": "function-calling",
    "functionDeclarations": "function-calling", "file_search": "file-search",
    "fileSearch": "file-search", "url_context": "url-context", "urlContext": "url-context",
    "google_maps": "google-maps", "googleMaps": "google-maps",
}


def _get(found: dict[str, ast.expr], *names: str) -> ast.expr | None:
    return next((found[n] for n in names if n in found), None)


def http_config(node: ast.AST | None, names: Names, where: Where) -> HttpConfig | None:
    """The ``HttpOptions`` written at ``node``; ``known=False`` when it cannot be read."""
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return None
    value = names.value(node)
    line, col, cell = where.at(node)
    found = keywords(value) if isinstance(value, (ast.Call, ast.Dict)) else None
    if found is None or (isinstance(value, ast.Call) and last_name(value.func) != "HttpOptions"):
        return HttpConfig(line, col, cell, known=False)
    timeout_node = _get(found, "timeout")
    timeout = names.number(timeout_node)
    retry = retry_options(_get(found, "retry_options", "retryOptions"), names, where)
    return HttpConfig(line, col, cell, timeout,
                      where.span(timeout_node) if timeout is not None and timeout_node else None,
                      retry, known=retry is None or retry.line > 0)


def retry_options(node: ast.AST | None, names: Names, where: Where) -> RetryOptions | None:
    """``HttpRetryOptions(...)``; line 0 marks retry options that could not be read."""
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return None
    value = names.value(node)
    found = keywords(value) if isinstance(value, (ast.Call, ast.Dict)) else None
    if found is None or (isinstance(value, ast.Call) and last_name(value.func) != "HttpRetryOptions"):
        return RetryOptions(0, 0)
    line, col, cell = where.at(value if value is not None else node)
    attempts = names.number(_get(found, "attempts"))
    codes_node = names.value(_get(found, "http_status_codes", "httpStatusCodes"))
    codes: tuple[int, ...] | None = None
    if isinstance(codes_node, (ast.List, ast.Tuple, ast.Set)):
        numbers = [names.number(e) for e in codes_node.elts]
        codes = tuple(int(n) for n in numbers if n is not None)
    delay_node = _get(found, "initial_delay", "initialDelay")
    delay = names.number(delay_node)
    return RetryOptions(
        line, col, cell, int(attempts) if attempts is not None else None, delay,
        names.number(_get(found, "max_delay", "maxDelay")),
        names.number(_get(found, "exp_base", "expBase")), codes,
        where.span(codes_node) if codes is not None and codes_node is not None else None,
        where.span(delay_node) if delay is not None and delay_node is not None else None,
    )


@dataclass
class GenConfig:
    """The parts of a generation config that rules read."""

    known: bool = True
    output_cap: bool = False
    max_output_tokens: int | None = None
    thinking: bool = False
    thinking_level: str = ""
    modalities: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()
    http: HttpConfig | None = None


def gen_config(node: ast.AST | None, names: Names, where: Where) -> GenConfig:
    """``config=types.GenerateContentConfig(...)`` / a dict / a variable holding one."""
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return GenConfig()
    value = names.value(node)
    found = keywords(value) if isinstance(value, (ast.Call, ast.Dict)) else None
    if found is None:
        return GenConfig(known=False)
    out = GenConfig()
    cap = _get(found, "max_output_tokens", "maxOutputTokens")
    if cap is not None and not (isinstance(cap, ast.Constant) and cap.value is None):
        out.output_cap = True
        number = names.number(cap)
        out.max_output_tokens = int(number) if number is not None else None
    thinking = _get(found, "thinking_config", "thinkingConfig")
    if thinking is not None and not (isinstance(thinking, ast.Constant) and thinking.value is None):
        out.thinking = True
        inner = keywords(names.value(thinking)) or {}
        level = _get(inner, "thinking_level", "thinkingLevel")
        out.thinking_level = _enum_text(level).lower()
    modalities = names.value(_get(found, "response_modalities", "responseModalities"))
    if isinstance(modalities, (ast.List, ast.Tuple)):
        out.modalities = tuple(_enum_text(e).upper() for e in modalities.elts if _enum_text(e))
    out.tools = tools(_get(found, "tools"), names)
    out.http = http_config(_get(found, "http_options", "httpOptions"), names, where)
    return out


def tools(node: ast.AST | None, names: Names) -> tuple[str, ...]:
    value = names.value(node)
    if not isinstance(value, (ast.List, ast.Tuple)):
        return ()
    found: list[str] = []
    for written in value.elts:
        element = names.value(written) or written
        fields = keywords(element) if isinstance(element, (ast.Call, ast.Dict)) else None
        if fields is not None and (isinstance(element, ast.Dict) or last_name(element) == "Tool"):
            found.extend(TOOL_FIELDS[k] for k in fields if k in TOOL_FIELDS)
        elif isinstance(element, (ast.Name, ast.Attribute)):
            found.append("function-calling")  # a Python callable: automatic function calling
    return tuple(dict.fromkeys(found))


def _enum_text(node: ast.AST | None) -> str:
    """``"LOW"`` / ``types.ThinkingLevel.LOW`` / ``types.Modality.IMAGE`` -> its name."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""
