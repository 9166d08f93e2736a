"""The one step every run goes through between the engine and a report.

In order: findings in ``exclude``d paths and those that ``per-file-ignores``
silence are dropped; inline suppressions silence theirs, and unused or unknown
suppressions become findings (GP001, GP002) when those rules are selected;
``--write-baseline`` records what is left; ``--baseline`` lets recorded
findings pass and notes entries that no longer match. Every mode and every
format sees the same findings. :mod:`preflight.api` calls
:func:`finish` at the end of ``check``, ``audit`` and ``probe``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from preflight import engine
from preflight.config import path_matches
from preflight.findings import Finding, Location
from preflight.suppress import Comments, Misuse, misuses, silence

if TYPE_CHECKING:
    from preflight import baseline as baselines
    from preflight.core import Options, Result
    from preflight.paths import FilePath

UNUSED, UNKNOWN = "GP001", "GP002"


class PathRules:
    """``exclude`` and ``per-file-ignores`` of the options, matched against report paths."""

    def __init__(self, options: Options) -> None:
        self.root = options.root or Path.cwd()
        self.exclude = options.exclude
        self.per_file = options.per_file_ignores
        self._rel: dict[FilePath, str] = {}

    def relative(self, file: FilePath) -> str:
        """The file relative to the configuration's folder (its display path outside it)."""
        rel = self._rel.get(file)
        if rel is None:
            rel = self._rel[file] = file.inside(self.root) or file.display
        return rel

    def excluded(self, file: FilePath) -> bool:
        return bool(self.exclude) and any(path_matches(self.relative(file), g) for g in self.exclude)

    def ignores(self, rule_id: str, file: FilePath) -> bool:
        if not self.per_file:
            return False
        rel = self.relative(file)
        return any(engine.matches(rule_id, ids) and path_matches(rel, glob)
                   for glob, ids in self.per_file)

    def drops(self, finding: Finding) -> bool:
        file = finding.location.where
        return self.excluded(file) or self.ignores(finding.rule_id, file)


def finish(result: Result, options: Options, baseline: Path | None = None,
           write_baseline: Path | None = None) -> list[str]:
    """Apply path rules, suppressions and the baseline to ``result`` in place.

    ``baseline`` and ``write_baseline`` default to the options'. Returns notes for
    standard error (what the baseline did), also kept in ``result.baseline_notes``.
    Raises :class:`preflight.baseline.BaselineError` for an unreadable baseline.
    """
    if result.post_processed:  # once per result: the API has done it already
        return result.baseline_notes
    result.post_processed = True
    baseline = baseline or options.baseline
    write_baseline = write_baseline or options.write_baseline
    paths = PathRules(options)
    ran = {rule.id for rule in result.rules}
    findings = [f for f in result.findings if not paths.drops(f)]

    comments = Comments(result.suppressions)  # found while scanning
    audited = _files(result) if {UNUSED, UNKNOWN} & ran else []  # unused ones can be anywhere
    with_findings = {f.location.path: f.location.where for f in findings}
    for file in [*(with_findings[p] for p in sorted(with_findings)),
                 *sorted(audited, key=lambda f: f.display)]:
        if not paths.excluded(file):
            comments.of(file)
    findings, _ = silence(findings, comments)

    def ran_on(rule_id: str, file: FilePath) -> bool:
        return rule_id in ran and not paths.ignores(rule_id, file)

    produced = [f for m in misuses(comments, engine.all_rules(), ran_on, (UNUSED, UNKNOWN))
                if (UNUSED if m.kind == "unused" else UNKNOWN) in ran for f in _findings(m)]
    produced, _ = silence([f for f in produced if not paths.drops(f)], comments)
    findings += produced

    notes: list[str] = []
    written: list[baselines.Entry] | None = None
    if write_baseline is not None or baseline is not None:
        from preflight import baseline as baselines
    if write_baseline is not None and (result.errors or result.crashes):
        notes.append(f"baseline {write_baseline.as_posix()} not written: the run had errors")
    elif write_baseline is not None:
        written = baselines.write(write_baseline, findings)  # renamed into place at the run's end
        count = sum(e.count for e in written)
        notes.append(f"wrote {_plural(count, 'finding')} to baseline {write_baseline.as_posix()}")
        baseline = write_baseline
    if baseline is not None:
        entries = written if written is not None else baselines.load(baseline)
        findings, report = baselines.apply(findings, baseline, entries)
        result.baseline = report
        notes += _baseline_notes(report)
    result.findings = sorted(findings, key=Finding.sort_key)
    result.baseline_notes = notes
    return notes


def _files(result: Result) -> list[FilePath]:
    """The inputs' identities (worked out here for inputs a caller named without one)."""
    from preflight.paths import FilePath

    known = {f.display for f in result.files}
    return [*result.files, *(FilePath.of(i) for i in result.inputs if i not in known)]


def _findings(misuse: Misuse) -> list[Finding]:
    """What the rule about this misuse (GP001 or GP002) says of it, where the comment is."""
    where = misuse.suppression
    rule = engine.all_rules()[UNUSED if misuse.kind == "unused" else UNKNOWN]
    location = Location(where.file.display, where.line, where.column, file=where.file)
    run = engine.run([rule], "suppression", misuse, lambda _: location, lambda _: "development",
                     where.file.display)
    return run.findings


def _baseline_notes(report: baselines.BaselineReport) -> list[str]:
    notes = []
    if report.matched:
        notes.append(f"{_plural(report.matched, 'finding')} matched baseline {report.file}")
    if report.stale:
        count = sum(e.count for e in report.stale)
        shown = "; ".join(f"{e.rule} {e.path}" + (f" (x{e.count})" if e.count > 1 else "")
                          for e in report.stale[:5])
        more = f"; and {len(report.stale) - 5} more" if len(report.stale) > 5 else ""
        notes.append(f"{_plural(count, 'baseline entry', 'baseline entries')} in {report.file} "
                     f"no longer match (fixed? run --write-baseline to prune): {shown}{more}")
    return notes


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"
