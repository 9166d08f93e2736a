"""Fixes for dependency declarations: one legacy package renamed to its replacement.

Used by GP101 and GP102. A declaration is rewritten where it is written, in
the file's own syntax, with a specifier no lower than the catalog's minimum:

* a PEP 508 string (requirements files, PEP 621 tables, ``setup.py``,
  ``setup.cfg``, conda ``pip:`` lists, ``pip install`` lines):
  ``google-generativeai==0.8.3`` -> ``google-genai>=1.56.0`` (markers kept);
* a Poetry or Pipfile table entry: ``google-generativeai = "^0.8"`` (or
  ``{version = "^0.8", ...}``) -> ``google-genai = ">=1.56.0"``;
* a ``package.json`` entry: ``"@google/generative-ai": "^0.21.0"`` ->
  ``"@google/genai": "^1.0.0"``.

A declaration of the legacy Vertex AI SDK (``google-cloud-aiplatform``,
``vertexai``) is not renamed: the package also carries APIs that are not
deprecated. :func:`python_add_fix` adds a google-genai requirement beside it
instead, in the same file and style: the line after it (requirements files,
``setup.cfg``, ``environment.yml``, a Poetry or Pipfile table, an array entry
of one per line), the next item of an inline array (PEP 621, ``setup.py``),
or a word before it on a ``pip install`` line. Environment markers are copied.

No fix is offered when the file already declares the replacement, nor for a
second legacy npm entry of one file (two declarations of one package would
conflict: the second is removed by hand), and lock files are never
edited: the fixer's notes say to re-lock.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from preflight.edits import Edit, Fix

if TYPE_CHECKING:
    from preflight.catalog import Catalog
    from preflight.scan.facts import Dependency, SourceFile

PYPI_REPLACEMENT = "google-genai"
NPM_REPLACEMENT = "@google/genai"
PYPI_MINIMUM = "1.0.0"  # used when the catalog names no minimum for google-genai
NPM_LEGACY = ("@google/generative-ai", "@google-cloud/vertexai")
_SPEC = (r"(?:\s*(?:===|[<>=!~]=|[<>]|=)\s*[\w.*+!-]+"
         r"(?:\s*,\s*(?:===|[<>=!~]=|[<>])\s*[\w.*+!-]+)*)?")


def _name(name: str) -> str:
    """A PyPI name in any of its spellings (``-``, ``_``, ``.``; any case)."""
    parts = re.split(r"[-_.]+", name)
    return "(?i:" + "[-_.]".join(re.escape(p) for p in parts) + ")"


def python_fix(dep: Dependency, file: SourceFile, catalog: Catalog) -> Fix | None:
    """Rename a legacy PyPI declaration to google-genai, or None when that cannot be done safely."""
    if any(d.name == PYPI_REPLACEMENT for d in file.dependencies):
        return None
    minimum = catalog.sdk_minimum(PYPI_REPLACEMENT) or PYPI_MINIMUM
    name = _name(dep.name)
    new = f"{PYPI_REPLACEMENT}>={minimum}"
    table = (rf"(?<![\w.-]){name}(?P<k>[\"']?)(?P<a>\s*=\s*(?:\{{[^}}\n]*?\bversion\s*=\s*)?)"
             r"(?P<q>[\"'])[^\"'\n]*(?P=q)")
    requirement = rf"(?<![\w.-]){name}(?:\[[^\]\n]*\])?{_SPEC}(?![\w.*+!-])(?![\"']?\s*=\s*[\"'{{])"
    entry = rf"{PYPI_REPLACEMENT}\g<k>\g<a>\g<q>>={minimum}\g<q>"
    choices: tuple[tuple[str, str], ...] = ((table, entry), (requirement, new))
    if dep.origin == "pip install":
        choices = ((requirement, new),)
    edit = Edit(dep.line, dep.column, choices, dep.cell, shell=dep.origin == "pip install")
    return Fix(f"depend on {new} instead of {dep.name} (re-lock if you use a lock file)", (edit,))


_END = r"(?=\r?$)"  # the end of the line, before a CRLF's CR
_COMMENT = r"[ \t]*(?:#[^\r\n]*)?"


def python_add_fix(dep: Dependency, file: SourceFile, catalog: Catalog) -> Fix | None:
    """Add google-genai beside the legacy declaration ``dep`` (kept), or None when it cannot be."""
    if any(d.name == PYPI_REPLACEMENT for d in file.dependencies):
        return None
    minimum = catalog.sdk_minimum(PYPI_REPLACEMENT) or PYPI_MINIMUM
    new = f"{PYPI_REPLACEMENT}>={minimum}"
    req = rf"{_name(dep.name)}(?:\[[^\]\n]*\])?{_SPEC}(?![\w.*+!-])"
    marker = r"(?P<m>[ \t]*;(?:(?!(?P=q))[^\r\n])*)?"  # inside a string quoted by q
    # One requirement per line, as in requirements files (no hashes, no continuation).
    line = (rf"(?m)^(?![^\n]*--hash)(?P<i>[ \t]*){req}(?P<m>[ \t]*;[^#\r\n]*?)?{_COMMENT}(?<!\\){_END}",
            rf"\g<0>\n\g<i>{new}\g<m>")
    table = (rf"(?m)^(?P<i>[ \t]*)(?P<k>[\"']?){_name(dep.name)}(?P=k)(?P<a>[ \t]*=[ \t]*)"
             rf"(?=[^\"'\r\n]*(?P<q>[\"']))[^\r\n]*{_END}",
             rf"\g<0>\n\g<i>\g<k>{PYPI_REPLACEMENT}\g<k>\g<a>\g<q>>={minimum}\g<q>")
    entry = (rf"(?m)^(?P<i>[ \t]*)(?P<e>(?P<q>[\"']){req}{marker}(?P=q))(?P<c>,?)(?P<t>{_COMMENT}){_END}",
             rf"\g<i>\g<e>,\g<t>\n\g<i>\g<q>{new}\g<m>\g<q>\g<c>")
    inline = (rf"(?P<q>[\"']){req}{marker}(?P=q)", rf"\g<0>, \g<q>{new}\g<m>\g<q>")
    choices = {
        "requirements": (line,),
        "setup.cfg": (line, (rf"(?<![\w.-]){req}(?P<m>[ \t]*;[^#\r\n]*?)?[ \t]*{_END}",
                             rf"\g<0>\n    {new}\g<m>")),
        "environment.yml": ((rf"(?m)^(?P<i>[ \t]*-[ \t]*)(?P<q>[\"']?){req}[^\"'#\r\n]*(?P=q)"
                             rf"{_COMMENT}{_END}", rf"\g<0>\n\g<i>\g<q>{new}\g<q>"),),
        "pyproject.toml": (table, entry, inline),
        "Pipfile": (table,),
        "setup.py": (entry, inline),
        # A word of its own before the (quoted, in a notebook JSON-escaped) name: an insertion.
        "pip install": ((rf"(?<=\s)(?=(?:\\\"|[\"'])?{req})", f"'{new}' "),),
    }.get(dep.origin)
    if choices is None:
        return None
    column = max(dep.column - 2, 1) if dep.origin == "pip install" else 1  # before a quote
    return Fix(f"add {new} beside {dep.name}, which stays (re-lock if you use a lock file)",
               (Edit(dep.line, column, choices, dep.cell),))


def npm_fix(dep: Dependency, file: SourceFile, catalog: Catalog) -> Fix | None:
    """Rename a legacy npm dependency in package.json to @google/genai."""
    if dep.origin != "package.json" or any(d.name == NPM_REPLACEMENT for d in file.dependencies):
        return None
    legacy = [d for d in file.dependencies if d.ecosystem == "npm" and d.name in NPM_LEGACY]
    if legacy and legacy[0] != dep:  # a second legacy entry would become a duplicate key
        return None
    minimum = catalog.sdk_minimum(NPM_REPLACEMENT)  # sdk."@google/genai".minimum in catalog.yaml
    if minimum is None:
        return None  # a fix writes only a version the catalog vouches for
    pattern = '"' + re.escape(dep.name) + r'"(?P<a>\s*:\s*)"[^"\n]*"'
    edit = Edit(dep.line, dep.column, ((pattern, f'"{NPM_REPLACEMENT}"' + r"\g<a>" + f'"^{minimum}"'),))
    return Fix(f"depend on {NPM_REPLACEMENT}@^{minimum} instead of {dep.name} "
               "(re-run npm install to update the lock file)", (edit,))
