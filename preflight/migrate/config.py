"""``types.GenerateContentConfig(...)`` from the legacy configuration arguments.

Legacy code spreads configuration over ``GenerativeModel(...)`` and each call:
``system_instruction``, ``generation_config`` (a dict or a ``GenerationConfig``),
``safety_settings`` (a dict or a list of dicts), ``tools``. google-genai takes
one ``config``. :func:`build` translates what it understands with certainty
and raises :class:`ByHand` with the reason otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import libcst as cst

from preflight.migrate.legacy import Names, dotted

# Fields of the legacy GenerationConfig, each a field of types.GenerateContentConfig.
GENERATION_FIELDS = frozenset({
    "candidate_count", "stop_sequences", "max_output_tokens", "temperature", "top_p", "top_k",
    "seed", "response_mime_type", "response_schema", "presence_penalty", "frequency_penalty",
    "response_logprobs", "logprobs",
})
CONFIG_PARTS = ("system_instruction", "generation_config", "safety_settings", "tools")


class ByHand(Exception):
    """Something the codemod cannot translate with certainty (the message says why)."""


def types_attr(*names: str) -> cst.BaseExpression:
    node: cst.BaseExpression = cst.Name("types")
    for name in names:
        node = cst.Attribute(node, cst.Name(name))
    return node


def kw(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(value=value, keyword=cst.Name(name),
                   equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))


def call(func: cst.BaseExpression, args: Sequence[cst.Arg]) -> cst.Call:
    return cst.Call(func=func, args=list(_commas(args)))


def _commas(args: Sequence[cst.Arg]) -> list[cst.Arg]:
    out = []
    for i, arg in enumerate(args):
        comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if i < len(args) - 1 \
            else cst.MaybeSentinel.DEFAULT
        out.append(arg.with_changes(comma=comma))
    return out


def build(parts: dict[str, cst.BaseExpression], names: Names,
          uses_types: Callable[[], None]) -> cst.BaseExpression | None:
    """The ``config=`` value for the legacy ``parts``, or None when there are none."""
    if not parts:
        return None
    generation = parts.get("generation_config")
    if set(parts) == {"generation_config"} and generation is not None \
            and isinstance(generation, cst.Name | cst.Attribute):
        return generation  # a variable holding a GenerationConfig (itself translated)
    args: list[cst.Arg] = []
    if "system_instruction" in parts:
        args.append(kw("system_instruction", parts["system_instruction"]))
    if generation is not None:
        args += _generation(generation, names)
    if "safety_settings" in parts:
        args.append(kw("safety_settings", safety(parts["safety_settings"], names, uses_types)))
    if "tools" in parts:
        args.append(kw("tools", _tools(parts["tools"], uses_types)))
    uses_types()
    return call(types_attr("GenerateContentConfig"), args)


def _generation(node: cst.BaseExpression, names: Names) -> list[cst.Arg]:
    if isinstance(node, cst.Dict):
        args = []
        for element in node.elements:
            if not isinstance(element, cst.DictElement) or not isinstance(
                    element.key, cst.SimpleString):
                raise ByHand("generation_config with computed keys")
            key = element.key.evaluated_value
            if not isinstance(key, str) or key not in GENERATION_FIELDS:
                raise ByHand(f"generation_config key {key!r} has no GenerateContentConfig field")
            args.append(kw(key, element.value))
        return args
    if isinstance(node, cst.Call) and names.resolve(node.func) in ("GenerationConfig",
                                                                   "types.GenerationConfig"):
        return generation_keywords(node)
    if isinstance(node, cst.Call) and _is(node.func, "types.GenerateContentConfig"):
        return list(node.args)  # translated already (a GenerationConfig inside the call)
    raise ByHand("generation_config is not a literal: merge it into types.GenerateContentConfig")


def generation_keywords(node: cst.Call) -> list[cst.Arg]:
    args = []
    for arg in node.args:
        name = arg.keyword.value if arg.keyword else None
        if name is None or name not in GENERATION_FIELDS:
            raise ByHand("GenerationConfig argument without a GenerateContentConfig field")
        args.append(kw(name, arg.value))
    return args


def safety(node: cst.BaseExpression, names: Names, uses_types: Callable[[], None]) -> cst.List:
    """Legacy safety settings (dict, list of dicts, list of SafetySetting) as SafetySetting list."""
    pairs: list[tuple[cst.BaseExpression, cst.BaseExpression]] = []
    if isinstance(node, cst.Dict):
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                raise ByHand("safety_settings with ** entries")
            pairs.append((element.key, element.value))
    elif isinstance(node, cst.List | cst.Tuple):
        for item in node.elements:
            pairs.append(_setting(item.value, names))
    else:
        raise ByHand("safety_settings is not a literal")
    uses_types()
    settings = [call(types_attr("SafetySetting"),
                     [kw("category", _enum(c, "HarmCategory", "HARM_CATEGORY_", names)),
                      kw("threshold", _enum(t, "HarmBlockThreshold", "BLOCK_", names))])
                for c, t in pairs]
    return cst.List([cst.Element(s) for s in settings])


def _setting(item: cst.BaseExpression,
             names: Names) -> tuple[cst.BaseExpression, cst.BaseExpression]:
    found: dict[str, cst.BaseExpression] = {}
    if isinstance(item, cst.Dict):
        for element in item.elements:
            if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                found[str(element.key.evaluated_value)] = element.value
    elif isinstance(item, cst.Call) and (names.resolve(item.func) in (
            "SafetySetting", "types.SafetySetting") or _is(item.func, "types.SafetySetting")):
        found = {a.keyword.value: a.value for a in item.args if a.keyword}
    if set(found) != {"category", "threshold"}:
        raise ByHand("a safety setting that is not {category, threshold}")
    return found["category"], found["threshold"]


def _enum(node: cst.BaseExpression, enum: str, prefix: str, names: Names) -> cst.BaseExpression:
    """``types.HarmCategory.HARM_CATEGORY_X`` from the legacy enum member or its full name."""
    member: str | None = None
    if isinstance(node, cst.SimpleString) and isinstance(node.evaluated_value, str):
        member = node.evaluated_value
    elif (written := dotted(node)) and written.startswith(f"types.{enum}."):
        member = written.rsplit(".", 1)[1]  # translated already
    else:
        legacy = names.resolve(node)
        if legacy and legacy.rsplit(".", 2)[-2:-1] == [enum]:
            member = legacy.rsplit(".", 1)[1]
    if member is None or not (member.startswith(prefix) or member == "OFF") or not member.isupper():
        raise ByHand(f"{enum} value that is not a full member name")
    return types_attr(enum, member)


def _tools(node: cst.BaseExpression, uses_types: Callable[[], None]) -> cst.BaseExpression:
    if isinstance(node, cst.SimpleString) and node.evaluated_value == "code_execution":
        uses_types()
        tool = call(types_attr("Tool"),
                    [kw("code_execution", call(types_attr("ToolCodeExecution"), []))])
        return cst.List([cst.Element(tool)])
    if isinstance(node, cst.List | cst.Tuple) and all(
            isinstance(e.value, cst.Name) for e in node.elements):
        return cst.List([cst.Element(e.value) for e in node.elements])  # Python functions
    raise ByHand("tools other than Python functions or 'code_execution'")


def _is(node: cst.BaseExpression, name: str) -> bool:
    return dotted(node) == name
