"""The Python API: each function runs the whole pipeline and returns the final result.

>>> from preflight.api import Options, check
>>> result = check([Path("gemini-deploy.yaml")], Options())   # doctest: +SKIP
>>> [str(f.location) for f in result.findings]                  # doctest: +SKIP

``check``, ``audit`` and ``probe`` return what a report shows: findings after
``exclude``, per-file ignores, inline suppressions (and GP001/GP002 about
them) and the baseline (``Options.baseline`` / ``Options.write_baseline``),
sorted, with ``Result.exit_code()`` following ``Options.fail_on``. The
command line only parses options, calls one of them and renders the result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from preflight import startup
from preflight.core import Options, Result, UsageError, display_path
from preflight.pipeline import active_rules, find_manifests

if TYPE_CHECKING:
    from preflight.manifest import Manifest
    from preflight.probes import ProbeSettings

__all__ = ["Options", "Result", "UsageError", "active_rules", "audit", "check", "check_manifest",
           "display_path", "find_manifests", "probe"]


def check(paths: Sequence[Path], options: Options) -> Result:
    """Lint each manifest found in ``paths`` and the source files it declares."""
    import preflight.manifest  # noqa: F401  (pydantic, imported during start-up)
    from preflight.audit import scan_declared_sources
    from preflight.pipeline import check_manifest as lint

    startup.resume()
    result = Result(rules=active_rules(options))
    for path in find_manifests(paths):
        found, manifest = lint(path, options, result.rules)
        result.add(found)
        if manifest is not None:  # the code it declares (``audit`` scans the whole tree itself)
            result.add(scan_declared_sources(path, manifest, options, result.rules,
                                             set(result.inputs)))
    return _finish(result, options)


def probe(paths: Sequence[Path], options: Options, settings: ProbeSettings) -> Result:
    """Live probes (network) of the chosen environments of each manifest: GP9xx findings only."""
    import preflight.manifest  # noqa: F401  (pydantic, imported during start-up)
    from preflight.pipeline import check_manifest as lint

    startup.resume()
    live = replace(options, live=settings)
    result = Result(rules=[r for r in active_rules(live) if r.check_probe is not None])
    for path in find_manifests(paths):
        result.add(lint(path, live, result.rules)[0])
    return _finish(result, live)


def audit(paths: Sequence[Path], options: Options, no_ignore: bool = False,
          jobs: int | None = None, progress: Callable[[int, int], None] | None = None,
          max_bytes: int | None = None, staged: bool = False, diff_rev: str | None = None) -> Result:
    """Scan files and folders (code, notebooks, dependency files, secrets, manifests).

    ``staged`` / ``diff_rev`` narrow ``paths`` to the files git reports as staged or
    changed since a revision (nothing changed: nothing scanned).
    """
    from preflight import audit as auditing

    startup.resume()
    targets: Sequence[Path] | None = paths
    if staged or diff_rev:
        from preflight.gitfiles import changed_paths

        targets = changed_paths(tuple(paths), staged, diff_rev)
    if targets is None:
        return _finish(Result(rules=active_rules(options)), options)
    settings = auditing.ScanSettings(no_ignore, jobs, max_bytes or auditing.ScanSettings.max_bytes,
                                     progress)
    return _finish(auditing.audit(targets, options, settings), options)


def check_manifest(path: Path, options: Options, result: Result,
                   sources: bool = True) -> Manifest | None:
    """Lint one manifest into ``result`` (not post-processed); the parsed manifest or None.

    Kept for callers of the earlier API; new code calls :func:`check`.
    """
    from preflight.audit import scan_declared_sources
    from preflight.pipeline import check_manifest as lint

    found, manifest = lint(path, options, result.rules)
    result.add(found)
    if sources and manifest is not None:
        result.add(scan_declared_sources(path, manifest, options, result.rules, set(result.inputs)))
    return manifest


def _finish(result: Result, options: Options) -> Result:
    """The post-processing every run goes through (preflight/postprocess.py), then sorting."""
    from preflight.postprocess import finish

    result.finish()
    if result.suppressions is None:  # every file the run read has its comments collected
        result.suppressions = {}
    finish(result, options)
    result.fail_on = options.fail_severity
    return result
