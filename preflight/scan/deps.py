"""Dependency declarations: requirements and constraints files, pyproject.toml, setup.py,
setup.cfg, Pipfile, conda environment files, package.json, and ``pip install`` lines.

Each declaration becomes a :class:`Dependency` with the line it is written on.
A package's own name (``setup(name="google-generativeai")``) is not a dependency.
"""

from __future__ import annotations

import ast
import configparser
import functools
import json
import re
import shlex
import tomllib
from collections.abc import Iterable, Iterator
from typing import Any

from preflight.scan.facts import Dependency
from preflight.scan.secrets import Lines

# Lower-cased needles: a dependency file without any of them declares nothing we check.
NEEDLES = (b"generativeai", b"generativelanguage", b"genai", b"generative-ai", b"vertexai",
           b"aiplatform")

_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_VALUE_OPTIONS = {"-r", "-c", "-i", "-f", "-t", "-e", "--requirement", "--constraint", "--index-url",
                  "--extra-index-url", "--find-links", "--target", "--prefix", "--editable",
                  "--root", "--platform", "--python-version", "--implementation", "--abi"}


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# The common forms of a requirement (a name, extras, numeric versions after ==, !=, >=, <=, >,
# < or ~=) are read by one pattern, with the answer packaging gives (a test holds the two equal
# on random requirements); anything else goes to packaging, whose import costs about 50 ms.
_IDENT = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_NUMBER = r"\d{1,16}"  # longer ones (a 5,000-digit pin) go to packaging
_ONE_SPEC = rf"(?:(?:==|!=|>=|<=|>|<)[ \t]*{_NUMBER}(?:\.{_NUMBER})*|~=[ \t]*{_NUMBER}(?:\.{_NUMBER})+)"
_SIMPLE = re.compile(rf"({_IDENT})[ \t]*(?:\[[ \t]*(?:{_IDENT}(?:[ \t]*,[ \t]*{_IDENT})*)?[ \t]*\])?"
                     rf"[ \t]*({_ONE_SPEC}(?:[ \t]*,[ \t]*{_ONE_SPEC})*)?")
_SPEC = re.compile(r"(==|!=|>=|<=|>|<|~=)[ \t]*(\d+(?:\.\d+)*)")


@functools.lru_cache(maxsize=4096)  # the same few requirements come back in file after file
def parse_requirement(text: str) -> tuple[str, str] | None:
    """``("google-genai", ">=1.0,<2")`` from one PEP 508 requirement, or None."""
    text = text.strip()
    simple = _SIMPLE.fullmatch(text)
    if simple is not None:
        return normalize(simple.group(1)), _specifiers(simple.group(2) or "")
    return _by_packaging(text)


def _by_packaging(text: str) -> tuple[str, str] | None:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req = Requirement(text)
    except InvalidRequirement:
        match = _NAME.match(text)
        if not match:
            return None
        rest = text[match.end():].split(";")[0].split("#")[0].strip()
        return normalize(match.group(1)), rest if re.match(r"^[<>=!~]", rest) else ""
    return normalize(req.name), str(req.specifier)


def _specifiers(written: str) -> str:
    """``str(SpecifierSet(written))`` for numeric versions: sorted as text, and of the specifiers
    equal as packaging compares them (``>=1`` and ``>=1.0``) the first of that order kept."""
    kept: dict[tuple[str, tuple[int, ...]], str] = {}
    for op, version in sorted(_SPEC.findall(written), key="".join):
        release = [int(part) for part in version.split(".")]
        while op != "~=" and len(release) > 1 and release[-1] == 0:  # 1.0 == 1, as packaging reads it
            release.pop()
        kept.setdefault((op, tuple(release)), op + version)
    return ",".join(kept.values())


def requirements_file(text: str, origin: str = "requirements") -> Iterator[Dependency]:
    lines = text.split("\n")
    for number, raw in enumerate(lines, 1):
        line = re.sub(r"(^|\s)#.*", "", raw).rstrip("\\").strip()
        if not line or line.startswith("-"):
            continue
        parsed = parse_requirement(line)
        if parsed:
            yield Dependency(*parsed, line=number, column=raw.index(line[0]) + 1, origin=origin)


def _located(text: str, lines: Lines, items: Iterable[tuple[str, str, str]],
             origin: str, ecosystem: str = "pypi") -> Iterator[Dependency]:
    """Dependencies from (name, specifier, text as written), placed by searching ``text``."""
    cursor = 0
    for name, spec, written in items:
        pattern = re.compile(r"(?<![\w.-])" + re.escape(written) + r"(?![\w.-])")
        found = pattern.search(text, cursor) or pattern.search(text)
        if found is None:
            found = re.search(r"(?<![\w.-])" + re.escape(name.split("[")[0]), text, re.IGNORECASE)
        offset = found.start() if found else 0
        if found and found.start() >= cursor:
            cursor = found.end()
        line, column = lines.at(offset) if found else (0, 0)
        yield Dependency(name, spec, line, column, origin=origin,
                         ecosystem="npm" if ecosystem == "npm" else "pypi")


def _pep508(reqs: Iterable[Any]) -> Iterator[tuple[str, str, str]]:
    for req in reqs:
        if isinstance(req, str) and (parsed := parse_requirement(req)):
            yield parsed[0], parsed[1], req.strip().split(";")[0].strip()


def _table(table: Any) -> Iterator[tuple[str, str, str]]:
    """Poetry / Pipfile tables: ``name = "spec"`` or ``name = {version = "spec"}``."""
    if not isinstance(table, dict):
        return
    for name, value in table.items():
        spec = value.get("version", "") if isinstance(value, dict) else str(value)
        spec = "" if spec in ("*", "") else re.sub(r"^(\d)", r"==\1", spec)
        if spec.startswith("^") or (spec.startswith("~") and not spec.startswith("~=")):
            spec = _caret(spec)
        yield normalize(name), spec, name


def _caret(spec: str) -> str:
    """Poetry's ``^1.2`` / ``~1.2`` as a PEP 440 lower bound (enough for minimum checks)."""
    return ">=" + spec.lstrip("^~")


def pyproject(text: str, lines: Lines) -> Iterator[Dependency]:
    data = tomllib.loads(text)
    project = data.get("project", {})
    items = list(_pep508(project.get("dependencies", [])))
    for extra in project.get("optional-dependencies", {}).values():
        items += _pep508(extra)
    for group in data.get("dependency-groups", {}).values():
        items += _pep508(group)
    items += _pep508(data.get("build-system", {}).get("requires", []))
    poetry = data.get("tool", {}).get("poetry", {})
    items += _table(poetry.get("dependencies"))
    items += _table(poetry.get("dev-dependencies"))
    for group in poetry.get("group", {}).values():
        items += _table(group.get("dependencies") if isinstance(group, dict) else None)
    yield from _located(text, lines, [i for i in items if i[0] != "python"], "pyproject.toml")


def pipfile(text: str, lines: Lines) -> Iterator[Dependency]:
    data = tomllib.loads(text)
    items = [*_table(data.get("packages")), *_table(data.get("dev-packages"))]
    yield from _located(text, lines, items, "Pipfile")


def setup_cfg(text: str, lines: Lines) -> Iterator[Dependency]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    reqs: list[str] = []
    if parser.has_option("options", "install_requires"):
        reqs += parser.get("options", "install_requires").splitlines()
    for section in ("options.extras_require",):
        if parser.has_section(section):
            for _, value in parser.items(section):
                reqs += value.splitlines()
    yield from _located(text, lines, _pep508(r for r in reqs if r.strip()), "setup.cfg")


def setup_py(text: str) -> Iterator[Dependency]:
    """String literals in ``install_requires``/``extras_require``/… of ``setup()``; never ``name=``."""
    tree = ast.parse(text)
    wanted = {"install_requires", "extras_require", "setup_requires", "tests_require"}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for kw in node.keywords:
            if kw.arg not in wanted:
                continue
            for const in _list_items(kw.value):
                if isinstance(const, ast.Constant) and isinstance(const.value, str):
                    parsed = parse_requirement(const.value)
                    if parsed:
                        yield Dependency(*parsed, line=const.lineno, column=const.col_offset + 1,
                                         origin="setup.py")


def _list_items(value: ast.AST) -> list[ast.AST]:
    if isinstance(value, ast.List | ast.Tuple | ast.Set):
        return list(value.elts)
    if isinstance(value, ast.Dict):
        return [item for v in value.values for item in _list_items(v)]
    return []


def conda(text: str, lines: Lines) -> Iterator[Dependency]:
    import yaml

    data = yaml.safe_load(text)
    deps = data.get("dependencies", []) if isinstance(data, dict) else []
    items: list[tuple[str, str, str]] = []
    for dep in deps if isinstance(deps, list) else []:
        match = _NAME.match(dep.split("::")[-1]) if isinstance(dep, str) else None
        if isinstance(dep, str) and match:
            rest = dep.split("::")[-1][match.end():].replace(" ", "")
            spec = "==" + rest.lstrip("=") if re.match(r"^=?\d", rest) else rest
            items.append((normalize(match.group(1)), spec, dep.strip()))
        elif isinstance(dep, dict):
            items += _pep508(dep.get("pip", []) or [])
    yield from _located(text, lines, items, "environment.yml")


# Every section of package.json that makes npm install a package (lock files are not read:
# they record what was resolved, not what the project declares).
NPM_SECTIONS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies",
                "bundleDependencies", "bundledDependencies")


def package_json(text: str, lines: Lines) -> Iterator[Dependency]:
    data = json.loads(text)
    items: list[tuple[str, str, str]] = []
    for section in NPM_SECTIONS:
        table = data.get(section) if isinstance(data, dict) else None
        if isinstance(table, list):  # bundleDependencies: names of packages listed elsewhere
            table = {n: "" for n in table if isinstance(n, str) and n not in {i[0] for i in items}}
        for name, spec in (table if isinstance(table, dict) else {}).items():
            alias = re.match(r"npm:(@?[^@\s]+)@?(.*)", str(spec))  # "x": "npm:@google/generative-ai@^0.21"
            if alias:
                items.append((alias.group(1), alias.group(2), f'"{name}"'))
            else:
                items.append((name, str(spec), f'"{name}"'))
    yield from _located(text, lines, items, "package.json", "npm")


# Bounded repetitions: an unbounded \S*python\S* took 9 s on 80 KB of parentheses.
_PIP = re.compile(r"(?:^|[\s!%;&|(])(?:uv\s{1,64}|python3?\s{1,64}-m\s{1,64}|"
                  r"[^\s]{0,64}python[^\s]{0,64}\s{1,64}-m\s{1,64})?pip3?\s{1,64}install\b")


def pip_installs(line: str) -> Iterator[tuple[str, str, int]]:
    """``(name, specifier, column)`` for each package of a ``pip install`` command line."""
    found = _PIP.search(line)
    if found is None:
        return
    rest = line[found.end():].split("#")[0]
    try:
        tokens = shlex.split(rest)
    except ValueError:
        tokens = rest.split()
    skip_next = False
    for token in tokens:
        if skip_next or token in {"&&", "||", ";", "|"}:
            skip_next = False
            if token in {"&&", "||", ";", "|"}:
                return
            continue
        if token.startswith("-"):
            skip_next = token in _VALUE_OPTIONS
            continue
        if any(c in token for c in "${}/") or token.startswith("."):
            continue
        parsed = parse_requirement(token)
        if parsed:
            column = line.find(token, found.end())
            yield parsed[0], parsed[1], (column if column >= 0 else found.end()) + 1
