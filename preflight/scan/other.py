"""Facts from ``.env`` files and from JavaScript/TypeScript imports."""

from __future__ import annotations

import re
from collections.abc import Iterator

from preflight.scan.facts import EnvVar, Import

ENV_NEEDLES = (b"GOOGLE_GENAI_USE_VERTEXAI", b"GOOGLE_GENAI_USE_ENTERPRISE")
JS_PACKAGES = ("@google/generative-ai", "@google-cloud/vertexai")
JS_NEEDLES = tuple(p.encode() for p in JS_PACKAGES)

_ENV_LINE = re.compile(r"^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*(.*)$")
_JS_IMPORT = re.compile(
    r"""(?:\bfrom\s*|\bimport\s*(?:\(\s*)?|\brequire\s*\(\s*)(['"`])"""
    r"""(@google/generative-ai|@google-cloud/vertexai)(?:/[^'"`]*)?\1"""
)


def env_file(text: str) -> Iterator[EnvVar]:
    """``NAME=value`` lines; only whether the value is true-ish or empty is kept."""
    for number, line in enumerate(text.split("\n"), 1):
        match = _ENV_LINE.match(line.rstrip("\r"))
        if match is None:
            continue
        value = re.sub(r"\s+#.*$", "", match.group(2)).strip().strip("'\"").strip()
        yield EnvVar(match.group(1), value.lower() in ("true", "1"), not value,
                     number, match.start(1) + 1)


def js_imports(text: str) -> Iterator[Import]:
    """Imports and requires of the legacy JavaScript SDK packages, outside comments."""
    in_block = False
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if in_block:
            in_block = "*/" not in stripped
            continue
        if stripped.startswith("/*"):
            in_block = "*/" not in stripped
            continue
        if stripped.startswith(("//", "*")) or "@google" not in line:
            continue
        for match in _JS_IMPORT.finditer(line.split(" //")[0]):
            yield Import(match.group(2), number, match.start() + 1, None, (), "javascript")
