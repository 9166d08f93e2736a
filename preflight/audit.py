"""Auditing a tree: find the files, scan them (in parallel when it pays), run the source rules.

``audit`` scans everything git would consider (or the whole tree outside git),
checks the manifests it meets, and grades each source file by the stage of the
manifest that governs it (the nearest one in the file's folders). ``check``
uses :func:`scan_declared_sources` for each manifest's ``source.paths``.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from preflight import engine, suppress
from preflight.core import Options, Result, UsageError
from preflight.findings import Location, Severity
from preflight.pipeline import active_rules, check_manifest
from preflight.rule import Problem, Rule
from preflight.scan import MAX_BYTES, Skip, SourceFile, scan_file
from preflight.scan.context import SourceContext, TreeContext
from preflight.scan.walk import Target, discover

if TYPE_CHECKING:
    from preflight.manifest import Manifest
    from preflight.paths import FilePath

Progress = Callable[[int, int], None]
Covering = tuple[str, "Manifest"]  # (manifest as shown, manifest) covering a file
T = TypeVar("T")
PARALLEL_FILES = 800  # below this many files (and bytes), one process is faster
PARALLEL_BYTES = 24 * 1024 * 1024
BATCH = 64
SWITCH_AFTER = 0.5  # seconds: a smaller tree whose files are this slow to scan goes parallel...
SWITCH_FILES = 2 * BATCH  # ...when at least this many files are left


@dataclass(frozen=True)
class ScanSettings:
    no_ignore: bool = False
    jobs: int | None = None  # None: one per available core
    max_bytes: int = MAX_BYTES
    progress: Progress | None = None


@dataclass
class Outcome:
    facts: SourceFile | None
    note: str | None
    display: str


def audit(paths: Sequence[Path], options: Options, settings: ScanSettings) -> Result:
    """Every manifest and source file under ``paths``: what the rules found (not yet
    post-processed; :func:`preflight.api.audit` does that)."""
    result = Result(rules=active_rules(options))
    found = discover(list(paths) or [Path(".")], settings.no_ignore)
    if found.missing:
        raise UsageError(f"{found.missing[0]}: no such file or folder")
    stages: dict[str, str] = {}
    covering: dict[str, Covering | None] = {}
    for target in found.targets:
        if _is_manifest(target.name):
            try:
                checked, manifest = check_manifest(target.path, options, result.rules)
            except Exception as exc:  # one broken manifest never stops the audit
                result.errors.append(f"{target.display}: could not be checked "
                                     f"({type(exc).__name__}: {exc})")
                continue
            result.add(checked)
            if manifest is not None:
                folder = os.path.dirname(target.file.absolute)
                stages[folder] = manifest.stage_of(None)
                covering[folder] = (target.display, manifest)
    result.notes.extend(f"skipped {shown}: {why}" for shown, why in found.skipped)
    stage_in, covering_in = _nearest(stages, "unknown"), _nearest(covering, None)
    result.add(scan_targets(found.targets, options, settings, result.rules,
                            lambda t: stage_in(t.file.absolute),
                            lambda t: covering_in(t.file.absolute), set(result.inputs)))
    return result


def scan_declared_sources(manifest_path: Path, manifest: Manifest, options: Options,
                          rules: list[Rule], done: set[str] | frozenset[str] = frozenset()) -> Result:
    """The files a manifest declares (``source.paths``, default its folder) minus
    ``source.exclude``, except those in ``done`` (display paths already scanned)."""
    from preflight.config import path_matches

    result = Result(rules=rules)
    if not any(r.check_source or r.check_tree for r in rules):
        return result
    folder = manifest_path.parent
    source = manifest.source
    roots = [folder / p for p in source.paths] if source and source.paths else [folder]
    exclude = source.exclude if source else []
    missing = [r for r in roots if not r.exists()]
    for root in missing:
        result.errors.append(f"{manifest_path.as_posix()}: source path {root.as_posix()} does not exist")
    found = discover([r for r in roots if r.exists()])
    result.notes.extend(f"skipped {shown}: {why}" for shown, why in found.skipped)
    kept = [t for t in found.targets
            if not any(path_matches(_relative(t.file, folder), g) for g in exclude)]
    stage, shown = manifest.stage_of(None), manifest_path.as_posix()
    result.add(scan_targets(kept, options, ScanSettings(), rules, lambda t: stage,
                            lambda t: (shown, manifest), done))
    return result


def scan_targets(targets: list[Target], options: Options, settings: ScanSettings, rules: list[Rule],
                 stage_of: Callable[[Target], str],
                 covered_by: Callable[[Target], Covering | None] = lambda t: None,
                 done: set[str] | frozenset[str] = frozenset()) -> Result:
    """Scan ``targets`` (except those in ``done``), run the selected source rules over each
    file's facts, then the tree rules over the files of each covering manifest (and over the
    files no manifest covers). Suppression comments found are kept on the result."""
    from preflight.catalog import load_catalog

    collected: dict[str, list[suppress.Mark]] = {}
    result = Result(rules=rules, suppressions=collected)
    source_rules = [r for r in rules if r.check_source is not None]
    tree_rules = [r for r in rules if r.check_tree is not None]
    targets = [t for t in targets if t.display not in done]
    result.inputs.extend(t.display for t in targets)
    result.files.extend(t.file for t in targets)
    if not source_rules and not tree_rules and not any(r.id in suppress.RULES for r in rules):
        return result  # nothing to run, no suppression to judge
    catalog, today = load_catalog(), options.effective_today
    by_display = {t.display: t for t in targets}
    groups: dict[str, tuple[Manifest | None, list[SourceFile]]] = {}
    file_stages: dict[str, str] = {}
    for outcome in _outcomes(targets, settings):
        if outcome.note:
            result.notes.append(f"{outcome.display}: {outcome.note}")
        if outcome.facts is None:
            continue
        facts = outcome.facts
        if facts.suppressions:
            collected[by_display[facts.path].file.absolute] = facts.suppressions
        if not facts.has_facts():
            continue
        stage = file_stages[facts.path] = facts.stage or stage_of(by_display[facts.path])
        context = SourceContext(facts, catalog, today, stage, options.rule_options)
        _run(source_rules, context, by_display[facts.path].file, result)
        if tree_rules:
            shown, manifest = covered_by(by_display[facts.path]) or ("", None)
            groups.setdefault(shown, (manifest, []))[1].append(facts)
    for shown, (manifest, files) in groups.items():
        tree = TreeContext(files, catalog, today, manifest.stage_of(None) if manifest else "unknown",
                           options.rule_options, manifest, shown)
        _run_tree(tree_rules, tree, file_stages, by_display, result)
    return result


def _run_tree(rules: list[Rule], context: TreeContext, stages: dict[str, str],
              targets: Mapping[str, Target], result: Result) -> None:
    def locate(problem: Problem) -> Location:
        target = targets.get(problem.file)
        return Location(problem.file, problem.line, problem.column, problem.cell,
                        target.file if target else None)

    run = engine.run(rules, "tree", context, locate, lambda p: stages.get(p.file, context.stage),
                     context.manifest_path or "the scanned files")
    result.findings.extend(run.findings)
    result.crashes.extend(run.crashes)


def _run(rules: list[Rule], context: SourceContext, file: FilePath, result: Result) -> None:
    shown = context.file.path

    def locate(problem: Problem) -> Location:
        return Location(shown, problem.line, problem.column, problem.cell, file)

    run = engine.run(rules, "source", context, locate, lambda _: context.stage, shown)
    result.findings.extend(run.findings)
    result.crashes.extend(run.crashes)


def _outcomes(targets: list[Target], settings: ScanSettings) -> Iterator[Outcome]:
    """Each file's outcome, in the order of ``targets``: in worker processes for a big tree,
    else here; a run found slower than ``SWITCH_AFTER`` with ``SWITCH_FILES`` or more files
    left (dense Gemini code: every file parsed) hands the rest to the workers."""
    jobs = settings.jobs or _cores()
    total = len(targets)
    if settings.progress:
        settings.progress(0, total)
    if jobs > 1 and _big(targets):
        yield from _in_workers(targets, 0, jobs, settings)
        return
    started = time.monotonic()
    for done, target in enumerate(targets):
        if done and jobs > 1 and total - done >= SWITCH_FILES \
                and time.monotonic() - started > SWITCH_AFTER:
            yield from _in_workers(targets[done:], done, jobs, settings)
            return
        yield from _scan_batch([(target.name, target.display)], settings.max_bytes)
        if settings.progress and ((done + 1) % 50 == 0 or done + 1 == total):
            settings.progress(done + 1, total)


def _in_workers(targets: list[Target], before: int, jobs: int,
                settings: ScanSettings) -> Iterator[Outcome]:
    """The outcomes of ``targets`` (``before`` files of the run already done), from workers."""
    from preflight.interrupt import process_pool

    total, done = before + len(targets), before
    kinds = _warm(targets)
    work: list[Work] = [(t.name, t.display) for t in targets] if kinds is None else \
        [(t.name, t.display, kind) for t, kind in zip(targets, kinds, strict=True)]  # not classified again
    batches = [work[i:i + BATCH] for i in range(0, len(work), BATCH)]
    gc.freeze()  # what is loaded now is never collected: forked workers keep sharing its pages
    try:
        with process_pool(min(jobs, len(batches))) as pool:  # workers stopped on any failure
            for batch in pool.map(_scan_batch, batches, [settings.max_bytes] * len(batches)):
                done += BATCH
                if settings.progress:
                    settings.progress(min(done, total), total)
                yield from batch
    finally:
        gc.unfreeze()


def _warm(targets: list[Target]) -> list[str] | None:
    """Workers forked from this process inherit what it has loaded: load what they need once.
    The kind of each target when they were classified for it (else None)."""
    import multiprocessing

    if multiprocessing.get_start_method(allow_none=True) in (None, "fork") and os.name == "posix" \
            and "fork" in multiprocessing.get_all_start_methods() and sys.platform == "linux":
        from preflight.scan import classify, warm

        kinds = [classify(t.name) for t in targets]
        warm(set(kinds))
        return kinds
    return None


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _big(targets: list[Target]) -> bool:
    if len(targets) >= PARALLEL_FILES:
        return True
    size = 0
    for target in targets:
        try:
            size += os.stat(target.name).st_size
        except OSError:
            continue
        if size >= PARALLEL_BYTES:
            return True
    return False


Work = tuple[str, str] | tuple[str, str, str]  # (name, display) and the kind when known


def _scan_batch(batch: Sequence[Work], max_bytes: int) -> list[Outcome]:
    """Scan files (in a worker process or not); only files with something to say come back."""
    outcomes = []
    for path, display, *kind in batch:
        try:
            facts, note = scan_file(path, display, max_bytes, *kind)
        except Skip as skip:
            if not skip.quiet:
                outcomes.append(Outcome(None, f"skipped: {skip.reason}", display))
            continue
        except Exception as exc:  # a scanner bug must not stop the run
            outcomes.append(Outcome(None, f"skipped: scanner failed ({type(exc).__name__})", display))
            continue
        useful = facts.has_facts() or bool(facts.suppressions)
        if useful or note:
            outcomes.append(Outcome(facts if useful else None, note, display))
    return outcomes


def _is_manifest(file_name: str) -> bool:
    from preflight.manifest_names import MANIFEST_NAMES, SUFFIXES

    if not file_name.endswith(SUFFIXES):  # most files: one C call
        return False
    posix = file_name.replace(os.sep, "/")
    return any(posix == name or posix.endswith("/" + name) for name in MANIFEST_NAMES)


def _nearest(found: Mapping[str, T], default: T) -> Callable[[str], T]:
    """The value of ``found`` (by folder) nearest above a file's absolute path, else
    ``default``; remembered by folder (the files of one folder share the answer)."""
    known: dict[str, T] = {}

    def nearest(absolute: str) -> T:
        start = folder = os.path.dirname(absolute)
        if start in known:
            return known[start]
        while folder not in found:
            parent = os.path.dirname(folder)
            if parent == folder:
                known[start] = default
                return default
            folder = parent
        known[start] = found[folder]
        return found[folder]

    return nearest


def _relative(file: FilePath, folder: Path) -> str:
    return file.inside(folder) or file.display


def rule_summary(result: Result) -> str:
    """A table of findings by rule and severity, for the end of text output."""
    if not result.findings:
        return ""
    counts = Counter((f.rule_id, f.rule_name, f.severity) for f in result.findings)
    width = max(len(name) for _, name, _ in counts)
    lines = ["", "By rule:"]
    for (rule_id, name, severity), n in sorted(counts.items(),
                                               key=lambda i: (-i[0][2], i[0][0])):
        lines.append(f"  {rule_id}  {name.ljust(width)}  {n:>5} {Severity(severity).label}")
    return "\n".join(lines) + "\n"
