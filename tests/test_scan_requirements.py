"""Requirements read without packaging give packaging's answer (preflight.scan.deps)."""

from __future__ import annotations

import random

import pytest

from preflight.scan import deps

NAMES = ["google-genai", "Google_GenAI", "vertexai", "a", "9", "x.y-z", "foo-", "-foo", "foo_",
         "a..b", "langchain-google-vertexai", "é"]
EXTRAS = ["", "[b]", "[ b , c ]", "[]", "[b,]", "[-b]", "[b c]", "[ langchain,reasoningengine ]"]
OPERATORS = ["==", "!=", ">=", "<=", ">", "<", "~=", "===", "=", "=>", "~", ""]
VERSIONS = ["1", "1.0", "01.2", "1.0.0", "1.00", "0", "0.0", "10.20.30", "1.*", "1.0a1",
            "1.0+local", " 2 ", "", ".1", "1.", "v1", "1.0.post1"]
SEPARATORS = [",", " , ", ",,", " ", "\t,"]
TAILS = ["", " ; python_version < '3.12'", " @ https://example.com/a.whl", " # note", "(", ")"]


def requirement(rng: random.Random) -> str:
    specs = [rng.choice(OPERATORS) + rng.choice(["", " ", "\t"]) + rng.choice(VERSIONS)
             for _ in range(rng.choice([0, 0, 1, 1, 2, 3]))]
    text = rng.choice(NAMES) + rng.choice(["", " "]) + rng.choice(EXTRAS) + rng.choice(["", " "])
    if specs:
        text += specs[0] + "".join(rng.choice(SEPARATORS) + spec for spec in specs[1:])
    return text + (rng.choice(TAILS) if rng.random() < 0.2 else "")


def test_the_common_forms_give_what_packaging_gives() -> None:
    rng = random.Random(5)
    simple = 0
    for _ in range(20_000):
        text = requirement(rng).strip()
        if deps._SIMPLE.fullmatch(text):
            simple += 1
            assert deps.parse_requirement(text) == deps._by_packaging(text), text
    assert simple > 2_500  # the comparison ran on many requirements the pattern reads


@pytest.mark.parametrize("text", [
    "google-genai", "google-genai>=1.0", "google-genai >= 1.0, < 2", "google-genai==1.2.0",
    "google-cloud-aiplatform[langchain,reasoningengine]>=1.38", "pkg>=1,>=1.0", "pkg~=1.4",
])
def test_common_requirements_do_not_need_packaging(text: str) -> None:
    assert deps._SIMPLE.fullmatch(text)
    assert deps.parse_requirement(text) == deps._by_packaging(text)


@pytest.mark.parametrize("text", [
    "pkg>=1.0.*", "pkg==1.0a1", "pkg ; python_version < '3.12'", "pkg @ https://example.com/a.whl",
    "pkg (>=1.0)", "pkg===1.0", "foo-", "pkg~=1", "pkg>=1.0,", "pkg[b,]", "pkg==1." + "9" * 5000,
])
def test_look_alikes_go_to_packaging(text: str) -> None:
    assert deps._SIMPLE.fullmatch(text) is None
