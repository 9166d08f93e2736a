"""Reading one regular file with a size cap: the one way the tool opens a file.

Used for the files the tool reads besides scanned sources (baselines,
configuration, catalog, suppression comments) and, through
:mod:`preflight.scan.read`, for the scanned ones. It imports nothing but the
standard library, so reading a configuration file loads none of the scanners.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotRegularFile(OSError):
    """A FIFO, device or socket: never read (a FIFO would wait, /dev/zero never ends)."""


class TooLarge(OSError):
    """A file over the size cap (checked before and while reading)."""


def read_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes`` of them.

    For the files the tool reads besides scanned sources (baselines, configuration,
    catalog, suppression comments); every failure is an :class:`OSError`.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "is a folder", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(0, f"not a regular file ({file_kind(info.st_mode)})", str(path))
        data = read_all(fd, min(info.st_size, max_bytes), max_bytes)
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise TooLarge(0, f"larger than {mib(max_bytes)}", str(path))
    return data


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, for messages."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def read_all(fd: int, size: int, max_bytes: int) -> bytes:
    """Up to ``max_bytes + 1`` bytes from ``fd`` (one more than allowed shows a file that grew)."""
    chunks, total = [], 0
    while total <= max_bytes:
        wanted = min(max(size + 1 - total, 65536), max_bytes + 1 - total)
        chunk = os.read(fd, wanted)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total == size and len(chunk) < wanted:  # the size fstat gave, and short: the end
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"
