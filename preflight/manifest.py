"""The deployment manifest, schema version 1, as pydantic models.

Unknown keys are errors with a did-you-mean; every model ID spelling is
normalised to the bare ID. :func:`parse_manifest` turns a loaded
:class:`~preflight.loader.Document` into a :class:`Manifest` or raises
:class:`ManifestError` with one entry per problem, each with its key path.
"""

from __future__ import annotations

import difflib
from datetime import date
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from preflight import startup
from preflight.loader import Document, KeyPath
from preflight.manifest_names import MANIFEST_NAMES as MANIFEST_NAMES  # re-exported

Stage = Literal["development", "staging", "production"]
Route = Literal["developer-api", "vertex"]
AuthMethod = Literal[
    "api-key", "adc", "attached-service-account", "workload-identity", "service-account-key-file"
]
Task = Literal["text", "image-understanding", "image-generation"]
Workload = Literal[
    "classification", "extraction", "translation", "summarization", "routine-coding",
    "agent-subtask", "architecture-analysis", "repository-reasoning", "other",
]
ThinkingLevel = Literal["minimal", "low", "medium", "high"]
Tool = Literal["function-calling", "code-execution", "google-search", "file-search", "computer-use"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _normalize(model_id: str) -> str:
    from preflight.catalog import normalize_model_id

    return str(normalize_model_id(model_id))


class Sdk(_Strict):
    package: Literal["google-genai", "google-generativeai", "vertexai"]
    version: str | None = Field(None, description="a pin (1.52.0) or a PEP 440 specifier")

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        text = str(value) if isinstance(value, (int, float)) else value
        if isinstance(text, str) and len(text) > 200:
            raise ValueError("a version pin or specifier has at most 200 characters")
        return text


class Source(_Strict):
    paths: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)


class Auth(_Strict):
    method: AuthMethod
    api_key_env: str | None = None
    service_account: str | None = None


class Quotas(_Strict):
    billing_alerts: bool | None = None
    monthly_budget_usd: float | None = Field(None, ge=0)


class Observability(_Strict):
    log_latency: bool | None = None
    log_token_usage: bool | None = None


class Environment(_Strict):
    stage: Stage | None = Field(None, description="default: from the environment's name")
    route: Route
    project: str | None = None
    location: str | None = None
    endpoint: str | None = Field(None, description="base URL; a non-Google host is a gateway")
    auth: Auth | None = None
    quotas: Quotas | None = None
    observability: Observability | None = None


class MigrationPlan(_Strict):
    fallback: str | None = None
    owner: str | None = None
    review_by: date | None = None
    doc: str | None = None

    @field_validator("fallback")
    @classmethod
    def _fallback_id(cls, value: str | None) -> str | None:
        return None if value is None else _normalize(value)


class ModelSlot(_Strict):
    id: str
    id_env: str | None = None
    task: Task = "text"
    workload: Workload | None = None
    thinking_level: ThinkingLevel | None = None
    max_output_tokens: int | None = Field(None, gt=0)
    tools: list[Tool] = Field(default_factory=list)
    structured_output: bool | None = None
    migration_plan: MigrationPlan | None = None

    @field_validator("id")
    @classmethod
    def _model_id(cls, value: str) -> str:
        return _normalize(value)


class Retry(_Strict):
    max_retries: int | None = Field(None, ge=0, description="retries after the first attempt")
    initial_delay_s: float | None = Field(None, ge=0)
    max_delay_s: float | None = Field(None, ge=0)
    multiplier: float | None = Field(None, ge=0)
    jitter: bool | None = None
    retry_on: list[int] | None = None


class Timeouts(_Strict):
    request_s: float | None = Field(None, gt=0)


class Manifest(_Strict):
    version: Literal[1]
    app: str
    sdk: Sdk | None = None
    source: Source | None = None
    environments: dict[str, Environment] = Field(default_factory=dict)
    models: dict[str, ModelSlot] = Field(default_factory=dict)
    retry: Retry | None = None
    timeouts: Timeouts | None = None

    @model_validator(mode="after")
    def _stages_from_names(self) -> Manifest:
        for name, env in self.environments.items():
            if env.stage is None:
                object.__setattr__(env, "stage", stage_from_name(name))
        return self

    def stage_of(self, env_name: str | None) -> Stage:
        """The stage of an environment; ``None`` means the manifest as a whole,
        whose stage is the most serious of its environments."""
        if env_name is not None and env_name in self.environments:
            return self.environments[env_name].stage or stage_from_name(env_name)
        stages = {env.stage for env in self.environments.values()}
        if "production" in stages:
            return "production"
        return "staging" if "staging" in stages else "development"


def stage_from_name(name: str) -> Stage:
    lowered = name.lower()
    if lowered.startswith("prod") or lowered in {"live", "prd"}:
        return "production"
    if lowered.startswith(("stag", "preprod", "pre-prod", "uat", "qa")):
        return "staging"
    return "development"


class ManifestError(Exception):
    """A manifest that does not fit the schema: one ``(key path, message)`` per problem."""

    def __init__(self, document: Document, problems: list[tuple[KeyPath, str, str]]) -> None:
        self.document = document
        self.problems = problems  # (key path, message, "key" or "value")
        lines = []
        for path, message, on in problems:
            mark = document.locate(path, on=on)
            lines.append(f"{document.path}:{mark.line}:{mark.column}: {message}")
        super().__init__("\n".join(lines))


def parse_manifest(document: Document) -> Manifest:
    if not isinstance(document.data, dict):
        raise ManifestError(document, [((), "a manifest must be a YAML mapping (key: value)", "key")])
    startup.skip_pydantic_plugin_lookup()
    try:
        return Manifest.model_validate(document.data)
    except ValidationError as exc:
        problems = [_describe(error) for error in exc.errors(include_url=False)]
        raise ManifestError(document, problems) from None


def json_schema() -> dict[str, Any]:
    startup.skip_pydantic_plugin_lookup()
    schema = Manifest.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "gemini-preflight manifest (gemini-deploy.yaml), version 1"
    return schema


def _describe(error: Any) -> tuple[KeyPath, str, str]:
    loc: KeyPath = tuple(part for part in error["loc"] if not _is_union_tag(part))
    dotted = ".".join(str(part) for part in loc) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else "?"
        allowed = _allowed_keys(loc[:-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else "allowed: " + ", ".join(allowed)
        where = ".".join(str(p) for p in loc[:-1]) or "the top level"
        return loc, f"unknown key {key!r} in {where} ({hint})", "key"
    if kind == "missing":
        return loc, f"missing required key {dotted!r}", "key"
    got = error.get("input")
    shown = "" if isinstance(got, (dict, list)) else f", got {got!r}"
    return loc, f"{dotted}: {error['msg']}{shown}", "value"


def _is_union_tag(part: Any) -> bool:
    # pydantic adds the union member (e.g. "str", "function-after[...]") to error locations
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "float", "bool"})


def _allowed_keys(parent: KeyPath) -> list[str]:
    model: Any = Manifest
    for part in parent:
        if isinstance(part, int) or model is None:
            model = _item_type(model)
            continue
        field = model.model_fields.get(part) if _is_model(model) else None
        model = _unwrap(field.annotation) if field else _item_type(model)
    return sorted(model.model_fields) if _is_model(model) else []


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _item_type(tp: Any) -> Any:
    args = get_args(tp)
    return _unwrap(args[-1]) if args else None


def _unwrap(tp: Any) -> Any:
    """``X | None`` -> ``X``; containers stay containers (their items come later)."""
    if get_origin(tp) in (dict, list):
        return tp
    models = [arg for arg in get_args(tp) if arg is not type(None)]
    return models[0] if len(models) == 1 else tp
