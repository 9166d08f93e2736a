"""Retry wrappers around Gemini calls: tenacity, backoff, google.api_core.retry, hand-written loops.

A wrapper counts only when the code it wraps reaches a Gemini call of the
same file, directly or through functions of the same file (called by name or
as ``self.name``): a tenacity decorator on a function that never calls Gemini
is not a fact.
"""

from __future__ import annotations

import ast
import bisect
from collections.abc import Iterable

from preflight.scan.facts import Catches, RetryKind, RetryWrapper
from preflight.scan.pyresolve import Names, Where, chain, keywords, last_name, walk_local

BROAD = frozenset({"Exception", "BaseException"})
API = frozenset({"APIError", "ClientError", "GoogleAPIError", "GoogleAPICallError"})
SLEEPS = frozenset({"sleep"})
STATUS_WORDS = frozenset({"code", "status", "status_code", "http_status", "response"})


# The nodes find_retries looks at (from the shared walk).
RETRY_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.For, ast.AsyncFor, ast.While, ast.Call,
               ast.Try)
DECORATORS = ("tenacity.retry", "google.api_core.retry.Retry", "backoff.on_exception")
RETRYING = ("tenacity.Retrying", "tenacity.AsyncRetrying", "google.api_core.retry.Retry")


def find_retries(nodes: list[ast.AST], names: Names, where: Where, gemini: list[ast.Call],
                 out: list[RetryWrapper], calls: dict[int, list[ast.AST]] | None = None) -> set[int]:
    """Record the wrappers around ``gemini`` calls in ``out``; return the ids of retried calls.

    ``nodes``: the file's nodes of the types in RETRY_NODES, in source order; ``calls``: the
    calls in each function's own code, by the function's id, when the walk already found them.
    """
    if not _possible(nodes, names):
        return set()
    functions = {f.name: f for f in nodes if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
    targets = {id(c) for c in gemini}
    # only the calls of a function's own code are read (callees, Gemini calls, what is covered)
    local = {name: calls.get(id(f), []) if calls is not None else walk_local(f)
             for name, f in functions.items()}
    callees = {name: {last_name(n.func) for n in nodes if isinstance(n, ast.Call)} & functions.keys()
               for name, nodes in local.items()}
    direct = {name for name, nodes in local.items() if any(id(n) in targets for n in nodes)}
    reaching = _closure(direct, lambda f: {g for g, calls in callees.items() if f in calls})
    retried: set[int] = set()

    def cover(nodes: Iterable[ast.AST]) -> None:
        inside = {id(n) for n in nodes}
        hit = set(inside & targets)
        called = {last_name(n.func) for n in nodes if isinstance(n, ast.Call)} & reaching
        for name in _closure(called, lambda f: callees.get(f, set()) & reaching):
            hit |= {id(n) for n in local[name]} & targets
        retried.update(hit)

    for name, function in functions.items():
        if name not in reaching:
            continue
        for decorator in function.decorator_list:
            wrapper = _decorator(decorator, names, where, name)
            if wrapper is not None:
                out.append(wrapper)
                cover(local[name])
    # the lines of the calls a loop must hold to matter: a loop holding none is not read further
    hot = sorted(getattr(n, "lineno", 0) for n in nodes if isinstance(n, ast.Call)
                 and (id(n) in targets or last_name(n.func) in reaching))
    for node in nodes:
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            first = bisect.bisect_left(hot, node.lineno)
            if first == len(hot) or hot[first] > (node.end_lineno or node.lineno):
                continue
            body = [n for stmt in node.body for n in [stmt, *walk_local(stmt)]]
            if not ({id(n) for n in body} & targets or _calls_any(body, reaching)):
                continue
            wrapper = _loop(node, body, names, where) or _retrying_for(node, names, where)
            if wrapper is not None:
                out.append(wrapper)
                cover(body)
        elif isinstance(node, ast.Call) and _retrying(node, names):
            wrapped = [a for a in node.args if isinstance(a, ast.Name) and a.id in reaching]
            if wrapped:
                out.append(_settings(node, names, where, wrapped[0].id))
                cover([n for w in wrapped for n in local[w.id]])
    return retried


def _possible(nodes: list[ast.AST], names: Names) -> bool:
    """Whether the file has anything that can be a wrapper (most have none: the call graph is
    then not worked out): a retry decorator, a ``Retrying(...)`` call, or a loop that can be
    one (a while or ``range`` loop with a try in its lines, a loop over ``Retrying(...)``)."""
    tries = sorted(getattr(n, "lineno", 0) for n in nodes if isinstance(n, ast.Try))
    for node in nodes:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if any(_origin(d.func if isinstance(d, ast.Call) else d, names) in DECORATORS
                   for d in node.decorator_list):
                return True
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            if isinstance(node, ast.While) or (isinstance(node.iter, ast.Call)
                                               and last_name(node.iter.func) == "range"):
                first = bisect.bisect_left(tries, node.lineno)
                if first < len(tries) and tries[first] <= (node.end_lineno or node.lineno):
                    return True
            if not isinstance(node, ast.While) and isinstance(node.iter, ast.Call) and _origin(
                    node.iter.func, names) in ("tenacity.Retrying", "tenacity.AsyncRetrying"):
                return True
        elif isinstance(node, ast.Call) and _retrying(node, names):
            return True
    return False


def _retrying(node: ast.Call, names: Names) -> bool:
    return _tail(node.func, names) in _RETRYING and _origin(node.func, names) in RETRYING


# The last part of what a retrying call's function qualifies to (see _origin).
_RETRYING = frozenset({"Retrying", "AsyncRetrying", "Retry"})


def _tail(func: ast.AST, names: Names) -> str:
    """The last part of ``names.qualify(func)`` when it is not empty (cheaply, without it)."""
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return names.origin.get(func.id, "").rpartition(".")[2]
    return ""


def _closure(start: set[str], step: object) -> set[str]:
    done, todo = set(start), list(start)
    while todo:
        for item in step(todo.pop()):  # type: ignore[operator]
            if item not in done:
                done.add(item)
                todo.append(item)
    return done


def _calls_any(nodes: list[ast.AST], functions: set[str]) -> bool:
    return any(isinstance(n, ast.Call) and last_name(n.func) in functions for n in nodes)


def _origin(node: ast.AST, names: Names) -> str:
    qualified = names.qualify(node)
    for short, full in (("tenacity.", "tenacity."), ("backoff.", "backoff."),
                        ("google.api_core.retry.", "google.api_core.retry.")):
        if qualified.startswith(short):
            rest = qualified[len(short):]
            if full == "google.api_core.retry." and rest.startswith("retry_unary."):
                rest = rest[len("retry_unary."):]
            return full + rest.split(".")[-1]
    if qualified == "google.api_core.retry":
        return "google.api_core.retry"
    return qualified


def _decorator(node: ast.expr, names: Names, where: Where, function: str) -> RetryWrapper | None:
    func = node.func if isinstance(node, ast.Call) else node
    origin = _origin(func, names)
    if origin in DECORATORS:
        call = node if isinstance(node, ast.Call) else ast.Call(func, [], [])
        ast.copy_location(call, node)
        return _settings(call, names, where, function)
    return None


def _settings(node: ast.Call, names: Names, where: Where, function: str) -> RetryWrapper:
    origin = _origin(node.func, names)
    kws = keywords(node) or {}
    line, col, cell = where.at(node)
    if origin == "backoff.on_exception":
        exc = node.args[1] if len(node.args) > 1 else kws.get("exception")
        catches: Catches = "status" if "giveup" in kws else _exceptions(exc, names)
        bounded = bool({"max_tries", "max_time"} & kws.keys())
        gen = names.qualify(node.args[0].func if node.args and isinstance(node.args[0], ast.Call)
                            else node.args[0]) if node.args else ""
        delay_node = kws.get("interval") if gen.endswith("constant") else kws.get("factor")
        delay = names.number(delay_node) if delay_node is not None else None
        return RetryWrapper("backoff", line, col, cell, function, catches, bounded, False, delay,
                            where.span(delay_node) if delay is not None and delay_node else None,
                            "backoff.on_exception")
    if origin.startswith("google.api_core"):
        predicate = kws.get("predicate")
        catches = _predicate(predicate, names) if predicate is not None else "specific"
        delay_node = kws.get("initial")
        delay = names.number(delay_node) if delay_node is not None else 1.0
        return RetryWrapper("api_core", line, col, cell, function, catches, True, False, delay,
                            where.span(delay_node) if delay_node is not None and delay is not None
                            else None, "google.api_core.retry.Retry")
    kind: RetryKind = "tenacity"
    retry_node = kws.get("retry")
    catches = "everything" if retry_node is None else _tenacity_filter(retry_node, names)
    wait, wait_node = _tenacity_wait(kws.get("wait"), names)
    detail = "@retry" if origin == "tenacity.retry" else origin.rpartition(".")[2]
    return RetryWrapper(kind, line, col, cell, function, catches, "stop" in kws, False, wait,
                        where.span(wait_node) if wait_node is not None and wait is not None else None,
                        detail)


def _exceptions(given: ast.AST | None, names: Names) -> Catches:
    node = names.value(given)
    items = node.elts if isinstance(node, (ast.Tuple, ast.List)) else [node] if node else []
    kinds = {last_name(e) for e in items if e is not None}
    if not kinds or kinds & BROAD:
        return "everything"
    if kinds & API:
        return "api-error"
    return "specific" if all(kinds) else "unknown"


def _tenacity_filter(node: ast.AST, names: Names) -> Catches:
    node = names.value(node) or node
    if isinstance(node, ast.BinOp):  # retry_a | retry_b: the broadest side wins
        sides = [_tenacity_filter(node.left, names), _tenacity_filter(node.right, names)]
        order: list[Catches] = ["everything", "api-error", "unknown", "status", "specific"]
        return next(o for o in order if o in sides)
    if isinstance(node, ast.Call):
        kind = last_name(node.func)
        if kind == "retry_if_exception_type":
            arg = node.args[0] if node.args else (keywords(node) or {}).get("exception_types")
            return _exceptions(arg, names) if arg is not None else "everything"
        if kind in ("retry_if_exception", "retry_if_not_exception_type", "retry_if_result",
                    "retry_if_exception_message"):
            return "status"
    if isinstance(node, (ast.Name, ast.Attribute, ast.Lambda)):
        return "status" if last_name(node) != "retry_always" else "everything"
    return "unknown"


def _predicate(node: ast.AST, names: Names) -> Catches:
    node = names.value(node) or node
    if isinstance(node, ast.Call) and last_name(node.func) == "if_exception_type":
        return _exceptions(ast.Tuple(list(node.args)), names)
    return "status"


def _tenacity_wait(node: ast.AST | None, names: Names) -> tuple[float | None, ast.AST | None]:
    """Seconds before the first retry: no ``wait=`` waits 0 s (tenacity's wait_none)."""
    if node is None:
        return 0.0, None
    node = names.value(node) or node
    if isinstance(node, ast.BinOp):  # wait_fixed(1) + wait_random(0, 2): the fixed part
        return _tenacity_wait(node.left, names)
    if not isinstance(node, ast.Call):
        return None, None
    kind, kws = last_name(node.func), keywords(node) or {}
    if kind == "wait_fixed":
        arg = node.args[0] if node.args else kws.get("wait")
        return names.number(arg), arg
    if kind == "wait_exponential":
        multiplier, low = kws.get("multiplier"), kws.get("min")
        factor = names.number(multiplier) if multiplier is not None else 1.0
        floor = names.number(low) if low is not None else 0.0
        if factor is None or floor is None:
            return None, None
        return max(factor, floor), (low if low is not None and floor >= factor else multiplier)
    if kind == "wait_exponential_jitter":
        initial = node.args[0] if node.args else kws.get("initial")
        return (names.number(initial), initial) if initial is not None else (1.0, None)
    if kind == "wait_none":
        return 0.0, node
    return None, None


def _loop(loop: ast.For | ast.AsyncFor | ast.While, body: list[ast.AST], names: Names,
          where: Where) -> RetryWrapper | None:
    """A hand-written retry: a while loop or ``for _ in range(...)`` whose try/except sleeps or
    continues, and whose try leaves the loop on success (``break`` / ``return``)."""
    ranged = isinstance(loop, (ast.For, ast.AsyncFor)) and isinstance(loop.iter, ast.Call) \
        and last_name(loop.iter.func) == "range"
    if not (isinstance(loop, ast.While) or ranged):
        return None
    for node in body:
        if not isinstance(node, ast.Try):
            continue
        success = [n for stmt in node.body + node.orelse for n in [stmt, *walk_local(stmt)]]
        if not any(isinstance(n, (ast.Break, ast.Return)) for n in success):
            continue
        for handler in node.handlers:
            inner = [n for stmt in handler.body for n in [stmt, *walk_local(stmt)]]
            sleeps = [n for n in inner if isinstance(n, ast.Call) and last_name(n.func) in SLEEPS]
            if not sleeps and not any(isinstance(n, ast.Continue) for n in inner):
                continue
            exits = any(isinstance(n, (ast.Raise, ast.Return, ast.Break)) for n in inner)
            forever = isinstance(loop, ast.While) and isinstance(loop.test, ast.Constant) \
                and bool(loop.test.value) and not exits
            delay_node = sleeps[0].args[0] if sleeps and sleeps[0].args else None
            delay = names.number(delay_node) if delay_node is not None else None
            line, col, cell = where.at(loop)
            return RetryWrapper("loop", line, col, cell, "", _handler(handler, inner, names),
                                not forever, forever, delay,
                                where.span(delay_node) if delay is not None and delay_node else None,
                                "while loop" if isinstance(loop, ast.While) else "for loop")
    return None


def _handler(handler: ast.ExceptHandler, inner: list[ast.AST], names: Names) -> Catches:
    catches = _exceptions(handler.type, names)
    if catches in ("everything", "api-error") and handler.name:
        looks = any(isinstance(n, ast.Attribute) and n.attr in STATUS_WORDS
                    and isinstance(n.value, ast.Name) and n.value.id == handler.name for n in inner)
        if looks:
            return "status"
    return catches


def _retrying_for(loop: ast.For | ast.AsyncFor | ast.While, names: Names,
                  where: Where) -> RetryWrapper | None:
    """``for attempt in Retrying(...): with attempt: ...`` (tenacity's loop form)."""
    if isinstance(loop, ast.While) or not isinstance(loop.iter, ast.Call):
        return None
    origin = _origin(loop.iter.func, names)
    if origin not in ("tenacity.Retrying", "tenacity.AsyncRetrying"):
        return None
    return _settings(loop.iter, names, where, "")


__all__ = ["chain", "find_retries"]
