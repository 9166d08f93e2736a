"""The manifest stage: find manifests, lint one, probe it live when asked.

Each step returns what it found (a :class:`preflight.core.Result` holding only
that step's findings, errors and inputs); :mod:`preflight.api` puts the steps
together, and :mod:`preflight.audit` calls :func:`check_manifest` for the
manifests it meets in a tree.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from preflight import engine
from preflight.core import Options, Result, UsageError, display_path
from preflight.findings import Location
from preflight.loader import LoadError, load_yaml
from preflight.paths import FilePath
from preflight.rule import ManifestContext, Problem, Rule

if TYPE_CHECKING:
    from preflight.manifest import Manifest


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


def check_manifest(path: Path, options: Options, rules: list[Rule]) -> tuple[Result, Manifest | None]:
    """Lint one manifest (and probe it with ``options.live``): what was found, and the
    parsed manifest (None when it is invalid)."""
    from preflight.catalog import load_catalog
    from preflight.manifest import ManifestError, parse_manifest

    shown = display_path(path)
    file = FilePath.of(path, shown)
    found = Result(rules=rules, inputs=[shown], files=[file])
    try:
        document = load_yaml(path)
        document.path = shown
        manifest = parse_manifest(document)
    except (LoadError, ManifestError) as exc:
        found.errors.append(str(exc))
        return found, None
    except (Exception, RecursionError) as exc:  # never a traceback: the other manifests go on
        found.errors.append(f"{shown}: cannot be read ({type(exc).__name__})")
        return found, None
    found.suppressions = {file.absolute: document.suppressions} if document.suppressions else {}
    context = ManifestContext(
        manifest=manifest,
        document=document,
        catalog=load_catalog(),
        today=options.effective_today,
        options=options.rule_options,
    )

    def locate(problem: Problem) -> Location:
        if problem.line:
            return Location(shown, problem.line, problem.column, file=file)
        mark = document.locate(problem.path, problem.on)
        return Location(shown, mark.line, mark.column, file=file)

    def stage_of(problem: Problem) -> str:
        return manifest.stage_of(problem.env)

    run = engine.run(rules, "manifest", context, locate, stage_of, shown)
    found.findings.extend(run.findings)
    found.crashes.extend(run.crashes)
    if options.live is not None:
        from preflight.probes import run_live

        found.add(run_live(context, locate, stage_of, options.live, rules))
    return found, manifest
