"""The types every stage shares: options in, a result out, and the one usage error.

This module is the bottom layer of the pipeline: it imports nothing from
``preflight`` but :mod:`preflight.findings` (and, for type checking only, the
modules whose types it names), so the API, the audit, the probes, the
post-processing step and the report formats can all use it without importing
each other. :mod:`preflight.api` re-exports these names.
"""

from __future__ import annotations

import os
import time
import types
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from preflight.findings import Finding, Severity

if TYPE_CHECKING:
    from preflight.baseline import BaselineReport
    from preflight.paths import FilePath
    from preflight.rule import Rule
    from preflight.suppress import Mark

FAIL_ON = ("error", "warning", "info", "never")
DEFAULT_TIMEOUT_S = 10.0


class UsageError(Exception):
    """The tool cannot do its job with what it was given (exit 2)."""


@dataclass(frozen=True)
class ProbeSettings:
    """How to probe live (preflight/probes): which environments, which extra hosts,
    how long each call may take."""

    envs: tuple[str, ...] = ()  # empty: the only environment (several need --env)
    allow_hosts: tuple[str, ...] = ()
    timeout: float = DEFAULT_TIMEOUT_S
    sleep: Callable[[float], None] = time.sleep  # backoff between retries (tests pass a no-op)
    environ: Mapping[str, str] | None = None  # default: os.environ


@dataclass(frozen=True)
class Options:
    """Everything a run is told: which rules, which date, what post-processing."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    today: date | None = None
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # From the configuration file: globs relative to ``root`` (default: the
    # working folder), applied by preflight/postprocess.py.
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    root: Path | None = None
    live: ProbeSettings | None = None  # live probes (`probe`, `check --live`): preflight/probes
    baseline: Path | None = None  # let the findings recorded there pass
    write_baseline: Path | None = None  # record what is left there
    fail_on: str = "warning"  # one of FAIL_ON: the lowest severity that fails the run

    @property
    def effective_today(self) -> date:
        return self.today or date.today()

    @property
    def fail_severity(self) -> Severity | None:
        return None if self.fail_on == "never" else Severity.parse(self.fail_on)


class RuleCrash(NamedTuple):
    """A rule that raised instead of yielding problems; the run goes on."""

    rule_id: str
    where: str
    error: str

    def __str__(self) -> str:
        return f"rule {self.rule_id} crashed on {self.where}: {self.error}"


@dataclass
class Result:
    """What a run found: findings (sorted), inputs that could not be read, rule crashes."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    crashes: list[RuleCrash] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)  # display paths of the inputs
    files: list[FilePath] = field(default_factory=list)  # the same inputs' identities
    rules: list[Rule] = field(default_factory=list)
    baseline: BaselineReport | None = None  # set when a baseline was applied
    notes: list[str] = field(default_factory=list)  # files skipped or searched as text, and why
    baseline_notes: list[str] = field(default_factory=list)  # what the baseline step did
    # Suppression comments the scans found, by absolute path (None: not collected, e.g. a
    # result put together by hand; post-processing then reads the files itself).
    suppressions: dict[str, list[Mark]] | None = None
    fail_on: Severity | None = Severity.WARNING  # from the options, set by the API
    post_processed: bool = False  # preflight/postprocess.py has run on it

    def add(self, other: Result) -> None:
        """Take in what one stage found (its rules are those of this run)."""
        self.findings.extend(other.findings)
        self.errors.extend(other.errors)
        self.crashes.extend(other.crashes)
        self.inputs.extend(other.inputs)
        self.files.extend(other.files)
        self.notes.extend(other.notes)
        if other.suppressions is not None:
            self.suppressions = {**(self.suppressions or {}), **other.suppressions}

    def finish(self) -> Result:
        self.findings.sort(key=Finding.sort_key)
        self.errors.sort()
        self.inputs = sorted(set(self.inputs))  # manifests in one folder share their sources
        self.files = sorted(set(self.files), key=lambda f: f.display)
        return self

    def exit_code(self, fail_on: Severity | types.EllipsisType | None = ...) -> int:
        """0 clean, 1 findings at or above ``fail_on`` (default: the run's), 2 the tool failed."""
        if self.errors or self.crashes:
            return 2
        threshold = self.fail_on if isinstance(fail_on, types.EllipsisType) else fail_on
        return 1 if fails(self.findings, threshold) else 0


def fails(findings: Iterable[Finding], fail_on: Severity | None) -> bool:
    """True when a finding is at or above ``fail_on`` (``None`` = never fail)."""
    return fail_on is not None and any(f.severity >= fail_on for f in findings)


def display_path(path: Path) -> str:
    """A path as reports show it: relative to the working folder when inside it."""
    try:
        return Path(os.path.relpath(path)).as_posix() if path.is_absolute() else path.as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()
