"""Which files an audit reads.

Inside a git work tree the files are those git would consider
(``git ls-files --cached --others --exclude-standard``), so ``.gitignore`` is
respected; elsewhere the tree is walked. Either way version-control folders,
virtualenvs (any folder with a ``pyvenv.cfg`` or ``conda-meta``),
``node_modules`` and caches are skipped. ``no_ignore`` turns off both
``.gitignore`` and the skipped folders (version-control folders excepted).

Symbolic links met while walking are not followed (as ripgrep and gitleaks
do by default); a link named on the command line is. Files named on the
command line are always scanned, as pre-commit passes them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from preflight.paths import FilePath, printable

VCS_DIRS = frozenset({".git", ".hg", ".svn", ".bzr"})
SKIP_DIRS = VCS_DIRS | frozenset({
    "node_modules", "bower_components", "__pycache__", ".venv", "venv", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".ipynb_checkpoints", "site-packages",
    ".eggs", ".terraform", ".gradle", ".cache",
})
VENV_MARKERS = ("pyvenv.cfg", "conda-meta")


class Target:
    """A file to scan: ``name`` to open (a string: most files of a big tree are only read,
    and building a :class:`~pathlib.Path` for each costs more than reading them), ``display``
    as reports show it, ``root`` the folder (or file) given on the command line, and ``file``
    its identity (display, absolute, repository path)."""

    __slots__ = ("display", "file", "name", "root")

    def __init__(self, name: str | Path, display: str, root: Path) -> None:
        self.name = os.fspath(name)
        self.display = display
        self.root = root
        self.file = FilePath.of(self.name, display)

    @property
    def path(self) -> Path:
        return Path(self.name)

    def __repr__(self) -> str:
        return f"Target({self.name!r}, {self.display!r})"


@dataclass
class Found:
    targets: list[Target] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (display, reason)
    missing: list[str] = field(default_factory=list)


def discover(paths: Sequence[Path], no_ignore: bool = False) -> Found:
    found = Found()
    seen: set[str] = set()
    for root in paths:
        if root.is_dir():
            items = _tree(root, no_ignore, found)
        elif root.exists():
            items = iter([(os.fspath(root), shown(root.as_posix()))])
        elif root.is_symlink():
            found.skipped.append((shown(root.as_posix()), _link_problem(root)))
            continue
        else:
            found.missing.append(root.as_posix())
            continue
        for name, display in items:
            target = Target(name, display, root)
            if target.file.absolute not in seen:
                seen.add(target.file.absolute)
                found.targets.append(target)
    return found


def _tree(root: Path, no_ignore: bool, found: Found) -> Iterator[tuple[str, str]]:
    listed = None if no_ignore else _git_files(root)
    if listed is None:
        yield from _walk(root, no_ignore, found)
        return
    venvs: dict[str, bool] = {}
    for rel in listed:
        parts = rel.split("/")
        if any(p in SKIP_DIRS for p in parts[:-1]) or _in_venv(root, parts[:-1], venvs):
            continue
        path = root / rel
        try:
            if path.is_symlink():
                _symlink(path, _display(root, rel), found)
            elif path.is_file():
                yield str(path), _display(root, rel)
        except OSError as exc:
            found.skipped.append((_display(root, rel), f"unreadable ({exc.strerror or exc})"))


def _git_files(root: Path) -> list[str] | None:
    """Files git lists under ``root`` (tracked and untracked, not ignored); None outside git."""
    import subprocess  # for folders only: files named one by one need no git

    try:
        done = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True, timeout=120, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    names = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    return sorted({n for n in names if n})


def _in_venv(root: Path, dirs: list[str], cache: dict[str, bool]) -> bool:
    for depth in range(1, len(dirs) + 1):
        rel = "/".join(dirs[:depth])
        if rel not in cache:
            cache[rel] = _is_venv(root / rel)
        if cache[rel]:
            return True
    return False


def _walk(root: Path, no_ignore: bool, found: Found) -> Iterator[tuple[str, str]]:
    stack = [""]
    skip = VCS_DIRS if no_ignore else SKIP_DIRS
    top = os.fspath(root)
    base = Path(os.path.normpath(root.as_posix())).as_posix()  # what _display joins onto
    while stack:
        rel = stack.pop()
        try:
            with os.scandir(os.path.join(top, rel) if rel else top) as listing:
                entries = sorted(listing, key=_name)
        except OSError as exc:
            found.skipped.append((_display(root, rel), f"unreadable folder ({exc.strerror})"))
            continue
        subdirs = []
        for entry in entries:
            name = f"{rel}/{entry.name}" if rel else entry.name
            try:  # one odd entry (a path beyond PATH_MAX, a vanished file) never stops the walk
                if entry.is_symlink():
                    _symlink(Path(entry.path), _display(root, name), found)
                elif entry.is_dir(follow_symlinks=False):
                    if entry.name in skip or (not no_ignore and _is_venv(entry.path)):
                        continue
                    subdirs.append(name)
                elif entry.is_file(follow_symlinks=False):
                    yield entry.path, _joined(base, name)
            except OSError as exc:
                found.skipped.append((_display(root, name), f"unreadable ({exc.strerror or exc})"))
        stack.extend(reversed(subdirs))


def _is_venv(path: Path | str) -> bool:
    try:
        return any(os.path.exists(os.path.join(path, m)) for m in VENV_MARKERS)
    except OSError:  # a name too long to test is not a virtualenv marker
        return False


def _symlink(path: Path, display: str, found: Found) -> None:
    problem = _link_problem(path)
    if problem != "symbolic link (not followed)":
        found.skipped.append((display, problem))


def _link_problem(path: Path) -> str:
    try:
        path.stat()
    except OSError as exc:
        return "symbolic link loop" if exc.errno == 40 else "broken symbolic link"
    return "symbolic link (not followed)"


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _joined(base: str, rel: str) -> str:
    """What :func:`_display` gives for ``rel`` (names the walk found, joined by ``/``) under
    a root whose normalized ``/``-separated form is ``base``, without building paths."""
    if base == ".":
        return shown(rel)
    return shown(base + rel if base.endswith("/") else f"{base}/{rel}")


def _display(root: Path, rel: str) -> str:
    if not rel:
        return shown(root.as_posix())
    text = os.path.normpath(os.path.join(root.as_posix(), rel))
    return shown(Path(text).as_posix())


def shown(name: str) -> str:
    """A file name as reports show it: bytes that are not UTF-8 (kept by the file system
    decoder as lone surrogates) become ``\\xNN``, so every output format can encode it."""
    return printable(name)
