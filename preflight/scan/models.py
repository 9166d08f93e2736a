"""What a model-ID literal looks like, and which calls take a model or a default."""

from __future__ import annotations

import re

# A Google model ID, optionally as ``models/…`` or a Vertex resource name, optionally with an
# ``@version`` suffix: Gemini text, image, TTS and native-audio models (``gemini-2.5-flash…``),
# embedding (``gemini-embedding-001``, ``text-embedding-005``), Live (``gemini-live-2.5-…``),
# robotics (``gemini-robotics-er-2-preview``), omni (``gemini-omni-flash-preview``), Imagen
# (``imagen-4.0-generate-001``) and PaLM/Codey. Each family needs its version part, so names of
# projects and packages (``gemini-live-demo``, ``imagen-pytorch``, ``gemini-embeddings``), prose,
# file names and URLs do not match.
MODEL_ID = re.compile(
    r"^(?:models/|publishers/google/models/|projects/[\w.-]+/locations/[\w-]+/publishers/google/models/)?"
    r"(?:gemini-(?:\d|pro\b|flash|ultra|nano|exp)[0-9a-z.-]*"
    r"|gemini-(?:embedding-(?:\d|exp\b)|live-\d|robotics-er-\d|omni-(?:\d|flash|pro))[0-9a-z.-]*"
    r"|imagen-\d+\.\d+-[a-z][0-9a-z.-]*"
    r"|text-(?:multilingual-)?embedding-\d{3}"
    r"|(?:text|chat|code|codechat)-bison(?:-32k)?)"
    r"(?:@\d{3}|@latest)?$"
)
_NOT_AN_ID = re.compile(r"\.(?:json|ya?ml|txt|md|png|jpe?g|gif|svg|py|csv|html?|log)$|--|\.$")

# Calls whose first positional argument is a model ID.
MODEL_CALLS = frozenset({
    "GenerativeModel", "from_pretrained", "get_model", "ChatGoogleGenerativeAI",
    "ChatVertexAI", "VertexAI", "GoogleGenerativeAI", "GeminiModel", "Gemini",
})
# Keyword arguments that name a model.
# ``base_model=`` (``client.tunings.tune``) and ``source_model=`` (``sft.train``, model copies)
# name the model a tuning or model-management call starts from.
MODEL_KEYWORDS = frozenset({"model", "model_name", "model_id", "modelName", "modelId",
                            "base_model", "source_model"})
# Calls that provide a default (configuration), not a use: os.environ.get("M", "gemini-…").
DEFAULT_CALLS = frozenset({
    "get", "getenv", "setdefault", "add_argument", "option", "Field", "field", "env",
    "str", "config", "get_config", "DEFINE_string", "Param",
})


def looks_like_model_id(text: str) -> bool:
    return len(text) <= 160 and MODEL_ID.match(text) is not None and not _NOT_AN_ID.search(text)


NEEDLES = (b"gemini-", b"-bison", b"imagen-", b"text-embedding-", b"multilingual-embedding-")
