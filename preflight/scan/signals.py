"""Evidence a repository records token usage and latency, or sets a Vertex location: byte needles.

The repository-wide rules (GP601, GP602, GP605) ask whether *any* file shows
the practice, so the evidence is cheap and generous (precision first: any sign
silences them). It is read from the bytes the prefilter already has, without
decoding or parsing.
"""

from __future__ import annotations

CODE_KINDS = frozenset({"python", "notebook", "js"})
USAGE = (b"usage_metadata", b"usageMetadata", b"total_token_count", b"totalTokenCount",
         b"prompt_token_count", b"promptTokenCount", b"candidates_token_count")
LATENCY = (b"perf_counter", b"monotonic", b"time.time(", b"Date.now(", b"performance.now(",
           b"hrtime", b"latency", b"Latency", b"elapsed", b"duration", b"opentelemetry",
           b"start_as_current_span", b"startActiveSpan", b"Histogram", b"timeit")
LOCATION = (b"GOOGLE_CLOUD_LOCATION", b"GOOGLE_CLOUD_REGION")


def observe(kind: str, data: bytes) -> frozenset[str]:
    """The signals in one file's bytes: "usage", "latency" (code only), "location" (any file)."""
    found = []
    if kind in CODE_KINDS:
        if any(n in data for n in USAGE):
            found.append("usage")
        if any(n in data for n in LATENCY):
            found.append("latency")
    if any(n in data for n in LOCATION):
        found.append("location")
    return frozenset(found)
