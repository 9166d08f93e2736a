"""The schema of the configuration file (pydantic), imported only when a file is read.

Kept apart from :mod:`preflight.config` so that a run without a configuration
file (a pre-commit hook on a few source files) never imports pydantic.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ConfigModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    fail_on: Literal["error", "warning", "info", "never"] | None = Field(None, alias="fail-on")
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict, alias="per-file-ignores")
    exclude: list[str] = Field(default_factory=list)
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)
    today: date | None = None

    @field_validator("select", "ignore", "exclude", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        return [p.strip() for p in value.split(",") if p.strip()] if isinstance(value, str) else value

    @field_validator("per_file_ignores", mode="before")
    @classmethod
    def _comma_values(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        return {k: cls._comma_list(v) for k, v in value.items()}


def allowed_keys() -> list[str]:
    return sorted(f.alias or name for name, f in ConfigModel.model_fields.items())
