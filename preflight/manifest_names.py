"""The names a manifest file goes by.

Apart from :mod:`preflight.manifest` (the pydantic models), so that telling a
manifest from another file, as ``audit`` does for every file, imports no pydantic.
"""

from __future__ import annotations

MANIFEST_NAMES = ("gemini-deploy.yaml", "gemini-deploy.yml", ".gemini/deploy.yaml")
SUFFIXES = tuple(sorted({name[name.rfind("."):] for name in MANIFEST_NAMES}))  # ".yaml", ".yml"
