"""Facts from ``.env`` files."""

from __future__ import annotations

import re
from collections.abc import Iterator

from preflight.scan.facts import EnvVar

ENV_NEEDLES = (b"GOOGLE_GENAI_USE_VERTEXAI", b"GOOGLE_GENAI_USE_ENTERPRISE")

_ENV_LINE = re.compile(r"^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*(.*)$")


def env_file(text: str) -> Iterator[EnvVar]:
    """``NAME=value`` lines; only whether the value is true-ish or empty is kept."""
    for number, line in enumerate(text.split("\n"), 1):
        match = _ENV_LINE.match(line.rstrip("\r"))
        if match is None:
            continue
        value = re.sub(r"\s+#.*$", "", match.group(2)).strip().strip("'\"").strip()
        yield EnvVar(match.group(1), value.lower() in ("true", "1"), not value,
                     number, match.start(1) + 1)
