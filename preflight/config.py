"""Project configuration: ``[tool.gemini-preflight]`` in pyproject.toml or ``.gemini-preflight.yaml``.

Found in the working folder or its parents, up to the root of the git work tree
(``--config FILE`` names one instead). In each folder ``.gemini-preflight.yaml``
(or ``.yml``) wins over ``pyproject.toml``; a pyproject.toml without the table
is skipped. Globs (``per-file-ignores``, ``exclude``) are relative to the
folder of the file that declares them. Command-line options override it.

Keys: ``select``, ``ignore``, ``fail-on``, ``per-file-ignores`` (glob -> IDs),
``exclude`` (globs), ``rules`` (options by rule ID) and ``today``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from preflight.paths import relative_to_root as relative_to_root  # kept here for callers

if TYPE_CHECKING:
    from preflight.configschema import ConfigModel

YAML_NAMES = (".gemini-preflight.yaml", ".gemini-preflight.yml")
TABLE = "gemini-preflight"


class ConfigError(Exception):
    """A configuration file that cannot be used; ``str()`` names the file and the key."""




class Config(NamedTuple):
    """A validated configuration (empty when no file was found)."""

    path: Path | None = None
    root: Path = Path()  # the folder globs are relative to (load_config gives it absolute)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    rules: Mapping[str, Mapping[str, Any]] = MappingProxyType({})
    today: date | None = None


def find_config(start: Path | None = None) -> Path | None:
    """The configuration file that applies in ``start`` (default: the working folder)."""
    folder = (start or Path.cwd()).resolve()
    for candidate in [folder, *folder.parents]:
        for name in YAML_NAMES:
            if (candidate / name).is_file():
                return candidate / name
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_table(pyproject):
            return pyproject
        if (candidate / ".git").exists():
            return None  # never look above the repository
    return None


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """Load ``path`` (or the file found from ``start``); no file gives the empty Config."""
    if path is None:
        path = find_config(start)
        if path is None:
            return Config(root=(start or Path.cwd()).resolve())
    from pydantic import ValidationError

    from preflight import startup
    from preflight.configschema import ConfigModel

    data, where = _read(path)
    startup.skip_pydantic_plugin_lookup()
    try:
        model = ConfigModel.model_validate(data)
    except ValidationError as exc:
        lines = [_describe(error, where) for error in exc.errors(include_url=False)]
        raise ConfigError("\n".join(lines)) from None
    _check_rules(model, where)
    return Config(
        path=path,
        root=path.resolve().parent,
        select=tuple(model.select),
        ignore=tuple(model.ignore),
        fail_on=model.fail_on,
        per_file_ignores=tuple((glob, tuple(ids)) for glob, ids in model.per_file_ignores.items()),
        exclude=tuple(model.exclude),
        rules={rule_id.upper(): dict(opts) for rule_id, opts in model.rules.items()},
        today=model.today,
    )


def _text(path: Path) -> str:
    from preflight.files import read_file

    return read_file(path, 1024 * 1024).decode("utf-8")


def _has_table(pyproject: Path) -> bool:
    try:
        text = _text(pyproject)
    except (OSError, UnicodeDecodeError):
        return False  # an unreadable pyproject.toml that is not ours to judge
    if not _may_hold_table(text):
        return False  # not parsed: most pyproject.toml files are not ours
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False  # a broken pyproject.toml that is not ours to judge
    return isinstance(data.get("tool"), dict) and TABLE in data["tool"]


def _may_hold_table(text: str) -> bool:
    """Can this TOML text define ``[tool.gemini-preflight]``? False only when it cannot.

    Without escapes a key is spelled out, and ours is then followed by ``=`` or ``.``
    (``gemini-preflight = {…}``, ``tool.gemini-preflight.select = …``) or, after a dot,
    by ``]`` (``[tool."gemini-preflight"]``); a mere mention (``"gemini-preflight>=1"``
    in a dependency list) is neither. A key that starts its line belongs to the table
    whose header comes before it, so it can be ours only after a ``[tool]`` header (a
    console script ``gemini-preflight = "…"`` under ``[project.scripts]`` is not).
    """
    if "\\u" in text or "\\U" in text:
        return True
    if TABLE not in text:
        return False
    key = re.escape(TABLE)
    found = re.finditer(rf"""{key}["']?\s*[=.]|\.\s*["']?{key}["']?\s*\]""", text)
    return any(_may_be_ours(text, match.start()) for match in found)


_TOOL_HEADER = r"""(?m)^[ \t]*\[[ \t]*(?:tool|"tool"|'tool')[ \t]*\]"""  # compiled when used


def _may_be_ours(text: str, start: int) -> bool:
    """Can the mention of our key at ``start`` (see :func:`_may_hold_table`) define
    ``tool.gemini-preflight``? A key at the start of a line cannot when no line before
    it is a ``[tool]`` header (whatever else those lines are); any other mention can."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip() not in ("", '"', "'"):
        return True  # a dotted key, an inline table, a header
    return re.compile(_TOOL_HEADER).search(text, 0, line_start) is not None


def _read(path: Path) -> tuple[Any, str]:
    """The raw data of a config file and how messages name it."""
    shown = path.as_posix()
    if not path.is_file():
        raise ConfigError(f"{shown}: no such configuration file")
    if path.suffix == ".toml":
        import tomllib

        try:
            data = tomllib.loads(_text(path))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{shown}: cannot read: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{shown}: invalid TOML: {exc}") from None
        table = data.get("tool", {}).get(TABLE) if isinstance(data.get("tool"), dict) else None
        if table is None:
            raise ConfigError(f"{shown}: no [tool.{TABLE}] table")
        return table, f"{shown}: [tool.{TABLE}]"
    from preflight.loader import LoadError, load_yaml

    try:
        document = load_yaml(path)
    except LoadError as exc:
        raise ConfigError(str(exc)) from None
    return document.data, shown


def _describe(error: Mapping[str, Any], where: str) -> str:
    from preflight.configschema import allowed_keys

    loc = [str(part) for part in error["loc"]]
    dotted = ".".join(loc) or "(top level)"
    if error["type"] == "extra_forbidden" and len(loc) == 1:
        import difflib

        close = difflib.get_close_matches(loc[0].replace("_", "-"), allowed_keys(), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else "allowed: " + ", ".join(allowed_keys())
        return f"{where}: unknown key {loc[0]!r} ({hint})"
    if error["type"] == "model_type":
        return f"{where}: the configuration must be a mapping of keys to values"
    return f"{where}: {dotted}: {error['msg']}"


def _check_rules(model: ConfigModel, where: str) -> None:
    """Every rule ID or prefix must name a known rule; rule options must exist and fit."""
    from preflight.engine import all_rules, unknown_patterns
    from preflight.rule import option_problems

    rules = all_rules()
    problems = []
    for key, patterns in (("select", model.select), ("ignore", model.ignore),
                          *((f"per-file-ignores.{g!r}", ids)
                            for g, ids in model.per_file_ignores.items())):
        problems += [f"{key}: no rule matches {p!r}{_hint(p, rules)}"
                     for p in unknown_patterns(patterns, rules.values())]
    for rule_id, options in model.rules.items():
        rule = rules.get(rule_id.upper())
        if rule is None:
            problems.append(f"rules: unknown rule {rule_id!r}{_hint(rule_id, rules)}")
            continue
        problems += [f"rules.{rule_id}: {p}" for p in option_problems(rule, options)]
    if problems:
        raise ConfigError("\n".join(f"{where}: {p}" for p in problems))


def _hint(pattern: str, ids: Sequence[str] | Mapping[str, Any]) -> str:
    import difflib  # only for a did-you-mean

    close = difflib.get_close_matches(pattern.strip().upper(), list(ids), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


_GLOB_CACHE: dict[str, re.Pattern[str]] = {}


def path_matches(path: str, pattern: str) -> bool:
    """gitignore-like matching of a ``/``-separated relative path against a glob.

    ``*`` and ``?`` stay inside one path segment, ``**`` crosses segments; a
    pattern without ``/`` matches at any depth (``*.ipynb``); a pattern that
    matches a folder matches everything below it (``tests/fixtures``).
    """
    regex = _GLOB_CACHE.get(pattern)
    if regex is None:
        regex = _GLOB_CACHE[pattern] = re.compile(_translate(pattern))
    return regex.fullmatch(path.removeprefix("./")) is not None


def _translate(pattern: str) -> str:
    glob = pattern.strip().removeprefix("./").rstrip("/")
    anchored = "/" in glob
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    body = "".join(out)
    return ("" if anchored else "(?:.*/)?") + body + "(?:/.*)?"
