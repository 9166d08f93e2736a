"""Paths as CI systems want them: relative to the repository root, ``/``-separated.

GitHub code scanning and workflow annotations resolve a relative path against
the root of the checked-out repository, so reports for them name files
relative to the git work tree that holds the working folder (or to the
working folder outside git). A file outside that root keeps its absolute path.
"""

from __future__ import annotations

import functools
from pathlib import Path


@functools.lru_cache(maxsize=8)
def repo_root(start: str) -> Path:
    """The git work tree holding ``start``, else ``start`` itself."""
    folder = Path(start).resolve()
    for candidate in [folder, *folder.parents]:
        if (candidate / ".git").exists():
            return candidate
    return folder


def repo_path(path: str) -> str:
    """``path`` (as findings show it) relative to the repository root."""
    from preflight.config import relative_to_root

    return relative_to_root(path, repo_root(str(Path.cwd())))
