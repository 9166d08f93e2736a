"""Atomic writes: a file is either left as it was or replaced whole, never half-written.

:func:`write_text` writes a temporary file in the target's folder (so the
rename stays on one file system), flushes it to disk, gives it the mode of the
file it replaces and renames it over the target; a symbolic link is written
through, not replaced. Inside :func:`together` writes are only prepared, and
all of them are renamed into place when the block ends without an error: a run
that writes a baseline and a report leaves both or neither. A failed or
interrupted write leaves no temporary file behind.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from pathlib import Path

from preflight import interrupt

Staged = list[tuple[str, str]]  # (temporary file, target)
_staged: ContextVar[Staged | None] = ContextVar("preflight_atomic_staged", default=None)


def write_text(path: Path, text: str, encoding: str = "utf-8", newline: str | None = None) -> None:
    """Replace ``path`` with ``text`` atomically (``newline`` as for :func:`open`).

    Raises ``OSError`` (the target untouched) when the file cannot be written.
    """
    target = os.path.realpath(path)
    folder, name = os.path.split(target)
    import secrets  # (random, hashlib) only when something is written

    temp = os.path.join(folder, f".{name}.{secrets.token_hex(6)}.tmp")
    staged = _staged.get()
    if staged is not None:
        staged.append((temp, target))  # before the file exists: together() removes it on failure
        try:
            _write(temp, path, text, encoding, newline)
        except BaseException:
            _remove(temp)
            staged.remove((temp, target))
            raise
        return
    with interrupt.undo(lambda: _remove(temp)):
        _write(temp, path, text, encoding, newline)
        _rename(temp, target)
        _sync_folder(folder)


@contextmanager
def together(before_commit: Callable[[], None] | None = None) -> Iterator[None]:
    """Prepare the block's writes; rename them all into place at its end, none on an error.

    ``before_commit`` runs just before the renames and may still cancel them by raising.
    """
    staged: Staged = []
    token = _staged.set(staged)
    try:
        with interrupt.undo(lambda: _discard(staged)):
            yield
            _staged.reset(token)
            if before_commit is not None:
                before_commit()
            for temp, target in staged:
                _rename(temp, target)
            for folder in sorted({os.path.dirname(target) for _, target in staged}):
                _sync_folder(folder)
    finally:
        if _staged.get() is staged:
            _staged.reset(token)


def _write(temp: str, path: Path, text: str, encoding: str, newline: str | None) -> None:
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies
        with open(fd, "w", encoding=encoding, newline=newline) as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        with suppress(FileNotFoundError):  # a new file keeps the umask's mode
            os.chmod(temp, stat.S_IMODE(os.stat(path).st_mode))
    except OSError as exc:  # name the file the caller asked for, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(path)) from None


def _rename(temp: str, target: str) -> None:
    try:
        os.replace(temp, target)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, target) from None


def _discard(staged: Staged) -> None:
    for temp, _ in staged:
        _remove(temp)


def _remove(temp: str) -> None:
    with suppress(FileNotFoundError):
        os.unlink(temp)


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable (best effort: not every system can open a folder)."""
    try:
        fd = os.open(folder or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
