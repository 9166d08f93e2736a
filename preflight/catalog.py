"""The model catalog: which Gemini models exist, their stage, dates, limits and locations.

The data lives in ``preflight/data/catalog.yaml``; this module loads and validates it and
answers questions about model IDs (lookup under any spelling, status on a date, did-you-mean).
Nothing here reads the clock: callers pass ``today``.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, TypeVar, cast

Stage = Literal["ga", "preview", "experimental"]
Status = Literal["active", "deprecated", "retired"]

STAGES = frozenset({"ga", "preview", "experimental"})
TIERS = frozenset({"pro", "flash", "flash-lite", "other"})
TASKS = frozenset({"text", "image-generation", "video-generation", "embedding", "live", "tts"})
THINKING = frozenset({"levels", "budget", "none"})
TOOLS = frozenset({"function-calling", "code-execution", "google-search", "file-search", "computer-use"})
ROUTES = frozenset({"developer-api", "vertex"})
FEATURES = frozenset({"context-caching", "batch"})
LEVELS = frozenset({"minimal", "low", "medium", "high"})

_OPTIONAL = ("shutdown_by_route", "notes", "default_thinking_level", "features")
_PREFIX = re.compile(
    r"^(?:(?:projects/[^/]+/locations/[^/]+/)?publishers/google/models/|models/|google/)",
    re.IGNORECASE,
)
T = TypeVar("T")


class CatalogError(Exception):
    """The catalog data file is missing, unreadable or invalid."""


def normalize_model_id(model_id: str) -> str:
    """Strip resource-name prefixes: ``models/x``, ``publishers/google/models/x``,
    ``projects/p/locations/l/publishers/google/models/x`` and ``google/x`` all give ``x``.

    ``tunedModels/…``, other publishers and other resource names are returned unchanged
    (apart from surrounding whitespace).
    """
    text = model_id.strip()
    rest = _PREFIX.sub("", text, count=1)
    return rest if rest and "/" not in rest else text


@dataclass(frozen=True)
class Model:
    """One catalog entry. ``None`` in a field means "unknown"."""

    id: str
    aliases: tuple[str, ...]
    family: str
    tier: str
    stage: Stage
    released: date | None
    shutdown: date | None
    shutdown_by_route: Mapping[str, date] = field(hash=False)
    replacement: str | None
    task: str
    input_token_limit: int | None
    output_token_limit: int | None
    thinking: str | None
    tools: frozenset[str] | None
    locations: frozenset[str] | None
    notes: str
    source: str
    as_of: date
    default_thinking_level: str | None = None
    features: frozenset[str] | None = None

    def shutdown_for(self, route: str | None = None) -> date | None:
        """The shutdown date on ``route`` (earliest on any route when ``route`` is None).

        When per-route dates are recorded, a route without one has no announced shutdown.
        """
        if route is not None and self.shutdown_by_route:
            return self.shutdown_by_route.get(route)
        return self.shutdown

    def status(self, today: date, route: str | None = None) -> Status:
        """``retired`` on/after the shutdown date, ``deprecated`` before it, else ``active``."""
        when = self.shutdown_for(route)
        if when is None:
            return "active"
        return "retired" if when <= today else "deprecated"


_REQUIRED = tuple(f.name for f in fields(Model) if f.name not in _OPTIONAL)


@dataclass(frozen=True, eq=False)
class Catalog:
    """All models by canonical id, plus the SDK facts (``sdk`` section of the data file)."""

    models: Mapping[str, Model]
    sdk: Mapping[str, Mapping[str, Any]]
    as_of: date | None = None  # when the catalog as a whole was last checked
    source: str = ""  # where the catalog's facts come from, as a whole (each model names its own)
    _index: Mapping[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, str] = {}
        for model in self.models.values():
            for name in (model.id, *model.aliases):
                index[name.lower()] = model.id
        object.__setattr__(self, "_index", MappingProxyType(index))

    def get(self, model_id: str) -> Model | None:
        """The model under any spelling (resource name, alias, ``name@NNN``), else None."""
        key = normalize_model_id(model_id).lower()
        base, _, version = key.partition("@")
        for candidate in (key, f"{base}-{version}", base) if version else (key,):
            if candidate in self._index:
                return self.models[self._index[candidate]]
        return None

    def suggest(self, model_id: str, today: date) -> str | None:
        """A did-you-mean for an unknown ID: a close spelling, else the newest model of the
        same tier and task. Never a retired model; None when the ID is known or not Gemini-like.
        """
        import difflib  # loads with the first did-you-mean, not with the catalog

        key = normalize_model_id(model_id).lower()
        if self.get(key) is not None:
            return None
        live = [m for m in self.models.values() if m.status(today) != "retired"]
        # 1. A typo: close spelling with the same digits (a version change is not a typo).
        digits = re.sub(r"\D", "", key)
        names = {
            name.lower(): m.id
            for m in live
            for name in (m.id, *m.aliases)
            if re.sub(r"\D", "", name) == digits
        }
        close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.85)
        if close:
            return names[close[0]]
        # 2. A plausible but unknown Gemini ID: newest model of the same tier and task.
        first = key.split("-", 1)[0]
        if difflib.SequenceMatcher(None, first, "gemini").ratio() < 0.8:
            return None
        task, tier = _guess_task_and_tier(key)
        if tier is None and task == "text":
            return None
        pool = [
            m for m in live if m.task == task and m.released is not None and (tier is None or m.tier == tier)
        ]
        if not pool:
            return None
        best = max(pool, key=lambda m: (m.released or date.min, m.id))
        # A preview whose GA successor is known (gemini-embedding-2-preview -> gemini-embedding-2).
        successor = self.models.get(best.replacement or "")
        return successor.id if successor and successor.status(today) != "retired" else best.id

    def sdk_minimum(self, package: str) -> str | None:
        """The minimum recommended version of ``package`` (e.g. "1.56.0" for google-genai)."""
        value = self.sdk.get(package, {}).get("minimum")
        return value if isinstance(value, str) else None

    def sdk_boundaries(self, package: str) -> list[tuple[str, str]]:
        """``(version, change)`` pairs where ``package`` changed behaviour, oldest first."""
        items = self.sdk.get(package, {}).get("boundaries") or []
        return [(str(b["version"]), str(b["change"])) for b in items]


def _guess_task_and_tier(key: str) -> tuple[str, str | None]:
    import difflib

    words = key.split("-")
    tasks = {"image": "image-generation", "tts": "tts", "live": "live", "embedding": "embedding"}
    task = next((tasks[w] for w in words if w in tasks), "text")
    found = {m for w in words for m in difflib.get_close_matches(w, ["flash", "pro", "lite"], 1, 0.8)}
    tier = "flash-lite" if "lite" in found else next((t for t in ("flash", "pro") if t in found), None)
    return task, tier


def load_catalog(path: Path | None = None) -> Catalog:
    """Load and validate a catalog file; the packaged one (cached) when ``path`` is None."""
    return _default_catalog() if path is None else _read(path)


@functools.lru_cache(maxsize=1)
def _default_catalog() -> Catalog:
    from preflight.datafiles import data_path, json_copy

    source = data_path("catalog.yaml")
    data = json_copy("catalog.yaml")  # the same data, without a YAML parser, when current
    return _read(source) if data is None else _validate(data, source)


def _read(source: Path) -> Catalog:
    import yaml

    try:
        from preflight.files import read_file

        text = read_file(source, 16 * 1024 * 1024).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot read model catalog {source}: {exc}") from exc
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise CatalogError(f"{source}: not valid YAML: {exc}") from exc
    return _validate(data, source)


def _validate(data: Any, source: Path) -> Catalog:
    """The catalog in ``data`` (parsed from ``source``), checked entry by entry."""
    sdk = data.get("sdk") or {} if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("models"), list) or not isinstance(sdk, dict):
        raise CatalogError(f"{source}: expected a mapping with a 'models' list and an 'sdk' mapping")
    extra = sorted(set(data) - {"models", "sdk", "as_of", "source"})
    if extra:
        raise CatalogError(f"{source}: unknown top-level keys {extra}")
    try:
        as_of = _convert(data, "as_of", date)
        origin = _convert(data, "source", str) or ""
    except TypeError as exc:
        raise CatalogError(f"{source}: {exc}") from exc
    models: dict[str, Model] = {}
    seen: set[str] = set()
    for i, raw in enumerate(data["models"]):
        ident = f" ({raw['id']})" if isinstance(raw, dict) and "id" in raw else ""
        label = f"{source}: models[{i}]{ident}"
        try:
            model = _model(raw)
        except (ValueError, TypeError, AttributeError) as exc:
            raise CatalogError(f"{label}: {exc}") from exc
        for spelling in (model.id.lower(), *(a.lower() for a in model.aliases)):
            if spelling in seen:
                raise CatalogError(f"{label}: id or alias {spelling!r} is listed twice")
            seen.add(spelling)
        models[model.id] = model
    for model in models.values():
        if model.replacement is not None and model.replacement not in models:
            raise CatalogError(f"{source}: models ({model.id}): replacement {model.replacement!r} is unknown")
    for package, facts in sdk.items():
        bounds = facts.get("boundaries") or [] if isinstance(facts, dict) else None
        if not isinstance(bounds, list) or any(
            not isinstance(b, dict) or len({"version", "change"} - set(b)) for b in bounds
        ):
            raise CatalogError(f"{source}: sdk ({package}): needs a mapping; boundaries need version, change")
    frozen_sdk = {k: MappingProxyType(dict(v)) for k, v in sdk.items()}
    if as_of is None and models:
        as_of = max(m.as_of for m in models.values())
    return Catalog(models=MappingProxyType(models), sdk=MappingProxyType(frozen_sdk), as_of=as_of,
                   source=origin)


def _model(raw: object) -> Model:
    if not isinstance(raw, dict):
        raise TypeError("entry must be a mapping")
    missing = [k for k in _REQUIRED if k not in raw]
    unknown = sorted(set(raw) - set(_REQUIRED) - set(_OPTIONAL))
    if missing or unknown:
        raise ValueError(f"missing fields {missing}, unknown fields {unknown}")
    for key in ("id", "family", "source"):
        if not isinstance(raw[key], str) or not raw[key]:
            raise TypeError(f"{key} must be a non-empty string")
    for key, allowed in (("stage", STAGES), ("tier", TIERS), ("task", TASKS), ("thinking", THINKING)):
        if not (raw[key] in allowed if isinstance(raw[key], str) else key == "thinking" and raw[key] is None):
            raise ValueError(f"{key} {raw[key]!r} is not one of {sorted(allowed)}")
    tools, locations = _convert(raw, "tools", list), _convert(raw, "locations", list)
    if tools is not None and set(tools) - TOOLS:
        raise ValueError(f"unknown tools {sorted(set(tools) - TOOLS)}")
    features, level = _convert(raw, "features", list), _convert(raw, "default_thinking_level", str)
    if features is not None and set(features) - FEATURES:
        raise ValueError(f"unknown features {sorted(set(features) - FEATURES)}")
    if level is not None and level not in LEVELS:
        raise ValueError(f"default_thinking_level {level!r} is not one of {sorted(LEVELS)}")
    routes = raw.get("shutdown_by_route") or {}
    dates = {str(k): _convert(routes, k, date) for k in routes}
    if None in dates.values() or set(dates) - ROUTES:
        raise ValueError(f"shutdown_by_route must map routes {sorted(ROUTES)} to dates, got {routes!r}")
    by_route = cast(dict[str, date], dates)
    shutdown = _convert(raw, "shutdown", date)
    if by_route and shutdown != min(by_route.values()):
        raise ValueError("shutdown must be the earliest date in shutdown_by_route")
    replacement, as_of = _convert(raw, "replacement", str), _convert(raw, "as_of", date)
    if as_of is None:
        raise ValueError("as_of must be a date")
    if replacement == raw["id"]:
        raise ValueError("a model cannot replace itself")
    return Model(
        id=raw["id"], aliases=tuple(_convert(raw, "aliases", list) or ()), family=raw["family"],
        tier=raw["tier"], stage=cast(Stage, raw["stage"]), released=_convert(raw, "released", date),
        shutdown=shutdown, shutdown_by_route=MappingProxyType(by_route), replacement=replacement,
        task=raw["task"], input_token_limit=_convert(raw, "input_token_limit", int),
        output_token_limit=_convert(raw, "output_token_limit", int), thinking=raw["thinking"],
        tools=None if tools is None else frozenset(tools),
        locations=None if locations is None else frozenset(locations),
        notes=_convert(raw, "notes", str) or "", source=raw["source"], as_of=as_of,
        default_thinking_level=level, features=None if features is None else frozenset(features),
    )  # fmt: skip


def _convert(raw: Mapping[str, Any], key: str, kind: type[T]) -> T | None:
    """``raw[key]`` checked as ``kind`` (lists of strings, positive ints, ISO dates); None if null."""
    value: Any = raw.get(key)
    if value is None:
        return None
    if kind is date and isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.date()
    ok = isinstance(value, kind) and not isinstance(value, bool)
    if ok and kind is int:
        ok = value > 0
    if ok and kind is list:
        ok = all(isinstance(v, str) for v in value)
    if not ok:
        expected = {date: "a date (YYYY-MM-DD)", int: "a positive integer", list: "a list of strings"}
        raise TypeError(f"{key} {value!r} must be {expected.get(kind, 'a string')} or null")
    return cast(T, value)
