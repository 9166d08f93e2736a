"""One identity per input file, computed once when the file is found.

A :class:`FilePath` holds the three ways the pipeline names a file: the
display path reports print (relative to the working folder, or as given), the
absolute path, and the path relative to the repository root: the root of the
git work tree that holds the working folder (or the working folder outside
git), which is what GitHub code scanning and workflow annotations resolve a
relative path against. Fingerprints, SARIF ``uri``s and GitHub annotations use
the repository path, so they do not depend on the folder a run starts in;
baselines, ``per-file-ignores``, ``exclude`` and suppressions use
:meth:`FilePath.relative_to` and the absolute path. A file outside the
repository keeps its absolute path.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FilePath:
    """A file as reports show it (``display``), absolutely, and from the repository root."""

    display: str
    absolute: str
    repo: str

    @classmethod
    def of(cls, path: Path | str, display: str | None = None) -> FilePath:
        """The identity of ``path`` (as given, relative to the working folder or absolute)."""
        cwd = os.getcwd()
        # os.path.abspath without a second getcwd (Windows keeps its own rules for "C:name")
        absolute = os.path.abspath(path) if os.name == "nt" else os.path.normpath(os.path.join(cwd, path))
        shown = display if display is not None else Path(path).as_posix()
        return cls(shown, absolute, printable(_repo_relative(absolute, cwd)))

    def inside(self, root: Path | str) -> str | None:
        """``/``-separated path below ``root`` (``.`` for ``root`` itself), or None."""
        for base in _bases(str(root)):
            inside = _under(self.absolute, base)
            if inside is not None:
                return inside
        return None

    def relative_to(self, root: Path | str) -> str:
        """``/``-separated path from ``root`` (``..`` allowed); the absolute path on
        another drive."""
        inside = self.inside(root)
        if inside is not None:
            return inside
        try:
            return Path(os.path.relpath(os.path.realpath(self.absolute),
                                        os.path.realpath(root))).as_posix()
        except ValueError:  # another drive on Windows
            return Path(self.absolute).as_posix()


def printable(name: str) -> str:
    """A file name as reports show it: bytes that are not UTF-8 (kept by the file system
    decoder as lone surrogates) become ``\\xNN``, so every output format can encode it."""
    if name.isascii() or not any("\udc80" <= char <= "\udcff" for char in name):
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@functools.lru_cache(maxsize=8)
def repo_root(start: str) -> Path:
    """The git work tree holding ``start``, else ``start`` itself."""
    folder = Path(start).resolve()
    for candidate in [folder, *folder.parents]:
        if (candidate / ".git").exists():
            return candidate
    return folder


@functools.lru_cache(maxsize=64)
def _bases(root: str) -> tuple[str, ...]:
    """``root`` as given (absolute) and with its links resolved."""
    plain, real = os.path.abspath(root), os.path.realpath(root)
    return (plain,) if plain == real else (plain, real)


@functools.lru_cache(maxsize=8)
def _repo_bases(cwd: str) -> tuple[str, ...]:
    """The repository root of ``cwd``, as reached from ``cwd`` and with links resolved."""
    real = str(repo_root(cwd))
    plain = cwd
    resolved_cwd = os.path.realpath(cwd)
    if resolved_cwd.startswith(real):  # the same number of levels up from the unresolved cwd
        depth = resolved_cwd[len(real):].count(os.sep)
        for _ in range(depth):
            plain = os.path.dirname(plain)
    return tuple(dict.fromkeys((plain, real)))


def _under(absolute: str, base: str) -> str | None:
    if absolute == base:
        return "."
    prefix = base if base.endswith(os.sep) else base + os.sep
    if absolute.startswith(prefix):
        return absolute[len(prefix):].replace(os.sep, "/")
    return None


def _repo_relative(absolute: str, cwd: str) -> str:
    for base in _repo_bases(cwd):
        inside = _under(absolute, base)
        if inside is not None:
            return inside
    return absolute.replace(os.sep, "/")  # Path(absolute).as_posix() of a normalized path


def relative_to_root(path: str, root: Path) -> str:
    """``path`` (as reports show it) relative to ``root``, with ``/`` separators; the path
    itself when it is outside ``root``."""
    return FilePath.of(path).inside(root) or Path(path).as_posix()


def repo_path(path: str) -> str:
    """``path`` (as findings show it) relative to the repository root."""
    return FilePath.of(path).repo
