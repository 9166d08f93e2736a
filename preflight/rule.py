"""What a rule is, what it yields, and what it is given.

A rule module in ``rules/`` holds its documentation as the module docstring
(``## What it does`` / ``## Why is this bad?`` / ``## Example`` / ``Use instead:``)
and one ``RULE = Rule(...)`` naming its checks. A check yields :class:`Problem`
objects: a message plus *where* (a key path into the manifest, or a line and
column in a source file). The engine turns them into findings; a rule never
sets its own ID or severity on a problem.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from preflight.edits import Fix, Fixable
from preflight.findings import Severity
from preflight.loader import Document, KeyPath

if TYPE_CHECKING:
    from preflight.catalog import Catalog
    from preflight.manifest import Environment, Manifest, ModelSlot

RULE_ID = re.compile(r"^GP\d{3}$")
DOC_SECTIONS = ("What it does", "Why is this bad?", "Example")
_KINDS = frozenset({"manifest", "source", "probe", "tree", "suppression"})  # a Rule's check_<kind>


class Problem(NamedTuple):
    """A rule's report of one problem, before the engine stamps it."""

    message: str
    path: KeyPath = ()  # into the manifest document
    on: Literal["key", "value"] = "value"
    line: int = 0  # for source files: 1-based line and column
    column: int = 0
    cell: int | None = None
    env: str | None = None  # the environment it concerns (drives stage severity)
    fix: str | None = None
    subject: str = ""  # stable, secret-free identity of what is wrong (baselines)
    severity: Severity | None = None  # only for rules whose docs say a case is graver
    file: str = ""  # for tree checks: the source file (as shown) the line and column are in
    autofix: Fix | None = None  # edits that fix it (preflight/edits.py), applied by --fix


class SlotModel(NamedTuple):
    """One model a slot uses: its own (``id``) or its migration plan's fallback."""

    slot: str  # the slot's name
    config: ModelSlot  # the slot itself
    model_id: str
    path: KeyPath  # where the ID stands in the manifest
    role: str  # "model" or "fallback model" (as messages name it)

    @property
    def is_fallback(self) -> bool:
        return self.role != "model"


@dataclass(frozen=True)
class ManifestContext:
    """Everything a manifest rule may look at."""

    manifest: Manifest
    document: Document
    catalog: Catalog
    today: date
    options: Mapping[str, Any] = field(default_factory=dict)

    def environments(self) -> Iterator[tuple[str, Environment]]:
        yield from self.manifest.environments.items()

    def models(self) -> Iterator[tuple[str, ModelSlot]]:
        yield from self.manifest.models.items()

    def slot_models(self) -> Iterator[SlotModel]:
        """Each model slot's model, then its ``migration_plan.fallback`` when it names one."""
        for name, slot in self.manifest.models.items():
            yield SlotModel(name, slot, slot.id, ("models", name, "id"), "model")
            plan = slot.migration_plan
            if plan is not None and plan.fallback:
                yield SlotModel(name, slot, plan.fallback,
                                ("models", name, "migration_plan", "fallback"), "fallback model")

    def is_production(self, env_name: str | None = None) -> bool:
        return self.manifest.stage_of(env_name) == "production"


Check = Callable[[Any], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    """A rule's identity, documentation and checks."""

    id: str
    name: str
    severity: Severity
    checklist: str
    doc: str
    production_severity: Severity | None = None
    check_manifest: Check | None = None
    check_source: Check | None = None
    check_probe: Check | None = None
    check_tree: Check | None = None  # over every file a manifest covers (TreeContext)
    options: Mapping[str, Any] = field(default_factory=dict)
    fixable: Fixable | None = None  # declared when the rule attaches fixes to its problems
    # Judges one suppression comment (preflight.suppress.Misuse) after the run: GP001, GP002.
    check_suppression: Check | None = None

    def __post_init__(self) -> None:
        if not RULE_ID.match(self.id):
            raise ValueError(f"bad rule ID {self.id!r}: expected GP followed by three digits")

    def settings(self, given: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        """The options this rule runs with: its defaults (``options``) overridden by
        ``given`` (from the configuration); raises ValueError for options that do not fit."""
        if not given:
            return self.options
        problems = option_problems(self, given)
        if problems:
            raise ValueError(f"{self.id}: " + "; ".join(problems))
        return {**self.options, **given}

    def severity_for(self, stage: str) -> Severity:
        if stage == "production" and self.production_severity is not None:
            return self.production_severity
        return self.severity

    def check_for(self, kind: str) -> Check | None:
        """The check of ``kind`` ("manifest", "source", "probe", "tree", "suppression")."""
        if kind not in _KINDS:
            return None
        check: Check | None = getattr(self, "check_" + kind)
        return check

    @property
    def kinds(self) -> list[str]:
        return [k for k in ("manifest", "source", "probe", "tree") if self.check_for(k) is not None]

    def sections(self) -> dict[str, str]:
        return doc_sections(self.doc)

    def examples(self) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
        """The documented failing example and its fix, as ``(language, code)``."""
        return doc_examples(self.doc)

    def example_pairs(self) -> list[tuple[tuple[str, str], tuple[str, str]]]:
        """Every documented (failing, fixed) pair: a rule with a manifest and a source check
        documents one pair per input kind (``Example`` code, ``Use instead:``, repeated)."""
        return doc_example_pairs(self.doc)


def option_problems(rule: Rule, given: Mapping[str, Any]) -> list[str]:
    """What is wrong with ``given`` as options of ``rule`` (unknown names, wrong kinds)."""
    import difflib

    defaults = rule.options
    if not defaults:
        return [f"{rule.id} takes no options"]
    problems = []
    for name, value in given.items():
        if name not in defaults:
            close = difflib.get_close_matches(name, list(defaults), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "allowed: " + ", ".join(sorted(defaults))
            problems.append(f"unknown option {name!r} ({hint})")
        elif not _same_kind(defaults[name], value):
            problems.append(f"{name} must be {type(defaults[name]).__name__}, not {value!r}")
    return problems


def _same_kind(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float)) and (isinstance(default, float) or isinstance(value, int))
    return default is None or isinstance(value, type(default))


_HEADING = r"(?m)^## (.+?)\s*$"  # compiled when docs are read (re caches), not at every start
_FENCE = r"(?s)```(\w*)\n(.*?)```"


def doc_sections(doc: str) -> dict[str, str]:
    """Split a rule docstring into ``{heading: body}`` (the text before any heading is 'summary')."""
    text = _dedent(doc)
    parts = re.split(_HEADING, text)
    sections = {"summary": parts[0].strip()}
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        sections[heading.strip()] = body.strip()
    return sections


def doc_examples(doc: str) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    example = doc_sections(doc).get("Example", "")
    bad_text, _, good_text = example.partition("Use instead:")
    bad = re.search(_FENCE, bad_text)
    good = re.search(_FENCE, good_text)
    return (
        (bad.group(1), bad.group(2)) if bad else None,
        (good.group(1), good.group(2)) if good else None,
    )


def doc_example_pairs(doc: str) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    parts = doc_sections(doc).get("Example", "").split("Use instead:")
    pairs = []
    for before, after in itertools.pairwise(parts):
        bad = re.findall(_FENCE, before)
        good = re.findall(_FENCE, after)
        if bad and good:
            pairs.append(((bad[-1][0], bad[-1][1]), (good[0][0], good[0][1])))
    return pairs


def _dedent(doc: str) -> str:
    import textwrap

    first, _, rest = doc.strip("\n").partition("\n")
    return (first.strip() + "\n" + textwrap.dedent(rest)).strip()
