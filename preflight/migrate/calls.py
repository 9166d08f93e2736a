"""Translations of single legacy calls, and the small helpers the codemod writes code with."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import libcst as cst

import preflight.migrate.config as cfg
from preflight.migrate.config import ByHand, call, kw

FILES = {"upload_file": ("files", "upload"), "get_file": ("files", "get"),
         "delete_file": ("files", "delete"), "list_files": ("files", "list"),
         "list_models": ("models", "list"), "get_model": ("models", "get")}


def embed(node: cst.Call, uses_types: Callable[[], None]) -> cst.Call:
    args = keywords(node, ("model", "content", "task_type", "title", "output_dimensionality"))
    if "model" not in args or "content" not in args:
        raise ByHand("embed_content without model= and content=")
    extra = [kw(k, args[k]) for k in ("task_type", "title", "output_dimensionality") if k in args]
    out = [kw("model", args["model"]), kw("contents", args["content"])]
    if extra:
        uses_types()
        out.append(kw("config", call(cfg.types_attr("EmbedContentConfig"), extra)))
    return call(client_attr("models", "embed_content"), out)

def files(node: cst.Call, legacy: str, uses_types: Callable[[], None]) -> cst.Call:
    service, method = FILES[legacy]
    if legacy in ("list_files", "list_models"):
        if node.args:
            raise ByHand(f"{legacy}() with arguments")
        return call(client_attr(service, method), [])
    if legacy == "upload_file":
        args = keywords(node, ("path", "mime_type", "name", "display_name"))
        if "path" not in args:
            raise ByHand("upload_file without a path")
        extra = [kw(k, args[k]) for k in ("mime_type", "name", "display_name") if k in args]
        out = [kw("file", args["path"])]
        if extra:
            uses_types()
            out.append(kw("config", call(cfg.types_attr("UploadFileConfig"), extra)))
        return call(client_attr(service, method), out)
    args = keywords(node, ("name",))
    if set(args) != {"name"}:
        raise ByHand(f"{legacy}() without exactly one name")
    return call(client_attr(service, method), [kw("model" if service == "models" else "name",
                                              args["name"])])

def vertex_type(node: cst.Call, legacy: str, uses_types: Callable[[], None]) -> cst.Call:
    uses_types()
    if legacy.endswith("SafetySetting"):
        return node.with_changes(func=cfg.types_attr("SafetySetting"))
    method = legacy.split(".", 1)[1]
    spec = {"from_uri": ("from_uri", ("file_uri", "mime_type")),
            "from_data": ("from_bytes", ("data", "mime_type")),
            "from_text": ("from_text", ("text",))}.get(method)
    if spec is None:
        raise ByHand(f"Part.{method}")
    args = keywords(node, spec[1])
    return call(cfg.types_attr("Part", spec[0]), [kw(k, v) for k, v in args.items()])


def keywords(node: cst.Call, order: Sequence[str]) -> dict[str, cst.BaseExpression]:
    """The call's arguments by name (positional ones take ``order``'s names)."""
    out: dict[str, cst.BaseExpression] = {}
    for index, arg in enumerate(node.args):
        if arg.star:
            raise ByHand("*args or **kwargs in a legacy call")
        name = arg.keyword.value if arg.keyword else (order[index] if index < len(order) else None)
        if name is None or name not in order:
            raise ByHand(f"argument {name or index + 1} has no google-genai equivalent here")
        out[name] = arg.value
    return out


def flag(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return node.value == "True"
    raise ByHand("stream= or a switch that is not a literal True/False")


def genai_attr(name: str) -> cst.Attribute:
    return cst.Attribute(cst.Name("genai"), cst.Name(name))


def client_attr(service: str, method: str, aio: bool = False) -> cst.Attribute:
    base: cst.BaseExpression = cst.Name("client")
    if aio:
        base = cst.Attribute(base, cst.Name("aio"))
    return cst.Attribute(cst.Attribute(base, cst.Name(service)), cst.Name(method))


def config_target(target: cst.BaseExpression) -> cst.BaseAssignTargetExpression:
    if isinstance(target, cst.Attribute):
        return target.with_changes(attr=cst.Name(target.attr.value + "_config"))
    if isinstance(target, cst.Name):
        return cst.Name(target.value + "_config")
    raise ByHand("a model held in something other than a name or an attribute")
