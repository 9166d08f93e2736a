"""Dependency declarations of JVM builds: Maven ``pom.xml``, Gradle scripts (Groovy
``*.gradle`` and Kotlin ``*.gradle.kts``) and Gradle version catalogs (``*.versions.toml``).

Each declaration becomes a :class:`Dependency` of ecosystem ``maven`` named
``group:artifact``, its version as written (``${vertexai.version}`` stays
unresolved). Comments are never declarations: a pom is read by the standard
library's XML parser (expat), which refuses entity declarations here, so no
input can expand; a Gradle script is split into comments, strings and code by a
small tokenizer, and a string counts only when the code before it is a
dependency configuration (``implementation``, ``api``, ``testImplementation``,
``kapt`` …) or its map notation (``group: …, name: …, version: …``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from typing import Any
from xml.parsers import expat

from preflight.scan.facts import Dependency
from preflight.scan.secrets import Lines

FIELDS = ("groupId", "artifactId", "version")
# Gradle configurations end in one of these (implementation, testImplementation, api, kapt …).
CONFIGURATIONS = ("implementation", "api", "compileonly", "runtimeonly", "compile", "runtime",
                  "annotationprocessor", "kapt", "ksp", "classpath", "developmentonly")
# Comments and strings of Groovy and Kotlin: the leftmost match wins, so a quote inside a
# comment and a // inside a string are what they are.
# A string left open ends at its line's end, so every character is read once (linear time).
_TOKEN = re.compile(r"//[^\n]*|/\*.*?(?:\*/|\Z)|\"\"\".*?(?:\"\"\"|\Z)|'''.*?(?:'''|\Z)"
                    r"|\"(?:[^\"\\\n]|\\[^\n])*(?:\"|\\?(?=\n)|\\?\Z)"
                    r"|'(?:[^'\\\n]|\\[^\n])*(?:'|\\?(?=\n)|\\?\Z)", re.DOTALL)
_COORDINATE = re.compile(r"^([\w.-]+):([\w.-]+)(?::([^:@\s]*))?(?:[:@].*)?$")
_CONFIGURATION = re.compile(r"(?:^|[\s;{}(])([A-Za-z_]\w*)\s*\(?\s*"
                            r"(?:(?:platform|enforcedPlatform)\s*\(\s*)?$")
_NAMED = re.compile(r"(?:^|[\s;{}(,])(group|name|version)\s*[:=]\s*$")
_NEXT = re.compile(r"^\s*,\s*(?:group|name|version)\s*[:=]\s*$")  # the next field of a map


class EntityDeclared(ValueError):
    """A pom declares XML entities: not read (a pom needs none, and they can expand)."""


def pom(text: str) -> Iterator[Dependency]:
    """``<dependency>`` elements of any ``<dependencies>`` (also ``<dependencyManagement>``,
    profiles and plugins), at their ``<artifactId>``."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[str] = []
    found: list[Dependency] = []
    current: dict[str, Any] | None = None
    chars: list[str] = []

    def refuse(*_: object) -> None:
        raise EntityDeclared("pom.xml declares XML entities: not read")

    def start(name: str, _attrs: dict[str, str]) -> None:
        nonlocal current
        stack.append(name)
        if name == "dependency" and stack[-2:-1] == ["dependencies"]:
            current = {"depth": len(stack)}
        elif current is not None and len(stack) == current["depth"] + 1 and name in FIELDS:
            chars.clear()
            if name == "artifactId":
                current["at"] = (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    def end(name: str) -> None:
        nonlocal current
        if current is not None and len(stack) == current["depth"] + 1 and name in FIELDS:
            current[name] = "".join(chars).strip()
        elif current is not None and len(stack) == current["depth"]:
            group, artifact = current.get("groupId", ""), current.get("artifactId", "")
            if group and artifact:
                line, column = current.get("at", (0, 0))
                found.append(Dependency(f"{group}:{artifact}", current.get("version", ""), line,
                                        column, origin="pom.xml", ecosystem="maven"))
            current = None
        stack.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars.append
    parser.EntityDeclHandler = refuse
    parser.Parse(text, True)
    yield from found


def tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """("code" | "comment" | "string", start, end) over a Groovy or Kotlin text, in order."""
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() > position:
            yield "code", position, match.start()
        kind = "comment" if match.group().startswith("/") else "string"
        yield kind, match.start(), match.end()
        position = match.end()
    if position < len(text):
        yield "code", position, len(text)


def _content(text: str, start: int, end: int) -> str:
    quote = 3 if text.startswith(('"""', "'''"), start) else 1
    return text[start + quote:end - quote]


def gradle(text: str, lines: Lines, origin: str = "gradle") -> Iterator[Dependency]:
    """``implementation 'g:a:v'``, ``api("g:a:v")``, ``implementation(platform("g:a:v"))``,
    ``implementation group: 'g', name: 'a', version: 'v'`` (``=`` in Kotlin)."""
    code = ""  # the code since the last string, comments left out
    named: dict[str, tuple[str, int]] = {}  # map notation being read: field -> (value, offset)
    for kind, start, end in tokens(text):
        if kind != "string":
            code += text[start:end] if kind == "code" else ""
            continue
        value, before, code = _content(text, start, end), code[-200:], ""
        field = _NAMED.search(before)
        if named and (field is None or not _NEXT.match(before)):
            yield from _named(named, lines, origin)
        if field is not None and (named or (field.group(1) == "group" and
                                  _configuration(before[:field.start(1)]))):
            named[field.group(1)] = (value, start)
            continue
        coordinate = _COORDINATE.match(value)
        if coordinate is not None and _configuration(before):
            line, column = lines.at(start)
            yield Dependency(f"{coordinate.group(1)}:{coordinate.group(2)}", coordinate.group(3) or "",
                             line, column, origin=origin, ecosystem="maven")
    yield from _named(named, lines, origin)


def _configuration(before: str) -> bool:
    found = _CONFIGURATION.search(before)
    return found is not None and found.group(1).lower().endswith(CONFIGURATIONS)


def _named(named: dict[str, tuple[str, int]], lines: Lines, origin: str) -> Iterator[Dependency]:
    if "group" in named and "name" in named:
        line, column = lines.at(named["name"][1])
        yield Dependency(f"{named['group'][0]}:{named['name'][0]}", named.get("version", ("", 0))[0],
                         line, column, origin=origin, ecosystem="maven")
    named.clear()


def version_catalog(text: str, lines: Lines) -> Iterator[Dependency]:
    """``[libraries]`` of a Gradle version catalog: ``x = "g:a:v"``, ``{ module = "g:a", version
    = … }`` or ``{ group = "g", name = "a", version.ref = "x" }``."""
    data = tomllib.loads(text)
    versions = data.get("versions", {})
    libraries = data.get("libraries", {})
    section = re.search(r"(?m)^[ \t]*\[[ \t]*libraries[ \t]*\]", text)
    for key, entry in libraries.items() if isinstance(libraries, dict) else ():
        name, version = "", ""
        if isinstance(entry, str) and (coordinate := _COORDINATE.match(entry)):
            name, version = f"{coordinate.group(1)}:{coordinate.group(2)}", coordinate.group(3) or ""
        elif isinstance(entry, dict):
            module = entry.get("module") or f"{entry.get('group', '')}:{entry.get('name', '')}"
            name = module if isinstance(module, str) and re.match(r"^[\w.-]+:[\w.-]+$", module) else ""
            version = _version(entry.get("version"), versions)
        if name:
            found = re.compile(r"(?m)^[ \t]*(?=[\"']?" + re.escape(key) + r"[\"']?\s*=)").search(
                text, section.end() if section else 0)
            line, column = lines.at(found.end()) if found else (0, 0)
            yield Dependency(name, version, line, column, origin="versions.toml", ecosystem="maven")


def _version(value: object, versions: object) -> str:
    """``"1.2"``, ``{ref = "x"}`` (looked up in ``[versions]``), ``{strictly = "1.2"}`` …"""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        ref = value.get("ref")
        if isinstance(ref, str) and isinstance(versions, dict):
            return _version(versions.get(ref), None)
        return next((str(v) for k, v in value.items() if k in ("strictly", "require", "prefer")), "")
    return ""
