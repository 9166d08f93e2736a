"""The Python API that the command line is a thin layer over.

>>> from preflight.api import Options, check
>>> result = check([Path("gemini-deploy.yaml")], Options())   # doctest: +SKIP
>>> [str(f.location) for f in result.findings]                  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from preflight import engine
from preflight.findings import Finding, Location, Severity
from preflight.loader import LoadError, load_yaml
from preflight.rule import ManifestContext, Problem, Rule

if TYPE_CHECKING:
    from preflight.baseline import BaselineReport
    from preflight.manifest import Manifest
    from preflight.probes import ProbeSettings


class UsageError(Exception):
    """The tool cannot do its job with what it was given (exit 2)."""


@dataclass(frozen=True)
class Options:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    today: date | None = None
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # From the configuration file (preflight/config.py): globs relative to ``root``
    # (default: the working folder), applied by preflight/postprocess.py.
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    root: Path | None = None
    live: ProbeSettings | None = None  # live probes (`probe`, `check --live`): preflight/probes

    @property
    def effective_today(self) -> date:
        return self.today or date.today()


@dataclass
class Result:
    """What a run found: findings (sorted), inputs that could not be read, rule crashes."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    crashes: list[engine.RuleCrash] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    baseline: BaselineReport | None = None  # set when a baseline was applied
    notes: list[str] = field(default_factory=list)  # files skipped or searched as text, and why

    def finish(self) -> Result:
        self.findings.sort(key=Finding.sort_key)
        self.errors.sort()
        self.inputs = sorted(set(self.inputs))  # manifests in one folder share their sources
        return self

    def exit_code(self, fail_on: Severity | None) -> int:
        """0 clean, 1 findings at or above ``fail_on``, 2 the tool could not do its job."""
        if self.errors or self.crashes:
            return 2
        return 1 if engine.fails(self.findings, fail_on) else 0


def display_path(path: Path) -> str:
    """A path as reports show it: relative to the working folder when inside it."""
    try:
        return Path(os.path.relpath(path)).as_posix() if path.is_absolute() else path.as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def find_manifests(paths: Sequence[Path]) -> list[Path]:
    """Manifests named on the command line, or found by name in the folders given."""
    from preflight.manifest import MANIFEST_NAMES

    found: list[Path] = []
    for path in paths or [Path(".")]:
        if path.is_dir():
            names = [path / n for n in MANIFEST_NAMES if (path / n).is_file()]
            if not names:
                raise UsageError(
                    f"no manifest in {display_path(path)} "
                    f"(looked for {', '.join(MANIFEST_NAMES)})"
                )
            found.extend(names)
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            raise UsageError(f"{display_path(path)}: no such file or folder")
    return found


def active_rules(options: Options) -> list[Rule]:
    rules = engine.select_rules(engine.all_rules().values(), options.select, options.ignore)
    # probe-only rules (GP9xx) run only with live probes; otherwise they are not "run" at all
    return [r for r in rules if options.live is not None or r.kinds != ["probe"]]


def check(paths: Sequence[Path], options: Options) -> Result:
    """Lint each manifest found in ``paths``."""
    result = Result(rules=active_rules(options))
    for path in find_manifests(paths):
        check_manifest(path, options, result)
    return result.finish()


def check_manifest(path: Path, options: Options, result: Result,
                   sources: bool = True) -> Manifest | None:
    """Lint one manifest into ``result``; the parsed manifest, or None when it is invalid."""
    from preflight.catalog import load_catalog
    from preflight.manifest import ManifestError, parse_manifest

    shown = display_path(path)
    result.inputs.append(shown)
    try:
        document = load_yaml(path)
        document.path = shown
        manifest = parse_manifest(document)
    except (LoadError, ManifestError) as exc:
        result.errors.append(str(exc))
        return None
    except (Exception, RecursionError) as exc:  # never a traceback: the other manifests go on
        result.errors.append(f"{shown}: cannot be read ({type(exc).__name__})")
        return None
    context = ManifestContext(
        manifest=manifest,
        document=document,
        catalog=load_catalog(),
        today=options.effective_today,
        options=options.rule_options,
    )

    def locate(problem: Problem) -> Location:
        if problem.line:
            return Location(shown, problem.line, problem.column)
        mark = document.locate(problem.path, problem.on)
        return Location(shown, mark.line, mark.column)

    def stage_of(problem: Problem) -> str:
        return manifest.stage_of(problem.env)

    run = engine.run(result.rules, "manifest", context, locate, stage_of, shown)
    result.findings.extend(run.findings)
    result.crashes.extend(run.crashes)
    if options.live is not None:
        from preflight.probes import run_live

        run_live(context, locate, stage_of, options.live, result)
    if sources:  # the code the manifest declares (``audit`` scans the whole tree itself)
        from preflight.audit import scan_declared_sources

        scan_declared_sources(path, manifest, options, result)
    return manifest


def probe(paths: Sequence[Path], options: Options, settings: ProbeSettings) -> Result:
    """Live probes (network) of the chosen environments of each manifest: GP9xx findings only."""
    from dataclasses import replace

    live = replace(options, live=settings)
    result = Result(rules=[r for r in active_rules(live) if r.check_probe is not None])
    for path in find_manifests(paths):
        check_manifest(path, live, result, sources=False)
    return result.finish()


def audit(paths: Sequence[Path], options: Options, no_ignore: bool = False,
          jobs: int | None = None, progress: Callable[[int, int], None] | None = None,
          max_bytes: int | None = None) -> Result:
    """Scan files and folders (code, notebooks, dependency files, secrets, manifests)."""
    from preflight import audit as auditing

    settings = auditing.ScanSettings(no_ignore, jobs, max_bytes or auditing.ScanSettings.max_bytes,
                                      progress)
    return auditing.audit(paths, options, settings)
