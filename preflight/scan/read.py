"""Reading a file for scanning: size cap, binary detection, decoding.

Text is UTF-8 unless a byte-order mark says UTF-16 or UTF-32; bytes that are
not UTF-8 are kept (``surrogateescape``) so that a stray Latin-1 byte never
stops a scan. A NUL byte in the first 8 KiB of a file without a BOM marks it
binary, as git and ripgrep decide.
"""

from __future__ import annotations

import codecs
import os
import stat
from os import PathLike
from typing import NamedTuple

# The reading of one regular file, shared with the files that are not scanned (preflight.files).
from preflight.files import NotRegularFile as NotRegularFile
from preflight.files import TooLarge as TooLarge
from preflight.files import file_kind as _kind
from preflight.files import mib as _mib
from preflight.files import read_all as _read_all
from preflight.files import read_file as read_file

MAX_BYTES = 32 * 1024 * 1024  # default size cap: bigger files are skipped with a reason
SNIFF = 8192

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_BOM_STARTS = frozenset(bom[:1] for bom, _ in _BOMS)

# Extensions that are never text: skipped without being opened.
_BINARY = """
.png .jpg .jpeg .gif .bmp .ico .webp .tif .tiff .psd .svgz .heic .avif .pdf .zip .gz .tgz .bz2
.xz .zst .7z .rar .tar .jar .war .whl .egg .apk .dmg .iso .so .dylib .dll .exe .o .a .lib .obj
.class .pyc .pyo .pyd .wasm .bin .dat .db .sqlite .sqlite3 .mp3 .mp4 .m4a .wav .ogg .flac .avi
.mov .mkv .webm .ttf .otf .woff .woff2 .eot .npy .npz .pkl .pickle .pt .pth .onnx .h5 .hdf5
.parquet .feather .arrow .safetensors .tflite .pb
"""
BINARY_SUFFIXES = frozenset(_BINARY.split())


class Skip(Exception):
    """A file that is not scanned, with the reason why."""

    def __init__(self, reason: str, quiet: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.quiet = quiet  # expected skips (binary files) are not worth a note


class Raw(NamedTuple):
    data: bytes
    encoding: str  # "utf-8" for plain UTF-8 (then `data` can be searched directly)


def read_raw(path: str | PathLike[str], max_bytes: int = MAX_BYTES) -> Raw:
    """The bytes of ``path`` and their encoding, or :class:`Skip` with a reason."""
    name = os.path.basename(path)
    dot = name.rfind(".")
    if 0 < dot < len(name) - 1 and name[dot:].lower() in BINARY_SUFFIXES:  # Path.suffix
        raise Skip("binary file", quiet=True)
    try:  # non-blocking open: a FIFO must not wait for a writer; only regular files are read
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError(path)
            if not stat.S_ISREG(info.st_mode):
                raise Skip(f"not a regular file ({_kind(info.st_mode)})")
            size = info.st_size
            if size > max_bytes:
                raise Skip(f"larger than the size cap ({_mib(size)} > {_mib(max_bytes)})")
            data = _read_all(fd, size, max_bytes)
        finally:
            os.close(fd)
    except Skip:
        raise
    except IsADirectoryError:
        raise Skip("a folder", quiet=True) from None
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            raise Skip("symbolic link loop") from None
        raise Skip(f"unreadable ({exc.strerror or type(exc).__name__})") from None
    if len(data) > max_bytes:
        raise Skip(f"larger than the size cap ({_mib(max_bytes)})")
    if data[:1] in _BOM_STARTS:
        for bom, encoding in _BOMS:
            if data.startswith(bom):
                return Raw(data, encoding)
    if data.find(b"\x00", 0, SNIFF) >= 0:
        raise Skip("binary file", quiet=True)
    return Raw(data, "utf-8")


def decode(raw: Raw) -> str:
    """The text of ``raw``; never raises."""
    if raw.encoding == "utf-8":
        return raw.data.decode("utf-8", "surrogateescape")
    try:
        return raw.data.decode(raw.encoding)
    except UnicodeDecodeError:
        return raw.data.decode(raw.encoding, "replace")


def searchable(raw: Raw) -> bytes:
    """Bytes that the byte-level prefilter may search: UTF-8 as is, others re-encoded."""
    if raw.encoding == "utf-8":
        return raw.data
    return decode(raw).encode("utf-8", "surrogateescape")

