"""Facts from files: Python, notebooks, dependency files, ``.env``, JS/TS, and secrets in any text.

:func:`scan_file` reads one file and returns its :class:`SourceFile` facts.
A cheap byte-level prefilter decides first whether the file can hold anything
a source rule looks at; most files never get decoded or parsed.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterator
from os import PathLike
from typing import NamedTuple

from preflight import suppress
from preflight.scan import python, pywalk, secrets, signals, treesitter

# Dependency files, .env and JS are rarer than Python: their readers (and what
# they import: tomllib, configparser, shlex, json) load on first use, which
# keeps `check` of a manifest quick to start.
from preflight.scan.facts import Dependency, SourceFile
from preflight.scan.models import NEEDLES as MODEL_NEEDLES
from preflight.scan.prefilter import Searcher
from preflight.scan.read import MAX_BYTES, Skip, decode, read_raw, searchable

__all__ = ["MAX_BYTES", "Skip", "SourceFile", "classify", "scan_file", "warm"]

_REQUIREMENTS = re.compile(r"^(?:.*[-_.])?(?:requirements|constraints)(?:[-_.].*)?\.(?:txt|in)$")
_ENV = re.compile(r"^(?:\.env(?:\..+)?|.+\.env)$")
_JS = frozenset({".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts"})
_HTML = frozenset({".html", ".htm", ".vue", ".svelte"})  # read for their <script> blocks
# JS/TS (and <script> blocks) are parsed only when they hold one of these.
JS_NEEDLES = (b"generative-ai", b"vertexai", b"google/genai", b"GoogleGenAI", b"GoogleGenerativeAI",
              *MODEL_NEEDLES)
# Go files are parsed only when they hold one of these (google.golang.org/genai alone: nothing to say).
GO_NEEDLES = (b"generative-ai-go", b"go/vertexai", b"BackendVertexAI", *MODEL_NEEDLES)
_DEP_FILES = {"pyproject.toml": "pyproject", "setup.cfg": "setup.cfg", "Pipfile": "pipfile",
              "package.json": "package.json", "setup.py": "setup.py",
              "go.mod": "go.mod"}
_JVM_BUILD = {".gradle": "gradle", ".gradle.kts": "gradle", ".versions.toml": "gradle-catalog"}
_JVM_ENDINGS = tuple(_JVM_BUILD)


# Suffixes whose kind no other rule of classify() can change, except for the names it checks
# first (_DEP_FILES, JVM build files, .env files): most files of a tree are decided here.
_BY_SUFFIX = {".py": "python", ".pyw": "python", ".pyi": "python", ".ipynb": "notebook",
              ".java": "java", ".kt": "kotlin", **dict.fromkeys(_JS, "js"),
              **dict.fromkeys(_HTML, "html")}
_CONDA = re.compile(r"^environment.*\.ya?ml$")


def classify(path: str | PathLike[str]) -> str:
    """The kind of scan a file gets, from its name."""
    folder, name = os.path.split(os.fspath(path))
    suffix = _suffix(name)
    kind = _BY_SUFFIX.get(suffix)
    if kind is not None and name not in _DEP_FILES and not name.startswith(".env") \
            and not name.lower().endswith(_JVM_ENDINGS):
        return kind
    if name in _DEP_FILES:
        return _DEP_FILES[name]
    if name == "pom.xml":
        return "pom"
    if build := next((k for end, k in _JVM_BUILD.items() if name.lower().endswith(end)), None):
        return build
    if suffix in (".py", ".pyw", ".pyi"):
        return "python"
    if suffix == ".ipynb":
        return "notebook"
    if _REQUIREMENTS.match(name.lower()) or (os.path.basename(folder) == "requirements"
                                             and suffix in (".txt", ".in")):
        return "requirements"
    if _CONDA.match(name):
        return "conda"
    if _ENV.match(name):
        return "env"
    if suffix in _JS:
        return "js"
    if suffix in _HTML:
        return "html"
    if suffix == ".go":  # vendor/: the code of other modules, copied by `go mod vendor`
        return "text" if "vendor" in folder.replace(os.sep, "/").split("/") else "go"
    if suffix in (".java", ".kt", ".kts"):  # build.gradle.kts is a build file (above)
        return "java" if suffix == ".java" else "kotlin"
    if suffix in (".sh", ".bash") or name.startswith(("Dockerfile", "Containerfile")):
        return "shell"
    return "text"


@functools.lru_cache(maxsize=16)
def _searcher(kind: str) -> Searcher:
    """One automaton per kind and what each of its needles stands for.

    "key", "account" (service-account marker), "marked" (a suppression comment), "fact"
    (Python and notebooks: the needles of every Python extractor, and ``install`` for a
    notebook's ``%pip install``), or "signal:<name>" (preflight/scan/signals.py); one pass
    over the bytes decides all.
    """
    labelled = [(n, "key") for n in secrets.KEY_NEEDLES] + [(secrets.SA_NEEDLE, "account")]
    labelled += [(n, "marked") for n in suppress.MARKERS]
    if kind in ("python", "notebook"):
        facts = pywalk.needles() + (("install",) if kind == "notebook" else ())
        labelled += [(n.encode(), "fact") for n in facts]
    elif kind in ("js", "html"):
        labelled += [(n, "fact") for n in JS_NEEDLES]
    elif kind == "go":
        labelled += [(n, "fact") for n in GO_NEEDLES]
    elif kind in ("java", "kotlin"):
        from preflight.scan.java import NEEDLES as JAVA_NEEDLES

        labelled += [(n, "fact") for n in JAVA_NEEDLES]
    for name, found in signals.needles(kind).items():
        labelled += [(n, f"signal:{name}") for n in found]
    return Searcher(labelled)


class _Seen(NamedTuple):
    keys: dict[bytes, list[int]]  # offsets of each key prefix in the bytes (none: no key)
    accounts: bool  # may hold a service-account key
    facts: bool  # may hold another fact
    signals: frozenset[str]
    marked: bool  # may hold a suppression comment


_NOTHING = _Seen({}, False, False, frozenset(), False)
# Kinds whose facts the needles announce ("fact"); the others are looked at by _wanted().
_BY_NEEDLES = frozenset({"python", "notebook", "js", "html", "go", "java", "kotlin"})


def _prefilter(kind: str, data: bytes) -> _Seen:
    seen, keys = _searcher(kind).search(data)
    if not seen and (kind in _BY_NEEDLES or kind == "text"):  # most files
        return _NOTHING
    facts = "fact" in seen if kind in _BY_NEEDLES else _wanted(kind, data)
    return _Seen(keys, "account" in seen, facts,
                 frozenset(s[7:] for s in seen if s.startswith("signal:")), "marked" in seen)


def _wanted(kind: str, data: bytes) -> bool:
    """Can a file that is not Python hold a fact other than a secret?"""
    if kind == "env":
        from preflight.scan import other

        return any(n in data for n in other.ENV_NEEDLES)
    if kind in ("text",):
        return False
    from preflight.scan import deps

    lowered = data.lower()
    return any(n in lowered for n in deps.NEEDLES)


def warm(kinds: set[str]) -> None:
    """Load what scanning files of ``kinds`` needs (modules, automata, data, grammars) now,
    in a process about to fork workers: they inherit it instead of each loading it again."""
    import importlib

    for kind in kinds:
        _searcher(kind)
    secrets.config()
    modules = []
    if kinds & {"python", "notebook", "setup.py"}:
        pywalk.extractors()
        modules.append("notebook" if "notebook" in kinds else "python")
    if kinds - {"python", "notebook", "text", "js", "html"}:
        modules.append("deps")
    grammars: list[str] = []
    if kinds & {"js", "html"}:
        modules += ["javascript", "jscalls"]
        grammars += ["javascript", "typescript", "tsx"]
    if "go" in kinds:
        modules.append("golang")
        grammars.append("go")
    if kinds & {"java", "kotlin"}:
        modules.append("java")
        grammars += sorted(kinds & {"java", "kotlin"})
    for grammar in grammars:
        try:
            treesitter.parser(grammar)
        except treesitter.Unavailable:
            continue
    for module in modules:  # not packaging: most requirements are read without it (scan/deps.py)
        importlib.import_module(f"preflight.scan.{module}")


def _suffix(name: str) -> str:
    """``Path(name).suffix.lower()``, without building a path."""
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def scan_file(path: str | PathLike[str], display: str, max_bytes: int = MAX_BYTES,
              kind: str | None = None) -> tuple[SourceFile, str | None]:
    """The facts of one file and an optional note (e.g. "invalid notebook JSON"); ``kind``
    is ``classify(path)``, when the caller knows it already.

    Raises :class:`Skip` for a file that is not scanned (binary, too large, unreadable).
    """
    raw = read_raw(path, max_bytes)
    data = searchable(raw)
    kind = kind or classify(path)
    out = SourceFile(display, kind, size=len(raw.data))
    seen = _prefilter(kind, data)
    keys, accounts, wanted = seen.keys, seen.accounts, seen.facts
    out.signals = seen.signals
    # markers are found in the one pass when the bytes searched are the file's own (UTF-8)
    marked = seen.marked if data is raw.data else suppress.marked(raw.data)
    if not (keys or accounts or wanted or marked):
        return out, None
    text = decode(raw)
    if marked:
        out.suppressions.extend(suppress.find(text, suppress.kind_of(os.path.basename(path))))
    lines = secrets.Lines(text)
    try:
        note, cell_of, ignore = _structure(kind, text, lines, out, wanted)
    except Exception as exc:  # a malformed part never hides the keys of the rest
        out = SourceFile(display, kind, size=len(raw.data))
        note = f"could not parse as {kind} ({type(exc).__name__}): searched as plain text"
        cell_of = ignore = None
    if keys:
        try:
            out.secrets.extend(secrets.find_keys(data, keys, text, lines, cell_of, ignore))
        except Exception:  # the notebook layout failed: keys without cell numbers
            out.secrets.extend(secrets.find_keys(data, keys, text, lines, None, None))
    if accounts:
        whole = _suffix(os.path.basename(path)) == ".json" and text.lstrip("\ufeff \t\r\n").startswith("{")
        try:
            found = secrets.find_service_account_keys(text, lines, whole, cell_of)
        except Exception:
            found = secrets.find_service_account_keys(text, lines, whole, None)
        out.service_account_keys.extend(found)
    return out, note


Structure = tuple[str | None, Callable[[int], int | None] | None, Callable[[int], bool] | None]


def _structure(kind: str, text: str, lines: secrets.Lines, out: SourceFile,
               wanted: bool) -> Structure:
    """Facts from the file's structure; for a notebook, where its cells stand."""
    note = None
    cell_of: Callable[[int], int | None] | None = None
    ignore: Callable[[int], bool] | None = None
    if kind == "notebook":
        from preflight.scan.notebook import scan_notebook

        layout = scan_notebook(text, lines, out, wanted)
        if layout is None:
            note = "not valid notebook JSON: searched as plain text"
            if wanted:
                from preflight.scan.notebook import scan_broken

                scan_broken(text, out)
        else:
            cell_of, ignore = layout.cell_of, layout.ignore
    elif wanted:
        try:
            _facts(kind, text, lines, out)
        except treesitter.Unavailable as exc:  # a grammar wheel missing from the install
            note = f"{exc}: searched for keys only"
        except Exception as exc:  # a malformed file is searched as text, never a crash
            note = f"could not parse as {kind} ({type(exc).__name__}): searched as plain text"
    return note, cell_of, ignore


def _facts(kind: str, text: str, lines: secrets.Lines, out: SourceFile) -> None:
    if kind == "python":
        python.scan_python(text, out)
    elif kind == "env":
        from preflight.scan import other

        out.env.extend(other.env_file(text))
    elif kind in ("js", "html"):
        from preflight.scan import javascript

        if kind == "js":
            suffix = out.path[out.path.rfind("."):].lower()
            javascript.scan_js(text, out, javascript.grammar_of(suffix))
        else:
            javascript.scan_html(text, out)
    elif kind == "go":
        from preflight.scan import golang

        golang.scan_go(text, out)
    elif kind in ("java", "kotlin"):
        from preflight.scan import java

        (java.scan_java if kind == "java" else java.scan_kotlin)(text, out)
    elif kind == "setup.py":
        from preflight.scan import deps

        python.scan_python(text, out)
        out.dependencies.extend(deps.setup_py(text))
    else:
        out.dependencies.extend(_dependencies(kind, text, lines))


def _dependencies(kind: str, text: str, lines: secrets.Lines) -> Iterator[Dependency]:
    from preflight.scan import deps

    if kind == "requirements":
        return deps.requirements_file(text)
    if kind == "pyproject":
        return deps.pyproject(text, lines)
    if kind == "pipfile":
        return deps.pipfile(text, lines)
    if kind == "setup.cfg":
        return deps.setup_cfg(text, lines)
    if kind == "conda":
        return deps.conda(text, lines)
    if kind == "package.json":
        return deps.package_json(text, lines)
    if kind == "go.mod":
        from preflight.scan import golang

        return golang.go_mod(text)
    if kind == "shell":
        return _shell(text)
    if kind in ("pom", "gradle", "gradle-catalog"):
        from preflight.scan import jvmbuild

        return jvmbuild.pom(text) if kind == "pom" else jvmbuild.version_catalog(text, lines) \
            if kind == "gradle-catalog" else jvmbuild.gradle(text, lines)
    return iter(())


def _shell(text: str) -> Iterator[Dependency]:
    from preflight.scan import deps

    for number, line in enumerate(text.split("\n"), 1):
        if "install" in line and not line.lstrip().startswith("#"):
            for name, spec, column in deps.pip_installs(line):
                yield Dependency(name, spec, number, column, origin="pip install")
