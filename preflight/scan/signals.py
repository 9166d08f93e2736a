"""Evidence a repository records token usage and latency, or sets a Vertex location: byte needles.

The repository-wide rules (GP601, GP602, GP605) ask whether *any* file shows
the practice, so the evidence is cheap and generous (precision first: any sign
silences them). It is read from the bytes the prefilter already has, without
decoding or parsing.
"""

from __future__ import annotations

CODE_KINDS = frozenset({"python", "notebook", "js", "html"})
USAGE = (b"usage_metadata", b"usageMetadata", b"total_token_count", b"totalTokenCount",
         b"prompt_token_count", b"promptTokenCount", b"candidates_token_count")
LATENCY = (b"perf_counter", b"monotonic", b"time.time(", b"Date.now(", b"performance.now(",
           b"hrtime", b"latency", b"Latency", b"elapsed", b"duration", b"opentelemetry",
           b"start_as_current_span", b"startActiveSpan", b"Histogram", b"timeit")
LOCATION = (b"GOOGLE_CLOUD_LOCATION", b"GOOGLE_CLOUD_REGION")


def needles(kind: str) -> dict[str, tuple[bytes, ...]]:
    """The needles of each signal a file of ``kind`` can show (audit finds them in its one pass)."""
    if kind in CODE_KINDS:
        return {"usage": USAGE, "latency": LATENCY, "location": LOCATION}
    return {"location": LOCATION}


def observe(kind: str, data: bytes) -> frozenset[str]:
    """The signals in one file's bytes: "usage", "latency" (code only), "location" (any file)."""
    return frozenset(name for name, found in needles(kind).items() if any(n in data for n in found))
