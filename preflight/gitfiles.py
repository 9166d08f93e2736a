"""Which files changed, asked of git: for ``audit --staged`` and ``audit --changed-since REV``.

* ``--staged``: files added, copied, modified or renamed in the index
  (``git diff --cached --diff-filter=ACMR``): what the next commit will hold.
  Deleted files are gone and have nothing to scan.
* ``--changed-since REV``: what this branch changed since it left REV, as a pull-request
  gate sees it: files changed between the merge base of REV and HEAD and the
  work tree (committed, staged or not), plus untracked files that are not
  ignored. In CI the work tree is clean, so this is exactly ``REV...HEAD``.

Paths come back as paths the caller can open from the working folder, limited
to the given folders or files (default: all of the repository), sorted.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from preflight import interrupt


class GitError(Exception):
    """git is missing, this is not a work tree, or git refused (e.g. an unknown revision)."""


def _git(args: Sequence[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              timeout=120, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise GitError("git is not installed (needed for --staged and --changed-since)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {' '.join(args)} took more than 120 s") from None
    if done.returncode != 0:
        interrupt.child_failed(done.returncode)  # Ctrl-C reaches git and this process alike
        reason = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise GitError(f"git {' '.join(args[:3])}: {reason}")
    return done.stdout


def repository_root(cwd: Path | None = None) -> Path:
    """The top folder of the git work tree holding ``cwd``."""
    folder = cwd or Path.cwd()
    try:
        return Path(_git(["rev-parse", "--show-toplevel"], folder).strip()).resolve()
    except GitError:
        raise GitError(f"{folder}: not inside a git work tree "
                       "(needed for --staged and --changed-since)") from None


def staged_files(paths: Sequence[Path] = (), cwd: Path | None = None) -> list[Path]:
    """Files in the index that the next commit adds or changes."""
    root = repository_root(cwd)
    names = _split(_git(["diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z"], root))
    return _within(root, names, paths, cwd)


def changed_files(rev: str, paths: Sequence[Path] = (), cwd: Path | None = None) -> list[Path]:
    """Files changed since the merge base of ``rev`` and HEAD, work tree and untracked included."""
    if not rev or rev.startswith("-"):
        raise GitError(f"--changed-since needs a revision, got {rev!r}")
    root = repository_root(cwd)
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root)
    except GitError:
        raise GitError(f"--changed-since {rev}: unknown revision (in CI, fetch it first, "
                       "e.g. git fetch origin main)") from None
    try:
        base = _git(["merge-base", rev, "HEAD"], root).strip()
    except GitError:
        raise GitError(f"--changed-since {rev}: no common ancestor with HEAD (a shallow clone? "
                       "check out with full history, e.g. fetch-depth: 0)") from None
    names = _split(_git(["diff", "--name-only", "--diff-filter=ACMR", "-z", base], root))
    names += _split(_git(["ls-files", "--others", "--exclude-standard", "-z"], root))
    return _within(root, names, paths, cwd)


def _split(output: str) -> list[str]:
    return [name for name in output.split("\0") if name]


def _within(root: Path, names: list[str], paths: Sequence[Path], cwd: Path | None) -> list[Path]:
    here = (cwd or Path.cwd()).resolve()
    limits = [(here / p).resolve() for p in paths]
    found = set()
    for name in names:
        full = root / name
        if not full.is_file():
            continue  # deleted in the work tree since, or a submodule
        if limits and not any(full == limit or limit in full.parents for limit in limits):
            continue
        found.add(_shown(full, here))
    return sorted(found)


def _shown(full: Path, here: Path) -> Path:
    try:
        return full.relative_to(here)
    except ValueError:
        return full


def changed_paths(paths: Sequence[Path], staged: bool, diff: str | None) -> list[Path] | None:
    """What ``audit`` scans: ``paths`` as given without --staged/--changed-since, else the changed
    files under them; ``None`` when nothing changed (so nothing is scanned)."""
    if staged and diff:
        raise GitError("use --staged or --changed-since REV, not both")
    if not staged and not diff:
        return list(paths)
    files = staged_files(paths) if staged else changed_files(diff or "", paths)
    return files or None
