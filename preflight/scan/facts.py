"""Facts extracted once from one file and shared by every source rule.

A scanner never hands a rule the file's text, and never a secret: a key found
in a file becomes a :class:`Secret` carrying only its redacted form and a
one-way digest. Facts are plain, picklable data, so files can be scanned in
worker processes and checked in the main one.

Each fact is a :class:`typing.NamedTuple`: immutable, hashable, compared by
value and pickled compactly, with its fields as attributes (a changed copy is
``fact._replace(field=value)``). They are not dataclasses because a dataclass
generates and compiles its methods when its module is imported, about 4 ms for
these thirteen on every start of the tool (a pre-commit hook starts for every
commit); a NamedTuple costs a fraction of that. For the same reason this module
does not postpone its annotations: a string annotation of a NamedTuple field is
compiled at import.
"""

from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from preflight.suppress import Mark

Usage = Literal["call", "config"]


class Import(NamedTuple):
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


class Dependency(NamedTuple):
    """A declared or installed package: ``google-genai>=1.0`` in some dependency file."""

    name: str  # PEP 503-normalised for PyPI, as written for npm
    specifier: str  # "" when unconstrained
    line: int
    column: int
    cell: int | None = None
    origin: str = "requirements"  # requirements | pyproject | setup.py | pip install | package.json ...
    ecosystem: Literal["pypi", "npm", "go", "maven"] = "pypi"  # maven: "group:artifact" names


class ModelRef(NamedTuple):
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


class Span(NamedTuple):
    """Where a value is written: start, end (exclusive column) and its source text."""

    line: int
    column: int
    end_line: int
    end_column: int
    cell: int | None = None
    text: str = ""


class RetryOptions(NamedTuple):
    """``HttpRetryOptions(...)`` (or its dict / JS object): ``None`` means not written."""

    line: int
    column: int
    cell: int | None = None
    attempts: int | None = None
    initial_delay: float | None = None  # seconds
    max_delay: float | None = None
    exp_base: float | None = None
    status_codes: tuple[int, ...] | None = None
    status_span: Span | None = None  # the http_status_codes value
    delay_span: Span | None = None  # the initial_delay value


class HttpConfig(NamedTuple):
    """``HttpOptions(...)`` (or its dict / JS object) given to a client or a call."""

    line: int
    column: int
    cell: int | None = None
    timeout: float | None = None  # milliseconds, when written as a number
    timeout_span: Span | None = None  # the timeout value (for messages and fixes)
    retry: RetryOptions | None = None
    known: bool = True  # False: written through something the scanner could not resolve


class ClientCall(NamedTuple):
    """A ``Client(...)`` call: which Vertex switch it turns on and how it gets an API key."""

    flag: str  # "vertexai" or "enterprise" when set to True, else ""
    api_key: str  # how a non-None key is given ("a string literal", "os.environ[...]"), else ""
    line: int
    column: int
    cell: int | None = None
    project: str = ""  # literal project= / location=, when written as strings
    location: str = ""
    sdk: str = ""  # "google-genai" / "@google/genai" when the imports say so, else ""
    location_set: bool = False  # location= given in any form (literal, variable, env read)
    http: HttpConfig | None = None  # http_options=, when given
    name: str = ""  # the variable or attribute it is assigned to
    language: str = "python"

    @property
    def reaches_gemini(self) -> bool:
        return bool(self.sdk)


CallKind = Literal["generate", "stream", "chat", "embed", "image", "live", "count_tokens",
                   "batch", "tuning", "legacy"]


class ModelCall(NamedTuple):
    """A call that reaches Gemini, with its model and the parts of its config rules read.

    ``config_known`` is False when the config is passed in a form the scanner
    could not resolve (a parameter, ``**kwargs``): rules then assume nothing.
    """

    kind: CallKind
    method: str  # as written: "generate_content", "generateContent", "send_message" ...
    line: int
    column: int
    cell: int | None = None
    model: str = ""  # the literal, or the module constant's literal; "" when unknown
    model_span: Span | None = None  # where that literal is written
    config_known: bool = True
    max_output_tokens: int | None = None
    output_cap: bool = False  # max_output_tokens given in any form
    thinking: bool = False  # a thinking config given in any form
    thinking_level: str = ""  # "low", "high" ... when written as a literal
    modalities: tuple[str, ...] = ()  # response_modalities, upper case
    tools: tuple[str, ...] = ()  # catalog tool names: computer-use, google-search ...
    http: HttpConfig | None = None  # per-call http_options
    client: str = ""  # the variable the call is made through (client.models...)
    function: str = ""  # the enclosing function ("" at module level)
    retried: bool = False  # inside a retry wrapper or loop of this file
    language: str = "python"


RetryKind = Literal["tenacity", "backoff", "api_core", "loop"]
# What a retry wrapper catches: "everything" (no filter, bare except, Exception), "api-error"
# (APIError/ClientError without looking at the status), "status" (a predicate or handler that
# looks at the error), "specific" (ServerError or other narrow classes), "unknown".
Catches = Literal["everything", "api-error", "status", "specific", "unknown"]


class RetryWrapper(NamedTuple):
    """A retry around code that calls Gemini: a decorator, a retrying object, or a loop."""

    kind: RetryKind
    line: int
    column: int
    cell: int | None = None
    function: str = ""  # the decorated (or enclosing) function
    catches: Catches = "unknown"
    bounded: bool | None = None  # None: cannot tell
    forever: bool = False  # ``while True`` with no way out of the handler
    first_delay: float | None = None  # seconds before the first retry, when a number
    delay_span: Span | None = None
    detail: str = ""  # how it is written, for messages: "@retry", "backoff.on_exception" ...
    language: str = "python"


class Secret(NamedTuple):
    """A credential found in text: only its redacted form and digest are kept."""

    kind: str  # id of the pattern in data/keys.yaml
    redacted: str
    digest: str
    line: int
    column: int
    cell: int | None = None
    context: str = ""  # "firebase": inside a Firebase app config (public by design)


class ServiceAccountKey(NamedTuple):
    """A service-account key JSON (``"type": "service_account"`` + PEM private key)."""

    embedded: bool  # inside another file rather than a JSON file of its own
    digest: str
    line: int
    column: int
    cell: int | None = None
    project: str = ""


class EnvVar(NamedTuple):
    """One ``NAME=value`` of a ``.env`` file; the value itself is never kept."""

    name: str
    truthy: bool  # "true" or "1", as google-genai reads its switches
    empty: bool
    line: int
    column: int


class SourceFile:
    """Everything the source rules may look at for one file.

    A plain class, not a dataclass (whose generated methods are compiled at import):
    the same constructor (each list defaults to a new empty one), attributes compared
    by value, and unhashable as the mutable record it is.
    """

    def __init__(
        self,
        path: str,  # as reports show it
        kind: str,  # python | notebook | requirements | pyproject | ... | env | js | text
        stage: str | None = None,  # from the file name (``.env.production``); None: inherit
        imports: list[Import] | None = None,
        dependencies: list[Dependency] | None = None,
        models: list[ModelRef] | None = None,
        clients: list[ClientCall] | None = None,
        calls: list[ModelCall] | None = None,
        retries: list[RetryWrapper] | None = None,
        secrets: list[Secret] | None = None,
        service_account_keys: list[ServiceAccountKey] | None = None,
        env: list[EnvVar] | None = None,
        signals: frozenset[str] = frozenset(),  # "usage", "latency", "location" (scan/signals.py)
        size: int = 0,
        # Suppression comments (preflight/suppress.py): not rule facts, kept for the run's end.
        suppressions: "list[Mark] | None" = None,
    ) -> None:
        self.path = path
        self.kind = kind
        self.stage = stage
        self.imports: list[Import] = [] if imports is None else imports
        self.dependencies: list[Dependency] = [] if dependencies is None else dependencies
        self.models: list[ModelRef] = [] if models is None else models
        self.clients: list[ClientCall] = [] if clients is None else clients
        self.calls: list[ModelCall] = [] if calls is None else calls
        self.retries: list[RetryWrapper] = [] if retries is None else retries
        self.secrets: list[Secret] = [] if secrets is None else secrets
        self.service_account_keys: list[ServiceAccountKey] = \
            [] if service_account_keys is None else service_account_keys
        self.env: list[EnvVar] = [] if env is None else env
        self.signals = signals
        self.size = size
        self.suppressions: list[Mark] = [] if suppressions is None else suppressions

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    __hash__ = None  # type: ignore[assignment]  # mutable: compared by value, never hashed

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in vars(self).items())
        return f"SourceFile({shown})"

    def has_facts(self) -> bool:
        return any((self.imports, self.dependencies, self.models, self.clients, self.calls,
                    self.retries, self.secrets, self.service_account_keys, self.env, self.signals))
