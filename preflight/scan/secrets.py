"""Credentials in any text: Google API keys, Gemini auth keys, service-account key JSON.

Patterns and placeholder rules are data (``preflight/data/keys.yaml``). Every
occurrence is reported (a log with ten copies of a key has ten findings); the
plaintext never leaves this module: a hit keeps the redacted form and a digest.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from preflight.findings import digest, redact
from preflight.scan.facts import Secret, ServiceAccountKey

# Cheap byte needles: a file with none of them holds no credential we report.
PREFIXES = {"google-api-key": "AIza", "gemini-auth-key": "AQ."}  # literal start of each pattern
KEY_NEEDLES = tuple(prefix.encode() for prefix in PREFIXES.values())
SA_NEEDLE = b"service_account"

CellOf = Callable[[int], "int | None"]
Ignore = Callable[[int], bool]


@dataclass(frozen=True)
class _Config:
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    words: tuple[str, ...]
    min_distinct: int
    max_run: int
    min_entropy: float
    sequence: int
    window: int
    min_material: int
    firebase: tuple[str, ...]
    firebase_window: int
    firebase_min: int


@functools.lru_cache(maxsize=1)
def config() -> _Config:
    from preflight.datafiles import load_data

    data: dict[str, Any] = load_data("keys.yaml")
    reported = set(data["reported"])
    ph, sa, fb = data["placeholders"], data["service_account"], data["firebase"]
    return _Config(
        patterns=tuple((p["id"], re.compile(p["regex"])) for p in data["patterns"]
                       if p["id"] in reported),
        words=tuple(w.lower() for w in ph["words"]),
        min_distinct=int(ph["min_distinct"]), max_run=int(ph["max_run"]),
        min_entropy=float(ph["min_entropy"]), sequence=int(ph["sequence"]),
        window=int(sa["window"]), min_material=int(sa["min_material"]),
        firebase=tuple(fb["markers"]), firebase_window=int(fb["window"]),
        firebase_min=int(fb["min_markers"]),
    )


class Lines:
    """Offsets of line starts, to turn a text offset into a 1-based line and column.

    Most files scanned have nothing to place, or a few things: the first questions are
    answered by counting newlines; the table of line starts is built when they grow many.
    """

    ASKED = 16  # questions answered by counting before the table is built

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None
        self._asked = 0

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            pieces = self.text.split("\n")
            self._starts = list(itertools.accumulate(map(len, pieces[:-1]),
                                                     lambda at, size: at + size + 1, initial=0))
        return self._starts

    def at(self, offset: int) -> tuple[int, int]:
        if self._starts is None and self._asked < self.ASKED:
            self._asked += 1
            return self.text.count("\n", 0, offset) + 1, offset - self.text.rfind("\n", 0, offset)
        starts = self.starts
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1


def is_placeholder(key: str) -> bool:
    """True for documentation placeholders: ``AIzaSy-your-api-key…``, ``AIzaXXXX…``."""
    cfg = config()
    body = key[4:] if key.startswith("AIza") else key[3:]
    lowered = body.lower()
    if any(word in lowered for word in cfg.words):
        return True
    if len(set(body)) < cfg.min_distinct or _entropy(body) < cfg.min_entropy:
        return True
    if re.search(r"(.)\1{" + str(cfg.max_run - 1) + "}", body):
        return True
    run = 1
    for a, b in itertools.pairwise(body):
        run = run + 1 if ord(b) == ord(a) + 1 else 1
        if run >= cfg.sequence:
            return True
    return False


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def find_keys(data: bytes, at: dict[bytes, list[int]], text: str, lines: Lines,
              cell_of: CellOf | None = None, ignore: Ignore | None = None) -> Iterator[Secret]:
    """Every non-placeholder API key in a file: ``data`` its bytes as the prefilter searched
    them (UTF-8 of ``text``), ``at`` the offsets where the prefilter saw each key prefix.

    One pattern, the alternation of every reported pattern of keys.yaml, is matched at those
    offsets (and over the whole bytes for a pattern with no known prefix); keys come out by
    pattern, then in order.
    """
    combined, kinds = _combined()
    found: list[tuple[int, int, str, int, int]] = []  # (pattern, start, kind, start, end) in bytes
    for number, kind in enumerate(kinds):
        prefix = PREFIXES.get(kind)
        if prefix is None:
            matches: Iterator[re.Match[bytes]] = _any(combined, data, kind)
        else:
            matches = _at(combined, data, kind, at.get(prefix.encode(), []))
        found += [(number, m.start(), kind, m.start(), m.end()) for m in matches]
    offsets = _Offsets(data)
    for _, _, kind, start, end in sorted(found):
        begin = offsets.of(start)
        if ignore is not None and ignore(begin):
            continue
        key = data[start:end].decode("ascii")
        if is_placeholder(key):
            continue
        line, column = lines.at(begin)
        context = "firebase" if kind == "google-api-key" and _in_firebase_config(
            text, begin, begin + len(key)) else ""
        yield Secret(kind, redact(key), digest(key), line, column,
                     cell_of(begin) if cell_of else None, context)


@functools.lru_cache(maxsize=1)
def _combined() -> tuple[re.Pattern[bytes], tuple[str, ...]]:
    """The reported key patterns as one bytes pattern, each in a group named by its index."""
    kinds = tuple(kind for kind, _ in config().patterns)
    joined = "|".join(f"(?P<k{n}>{pattern.pattern})" for n, (_, pattern) in enumerate(config().patterns))
    return re.compile(joined.encode("ascii")), kinds


def _at(combined: re.Pattern[bytes], data: bytes, kind: str, starts: list[int]) -> Iterator[re.Match[bytes]]:
    """Matches of ``kind`` at the offsets of its prefix, not inside the one before."""
    after = 0
    for start in starts:
        if start < after:
            continue
        match = combined.match(data, start)
        if match is not None and _kind_of(match) == kind:
            after = match.end()
            yield match


def _any(combined: re.Pattern[bytes], data: bytes, kind: str) -> Iterator[re.Match[bytes]]:
    return (m for m in combined.finditer(data) if _kind_of(m) == kind)


def _kind_of(match: re.Match[bytes]) -> str:
    return _combined()[1][int((match.lastgroup or "k0")[1:])]


class _Offsets:
    """Byte offsets (in UTF-8 with escaped surrogates) to offsets in the decoded text."""

    def __init__(self, data: bytes) -> None:
        self.data, self.ascii = data, data.isascii()
        self.byte, self.char = 0, 0

    def of(self, offset: int) -> int:
        if self.ascii:
            return offset
        if offset < self.byte:
            self.byte = self.char = 0
        self.char += len(self.data[self.byte:offset].decode("utf-8", "surrogateescape"))
        self.byte = offset
        return self.char


def _in_firebase_config(text: str, start: int, end: int) -> bool:
    """Whether enough Firebase config fields stand around the key (data: keys.yaml firebase)."""
    cfg = config()
    near = text[max(0, start - cfg.firebase_window):end + cfg.firebase_window]
    return sum(marker in near for marker in cfg.firebase) >= cfg.firebase_min


# Every pattern here is linear: runs of white space and quotes are one bounded class,
# never two overlapping repetitions (which took 36 s on 4 KB of spaces).
_SA_TYPE = re.compile(r"""type\\{0,8}["']?[ \t]{0,64}[:=][\s\\"']{0,64}service_account\b""")
_PRIVATE_KEY = re.compile(r"""private_key\\{0,8}["']?[ \t]{0,64}[:=][\s|>\\"'-]{0,256}?"""
                          r"""-----BEGIN (?:RSA )?PRIVATE KEY-----""")
_MATERIAL = re.compile(r"(?:\\+[nr]|[A-Za-z0-9+/=\s\"'|])+")
_PROJECT = re.compile(r"""project_id\\{0,8}["']?[ \t]{0,64}[:=][\s\\"']{0,64}([a-z][a-z0-9-]{4,29})""")


def find_service_account_keys(text: str, lines: Lines, whole_json: bool,
                              cell_of: CellOf | None = None) -> Iterator[ServiceAccountKey]:
    """Service-account keys: the ``type`` field and a ``private_key`` with material nearby."""
    cfg = config()
    keys = [m for m in _PRIVATE_KEY.finditer(text) if _material(text, m.end()) >= cfg.min_material]
    starts = [k.start() for k in keys]  # in order: the keys near a "type" field by bisection
    used: set[int] = set()
    for found in _SA_TYPE.finditer(text):
        low = bisect.bisect_left(starts, found.start() - cfg.window)
        high = bisect.bisect_right(starts, found.start() + cfg.window)
        near = [k for k in keys[low:high] if k.start() not in used]
        if not near:
            continue
        key = min(near, key=lambda k: abs(k.start() - found.start()))
        used.add(key.start())
        line, column = lines.at(key.start())
        material = re.sub(r"\\+[nr]|\s", "", text[key.end():key.end() + 400])
        project = _PROJECT.search(text, max(0, found.start() - cfg.window), found.end() + cfg.window)
        yield ServiceAccountKey(
            embedded=not whole_json, digest=digest(material), line=line, column=column,
            cell=cell_of(key.start()) if cell_of else None,
            project=project.group(1) if project else "",
        )


def _material(text: str, start: int) -> int:
    """How many base64 characters of key material follow a BEGIN marker."""
    match = _MATERIAL.match(text, start, start + 4000)
    if match is None:
        return 0
    body = re.sub(r"\\+[nr]|[\s\"'|]", "", match.group(0))
    return len(body)
