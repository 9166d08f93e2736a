"""The real pre-commit framework runs this repository's hooks (.pre-commit-hooks.yaml).

``pre-commit run`` in a fresh git repository runs the hooks on the staged files exactly
as a commit would: pre-commit clones this repository (its tracked files as they are now,
committed in a copy, as ``pre-commit try-repo`` does), installs the tool into a hook
environment and passes it the staged file names. The hook environment is built once
for the module (``try-repo`` would build one per run) and is
built offline: it sees the packages already installed here (system site packages, and
the tool's runtime dependencies from this environment through PYTHONPATH), pip may
not use an index, and the build uses the installed setuptools.
"""

from __future__ import annotations

import importlib.util
import os
import random
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("pre-commit"),  # one worker builds the hook environment once
    pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None,
                       reason="pre-commit is not installed (pip install -e '.[test]')"),
    pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(),
                       reason="needs git and this repository as a git work tree"),
]


def fake_key() -> str:
    """A realistic-looking (high-entropy) API key, made at run time, never stored."""
    rng = random.Random(20261124)
    return "AIza" + "".join(rng.choice(string.ascii_letters + string.digits + "-_") for _ in range(35))


def runtime_dependencies(folder: Path) -> Path:
    """``folder`` holding links to the installed runtime dependencies of the tool (transitively),
    so that the offline hook environment finds them whatever the base interpreter holds."""
    from importlib import metadata

    from packaging.requirements import Requirement

    todo, seen = ["gemini-preflight"], {"gemini-preflight"}
    while todo:
        dist = metadata.distribution(todo.pop())
        for text in dist.requires or []:
            req = Requirement(text)
            if (req.marker is None or req.marker.evaluate({"extra": ""})) and req.name not in seen:
                seen.add(req.name)
                todo.append(req.name)
        if dist.metadata["Name"] == "gemini-preflight":
            continue
        for top in {f.parts[0] for f in dist.files or [] if f.parts[0] not in ("..", "__pycache__")}:
            source = Path(str(dist.locate_file(top)))
            if source.exists() and not (folder / top).exists():
                (folder / top).symlink_to(source)
    return folder


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GEMINI_PREFLIGHT", "PIP_"))}
    return {
        **base,
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "PRE_COMMIT_COLOR": "never",
        "VIRTUALENV_SYSTEM_SITE_PACKAGES": "1",
        "PIP_NO_INDEX": "1",
        "PYTHONPATH": str(runtime_dependencies(tmp_path_factory.mktemp("site"))),
        "PIP_NO_BUILD_ISOLATION": "0",  # pip's inverted spelling: build without isolation
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
    }


@pytest.fixture
def repo(tmp_path: Path, env: dict[str, str]) -> Path:
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, env=env, check=True)
    return tmp_path


def stage(repo: Path, env: dict[str, str], files: dict[str, str]) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    subprocess.run(["git", "add", *files], cwd=repo, env=env, check=True)


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> Path:
    """A pre-commit configuration naming this repository's hooks at a commit of its tracked
    files as they are now (uncommitted changes included, as ``try-repo`` does)."""
    copy = tmp_path_factory.mktemp("hooks-repo")
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    for name in filter(None, listed.stdout.decode().split("\0")):
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "hooks"]):
        subprocess.run(["git", *command], cwd=copy, env=env, check=True)
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=copy, env=env, capture_output=True,
                         text=True, check=True).stdout.strip()
    path = tmp_path_factory.mktemp("config") / ".pre-commit-config.yaml"
    path.write_text(f"repos:\n- repo: {copy}\n  rev: {rev}\n  hooks:\n"
                    "  - id: gemini-preflight-check\n  - id: gemini-preflight-audit\n")
    return path


def run_hooks(repo: Path, env: dict[str, str], config: Path) -> subprocess.CompletedProcess[str]:
    """``pre-commit run``: both hooks on the staged files, as ``git commit`` runs them."""
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--config", str(config)],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=600,
                          stdin=subprocess.DEVNULL)


def test_staged_problems_block_the_commit_and_name_file_line_and_rule(
        repo: Path, env: dict[str, str], config: Path) -> None:
    key = fake_key()
    stage(repo, env, {
        "src/app.py": f"from google import genai\n\nclient = genai.Client(api_key='{key}')\n",
        "deploy/gemini-deploy.yaml": (SAMPLES / "failing" / "GP302.yaml").read_text(),
        "README.md": "# not a manifest\n",
    })
    (repo / "notes.py").write_text(f"KEY = '{key}'\n")  # not staged: not the hooks' business
    done = run_hooks(repo, env, config)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "gemini-preflight check" in output and "gemini-preflight audit" in output
    assert output.count("Failed") == 2
    assert "src/app.py:3:" in output and "GP201" in output  # the audit hook: the key
    assert "deploy/gemini-deploy.yaml:12:3: GP302 error" in output  # the check hook: the manifest
    assert "notes.py" not in output
    assert key not in output and key[4:-2] not in output  # only the redacted form


def test_clean_staged_files_pass(repo: Path, env: dict[str, str], config: Path) -> None:
    stage(repo, env, {
        "src/app.py": "import os\n\nfrom google import genai\n\n"
                      "client = genai.Client(api_key=os.environ['GEMINI_API_KEY'])\n",
        "deploy/gemini-deploy.yaml": (SAMPLES / "production.yaml").read_text(),
    })
    shutil.copytree(SAMPLES / "app", repo / "deploy" / "app")
    done = run_hooks(repo, env, config)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("Passed") == 2
