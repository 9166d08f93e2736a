"""What a model-ID literal looks like, and which calls take a model or a default."""

from __future__ import annotations

import re

# A Gemini (or PaLM/Codey chat and text) model ID, optionally as ``models/…`` or a Vertex resource name,
# optionally with an ``@version`` suffix. Prose, file names and URLs do not match.
MODEL_ID = re.compile(
    r"^(?:models/|publishers/google/models/|projects/[\w.-]+/locations/[\w-]+/publishers/google/models/)?"
    r"(?:gemini-(?:\d|pro\b|flash|ultra|nano|exp)[0-9a-z.-]*"
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
MODEL_KEYWORDS = frozenset({"model", "model_name", "model_id", "modelName", "modelId"})
# Calls that provide a default (configuration), not a use: os.environ.get("M", "gemini-…").
DEFAULT_CALLS = frozenset({
    "get", "getenv", "setdefault", "add_argument", "option", "Field", "field", "env",
    "str", "config", "get_config", "DEFINE_string", "Param",
})


def looks_like_model_id(text: str) -> bool:
    return len(text) <= 160 and MODEL_ID.match(text) is not None and not _NOT_AN_ID.search(text)


NEEDLES = (b"gemini-", b"-bison")
