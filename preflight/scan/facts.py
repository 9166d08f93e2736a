"""Facts extracted once from one file and shared by every source rule.

A scanner never hands a rule the file's text, and never a secret: a key found
in a file becomes a :class:`Secret` carrying only its redacted form and a
one-way digest. Facts are plain, picklable data, so files can be scanned in
worker processes and checked in the main one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Usage = Literal["call", "config"]


@dataclass(frozen=True, slots=True)
class Import:
    """``import module`` / ``from module import names`` (or a JS/TS import of a package)."""

    module: str
    line: int
    column: int
    cell: int | None = None
    names: tuple[str, ...] = ()  # for ``from module import a, b``
    language: str = "python"

    def modules(self) -> tuple[str, ...]:
        """The module and, for a from-import, each ``module.name`` it may bring in."""
        return (self.module, *(f"{self.module}.{n}" for n in self.names))


@dataclass(frozen=True, slots=True)
class Dependency:
    """A declared or installed package: ``google-genai>=1.0`` in some dependency file."""

    name: str  # PEP 503-normalised for PyPI, as written for npm
    specifier: str  # "" when unconstrained
    line: int
    column: int
    cell: int | None = None
    origin: str = "requirements"  # requirements | pyproject | setup.py | pip install | package.json ...
    ecosystem: Literal["pypi", "npm"] = "pypi"


@dataclass(frozen=True, slots=True)
class ModelRef:
    """A model-ID string literal in code.

    ``usage`` is ``"call"`` when the literal is passed straight into a call
    (``model="gemini-…"``, ``GenerativeModel("…")``), and ``"config"`` when it
    is configuration: an assignment (``MODEL_ID = "…"  # @param``), a
    parameter default, the fallback of ``os.environ.get``/``getenv``, an
    ``add_argument(default=…)``, or a ``{"model": …}`` entry.
    """

    model_id: str
    line: int
    column: int
    cell: int | None = None
    usage: Usage = "call"
    where: str = ""  # how it is written, for messages: "model=", "MODEL_ID = …"
    env: str = ""  # the environment variable it is the default of (os.environ.get("X", …))


@dataclass(frozen=True, slots=True)
class ClientCall:
    """A ``Client(...)`` call: which Vertex switch it turns on and how it gets an API key."""

    flag: str  # "vertexai" or "enterprise" when set to True, else ""
    api_key: str  # how a non-None key is given ("a string literal", "os.environ[...]"), else ""
    line: int
    column: int
    cell: int | None = None
    project: str = ""  # literal project= / location=, when written as strings
    location: str = ""


@dataclass(frozen=True, slots=True)
class Secret:
    """A credential found in text: only its redacted form and digest are kept."""

    kind: str  # id of the pattern in data/keys.yaml
    redacted: str
    digest: str
    line: int
    column: int
    cell: int | None = None


@dataclass(frozen=True, slots=True)
class ServiceAccountKey:
    """A service-account key JSON (``"type": "service_account"`` + PEM private key)."""

    embedded: bool  # inside another file rather than a JSON file of its own
    digest: str
    line: int
    column: int
    cell: int | None = None
    project: str = ""


@dataclass(frozen=True, slots=True)
class EnvVar:
    """One ``NAME=value`` of a ``.env`` file; the value itself is never kept."""

    name: str
    truthy: bool  # "true" or "1", as google-genai reads its switches
    empty: bool
    line: int
    column: int


@dataclass
class SourceFile:
    """Everything the source rules may look at for one file."""

    path: str  # as reports show it
    kind: str  # python | notebook | requirements | pyproject | ... | env | js | text
    stage: str | None = None  # from the file name (``.env.production``); None: inherit
    imports: list[Import] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)
    models: list[ModelRef] = field(default_factory=list)
    clients: list[ClientCall] = field(default_factory=list)
    secrets: list[Secret] = field(default_factory=list)
    service_account_keys: list[ServiceAccountKey] = field(default_factory=list)
    env: list[EnvVar] = field(default_factory=list)
    size: int = 0

    def has_facts(self) -> bool:
        return any((self.imports, self.dependencies, self.models, self.clients, self.secrets,
                    self.service_account_keys, self.env))
