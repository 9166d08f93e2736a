"""The audit fixture corpus, made real at test time.

``tests/fixtures/audit/`` holds one folder per case. Files that must carry a key
hold placeholders instead (the repository never holds a whole key):
``{{KEY:n}}`` a Google API key, ``{{AUTHKEY:n}}`` a Gemini auth key, ``{{PEM:n}}``
private-key material, ``{{PEMLINE:begin}}``/``{{PEMLINE:end}}`` the PEM armour
lines, ``{{HEX:n}}`` a key id, ``{{PLACEHOLDER:run|word}}`` a
documentation placeholder, ``{{LONGKEY:n}}`` a key-like run that is too long to
be a key. Files ending in ``.utf16`` are written as UTF-16 with a BOM. Cases
that cannot live in git (binary, huge file, symlink loop) are generated here.

Expected findings are marked in the files (``expect: GP201``, or ``GP305, GP306``)
on the line they concern, or listed as ``path:line:rule`` in an ``expected.txt``.
"""

from __future__ import annotations

import random
import re
import shutil
import string
from dataclasses import dataclass, field
from pathlib import Path

from preflight.scan.secrets import is_placeholder
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "fixtures" / "audit"
HUGE_BYTES = 2 * 1024 * 1024
CAP_BYTES = 1024 * 1024  # the size cap the corpus test runs with
_MARK = re.compile(r"expect: (GP\d{3}(?:\s*,\s*GP\d{3})*)")
_SLOT = re.compile(r"\{\{([A-Z]+):(\w+)\}\}")
_KEY_CHARS = string.ascii_letters + string.digits + "_-"


@dataclass
class Corpus:
    root: Path
    secrets: dict[str, str] = field(default_factory=dict, repr=False)  # slot -> generated secret


def make_key(rng: random.Random, prefix: str = "AIza", length: int = 39) -> str:
    while True:
        key = prefix + "".join(rng.choice(_KEY_CHARS) for _ in range(length - len(prefix)))
        if not is_placeholder(key):
            return key


def build(tmp: Path, seed: int = 20261124) -> Corpus:
    rng = random.Random(seed)
    corpus = Corpus(tmp / "corpus")
    shutil.copytree(CORPUS, corpus.root, symlinks=True)
    for path in sorted(corpus.root.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        filled = _SLOT.sub(lambda m: _value(corpus, rng, m.group(1), m.group(2)), text)
        if path.suffix == ".utf16":
            path.unlink()
            path.with_suffix("").write_text(filled, encoding="utf-16")
        elif filled != text:
            path.write_text(filled, encoding="utf-8")
    _generated(corpus, rng)
    return corpus


def _value(corpus: Corpus, rng: random.Random, kind: str, name: str) -> str:
    slot = f"{kind}:{name}"
    if slot not in corpus.secrets:
        corpus.secrets[slot] = {
            "KEY": lambda: make_key(rng),
            "AUTHKEY": lambda: make_key(rng, "AQ.", 56),
            "PEM": lambda: "".join(rng.choice(string.ascii_letters + string.digits + "+/")
                                   for _ in range(1200)),
            "PEMLINE": lambda: "-----" + name.upper() + " PRIVATE KEY-----",
            "HEX": lambda: "".join(rng.choice("0123456789abcdef") for _ in range(40)),
            "LONGKEY": lambda: make_key(rng) + "Q7",
            "PLACEHOLDER": lambda: ("AIzaSy" + "X" * 33 if name == "run"
                                    else "AIzaSy-your-api-key-goes-here-0123456"),
        }[kind]()
    return corpus.secrets[slot]


def _generated(corpus: Corpus, rng: random.Random) -> None:
    root = corpus.root
    key = corpus.secrets["BINARY"] = make_key(rng)
    (root / "binary").mkdir()
    (root / "binary" / "blob").write_bytes(b"\x89PNG\x00\x00" + key.encode() + b"\x00" * 64)
    (root / "huge").mkdir()
    huge = corpus.secrets["HUGE"] = make_key(rng)
    line = b"2026-11-01T10:00:00Z INFO nothing to see here, just a long and boring log line\n"
    (root / "huge" / "big.log").write_bytes(huge.encode() + b"\n" + line * (HUGE_BYTES // len(line)))
    links = root / "symlinks"
    (links / "sub").mkdir(parents=True)
    (links / "loop").symlink_to("loop")
    (links / "sub" / "up").symlink_to("..", target_is_directory=True)
    (links / "sub" / "code.py").write_text("import google.generativeai  # expect: GP101\n")


def expected(root: Path) -> set[tuple[str, int, str]]:
    """Every (path, line, rule) marked in the corpus."""
    found: set[tuple[str, int, str]] = set()
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        if path.name == "expected.txt":
            for entry in path.read_text().splitlines():
                if entry.strip() and not entry.startswith("#"):
                    name, line, rule = entry.rsplit(":", 2)
                    found.add(((path.parent / name).relative_to(root).as_posix(), int(line), rule))
            continue
        data = path.read_bytes()
        if b"\x00" in data[:64] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        text = data.decode("utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else \
            data.decode("utf-8", "replace")
        for number, content in enumerate(text.split("\n"), 1):
            for mark in _MARK.finditer(content):
                found.update((rel, number, rule.strip()) for rule in mark.group(1).split(","))
    return found
