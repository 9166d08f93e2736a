"""Paths as CI systems want them (kept for callers: the functions live in preflight/paths.py)."""

from __future__ import annotations

from preflight.paths import repo_path, repo_root

__all__ = ["repo_path", "repo_root"]
