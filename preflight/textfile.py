"""Reading a text file so that it can be written back byte for byte, and atomic writes.

:func:`read` keeps what writing back needs: the byte-order mark, the codec and
the exact bytes read (to notice a change on disk before writing). Text is
decoded as the scanners decode it (UTF-8 with ``surrogateescape``, or the
codec a BOM names), so line and column numbers of findings point into it.
:func:`write_atomic` writes through :mod:`preflight.atomic` (a temporary file in
the same folder, flushed, renamed over the target): a reader sees the old file
or the new one, never half of one, and an interrupted run leaves the original.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class TextFileError(Exception):
    """A file that cannot be read as text, or written back."""


@dataclass(frozen=True)
class TextFile:
    path: Path
    text: str
    codec: str
    bom: bytes
    raw: bytes

    @property
    def newline(self) -> str:
        """The file's line ending: CRLF when it has any and no bare LF lines, else LF."""
        crlf = self.text.count("\r\n")
        return "\r\n" if crlf and crlf == self.text.count("\n") else "\n"

    def encode(self, text: str) -> bytes:
        errors = "surrogateescape" if self.codec == "utf-8" else "strict"
        return self.bom + text.encode(self.codec, errors)


def read(path: Path) -> TextFile:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TextFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    bom, codec = next(((b, c) for b, c in _BOMS if raw.startswith(b)), (b"", "utf-8"))
    try:
        text = raw[len(bom):].decode(codec, "surrogateescape" if codec == "utf-8" else "strict")
    except UnicodeDecodeError:
        raise TextFileError(f"{path}: not valid {codec} text") from None
    return TextFile(path, text, codec, bom, raw)


def write_atomic(path: Path, data: bytes, expect: bytes | None = None) -> None:
    """Replace ``path`` by ``data`` atomically (:mod:`preflight.atomic`), keeping its mode.

    With ``expect``, the file must still hold exactly those bytes right before
    the rename; otherwise nothing is written and :class:`TextFileError` says why.
    """
    from preflight import atomic

    def unchanged() -> None:
        if expect is not None and _current(path) != expect:
            raise TextFileError(f"{path}: changed on disk during the run; not written")

    # latin-1 maps each byte to one character and back: the bytes are written as they are
    with atomic.together(before_commit=unchanged):
        atomic.write_text(path, data.decode("latin-1"), encoding="latin-1", newline="")


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
