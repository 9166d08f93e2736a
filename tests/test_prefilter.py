"""The one-pass prefilter sees exactly what separate searches of every needle see."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from preflight.scan import _searcher
from preflight.scan.prefilter import Searcher


def _naive(labelled: list[tuple[bytes, str]], data: bytes) -> tuple[set[str], dict[bytes, list[int]]]:
    seen: set[str] = set()
    keys: dict[bytes, list[int]] = {}
    for needle, label in labelled:
        starts = [i for i in range(len(data)) if data.startswith(needle, i)]
        if starts:
            seen.add(label)
            if label == "key":
                keys[needle] = starts
    return seen, keys


def test_labels_and_key_offsets_match_separate_searches_on_random_needles() -> None:
    rng = random.Random(13)
    for _ in range(4000):
        alphabet = rng.choice((b"ab", b"abc"))
        labelled = [(bytes(rng.choice(alphabet) for _ in range(rng.randint(1, 4))),
                     rng.choice(("key", "fact", "account", "signal:usage")))
                    for _ in range(rng.randint(1, 6))]
        data = bytes(rng.choice(alphabet + b"d") for _ in range(rng.randint(0, 40)))
        assert Searcher(labelled).search(data) == _naive(labelled, data), (labelled, data)


def test_overlapping_needles_of_the_real_sets_are_all_seen() -> None:
    searcher = _searcher("python")
    labelled = [(n, label) for n, labels in zip(searcher.needles, searcher.labels, strict=True)
                for label in labels]
    key = "AI" + "za" + "B" * 35
    # each needle's end glued to the next one's start, keys right after other needles
    samples = [b"service_accountext-embedding-", b"enterprisent_token_count",
               b"# gemini-preflight: ignore", b"timeitotal_token_count",
               ("xgenai" + key).encode(), ("Histogram" + key + " AQ." + "c" * 41).encode()]
    for data in samples:
        seen, keys = searcher.search(data)
        expected_seen, expected_keys = _naive(labelled, data)
        assert seen == expected_seen and keys == expected_keys, data


def test_warming_loads_every_kind_and_leaves_the_scan_results_alone(tmp_path: Path) -> None:
    from preflight.scan import scan_file, warm

    path = tmp_path / "a.py"
    path.write_text("from google import genai\nclient = genai.Client()\nm = 'gemini-2.5-flash'\n")
    before = scan_file(path, "a.py")
    warm({"python", "notebook", "js", "html", "requirements", "env", "text", "shell", "go"})
    assert scan_file(path, "a.py") == before


def test_which_needles_can_hide_which_is_the_pairwise_answer() -> None:
    from preflight.scan.prefilter import _hidden_by, _hides

    rng = random.Random(7)
    sets = [_searcher(kind).needles for kind in ("python", "notebook", "js", "go", "java", "text")]
    sets += [tuple({bytes(rng.choice(b"ab") for _ in range(rng.randint(1, 5))) for _ in range(8)})
             for _ in range(500)]
    for needles in sets:
        pairwise = tuple(tuple(n for n, other in enumerate(needles) if _hidden_by(other, needle))
                         for needle in needles)
        assert _hides(needles) == pairwise, needles


def test_the_suffix_shortcut_of_classify_gives_what_its_full_rules_give(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import preflight.scan as scan

    names = ["a.py", "setup.py", "x.pyw", "t.pyi", "n.ipynb", "a.ts", ".env.ts", ".env", ".envrc.js",
             "x.env", "build.gradle.kts", "a.kts", "A.kt", "B.java", "c.html", "v.vue", "q.Py", "a.TS",
             "requirements.txt", "req.py", "environment.yml", "package.json", "go.mod", "x.go",
             "Dockerfile", "s.sh", "README.md", "pom.xml", "libs.versions.toml", "X.GRADLE",
             ".env.local.py", "x.jsx.gradle", "settings.gradle", "a.svelte", "b.mts"]
    paths = [os.path.join(folder, name) for name in names for folder in ("", "requirements", "vendor/m")]
    fast = [scan.classify(p) for p in paths]
    monkeypatch.setattr(scan, "_BY_SUFFIX", {})
    assert fast == [scan.classify(p) for p in paths]


def test_very_many_matches_take_the_coarse_question_and_stay_exact() -> None:
    labelled = [(b"ab", "fact"), (b"bc", "key"), (b"abc", "signal:usage"), (b"x", "account")]
    for data in (b"ab" * 5000 + b"c", b"abx" * 3000 + b"bc", b"ab" * 5000):
        assert Searcher(labelled).search(data) == _naive(labelled, data)
