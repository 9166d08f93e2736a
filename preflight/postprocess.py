"""The one step every run goes through between the engine and a report.

In order: findings in ``exclude``d paths and those that ``per-file-ignores``
silence are dropped; inline suppressions silence theirs, and unused or unknown
suppressions become findings (GP001, GP002) when those rules are selected;
``--write-baseline`` records what is left; ``--baseline`` lets recorded
findings pass and notes entries that no longer match. ``check`` and ``audit``
both call :func:`finish` (through the CLI's report step), so every mode and
every format sees the same findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from preflight import engine
from preflight.config import path_matches, relative_to_root
from preflight.findings import Finding, Location
from preflight.rule import Problem
from preflight.suppress import Comments, Misuse, misuses, silence

if TYPE_CHECKING:
    from preflight import baseline as baselines
    from preflight.api import Options, Result

UNUSED, UNKNOWN = "GP001", "GP002"


class PathRules:
    """``exclude`` and ``per-file-ignores`` of the options, matched against report paths."""

    def __init__(self, options: Options) -> None:
        self.root = options.root or Path.cwd()
        self.exclude = options.exclude
        self.per_file = options.per_file_ignores
        self._rel: dict[str, str] = {}

    def relative(self, path: str) -> str:
        rel = self._rel.get(path)
        if rel is None:
            rel = self._rel[path] = relative_to_root(path, self.root)
        return rel

    def excluded(self, path: str) -> bool:
        return bool(self.exclude) and any(path_matches(self.relative(path), g) for g in self.exclude)

    def ignores(self, rule_id: str, path: str) -> bool:
        if not self.per_file:
            return False
        rel = self.relative(path)
        return any(engine.matches(rule_id, ids) and path_matches(rel, glob)
                   for glob, ids in self.per_file)

    def drops(self, finding: Finding) -> bool:
        path = finding.location.path
        return self.excluded(path) or self.ignores(finding.rule_id, path)


def finish(result: Result, options: Options, baseline: Path | None = None,
           write_baseline: Path | None = None) -> list[str]:
    """Apply path rules, suppressions and the baseline to ``result`` in place.

    Returns notes for standard error (what the baseline did). Raises
    :class:`preflight.baseline.BaselineError` for an unreadable baseline.
    """
    paths = PathRules(options)
    ran = {rule.id for rule in result.rules}
    findings = [f for f in result.findings if not paths.drops(f)]

    comments = Comments()  # files with findings first: their names are the ones reports use
    audited = result.inputs if {UNUSED, UNKNOWN} & ran else []  # unused ones can be anywhere
    for shown in [*sorted({f.location.path for f in findings}), *sorted(audited)]:
        if not paths.excluded(shown):
            comments.of(shown)
    findings, _ = silence(findings, comments)

    def ran_on(rule_id: str, path: str) -> bool:
        return rule_id in ran and not paths.ignores(rule_id, path)

    produced = [_finding(m) for m in misuses(comments, engine.all_rules(), ran_on, (UNUSED, UNKNOWN))
                if (UNUSED if m.kind == "unused" else UNKNOWN) in ran]
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
    return notes


def _finding(misuse: Misuse) -> Finding:
    where = misuse.suppression
    if misuse.kind == "unused":
        rule_id = UNUSED
        message = f"unused suppression: {misuse.name} reports nothing on this line or the next"
        fix = (f"remove {misuse.name} from the comment" if len(where.names) > 1
               else "remove the comment")
    elif misuse.name:
        rule_id = UNKNOWN
        hint = f" (did you mean {misuse.hint}?)" if misuse.hint else ""
        message = f"suppression names unknown rule '{misuse.name}'{hint}"
        fix = "name rules by ID, e.g. ignore[GP305]; `gemini-preflight rules` lists them"
    else:
        rule_id = UNKNOWN
        message = "suppression names no rule: a blanket ignore is not allowed"
        fix = "list the rule IDs it silences, e.g. ignore[GP305]"
    problem = Problem(message, line=where.line, column=where.column,
                      subject=misuse.name or "ignore", fix=fix)
    location = Location(where.path, where.line, where.column)
    return engine.stamp(engine.all_rules()[rule_id], problem, location, "development")


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
