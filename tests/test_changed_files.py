"""``audit --staged`` and ``audit --changed-since REV``: only what changed, asked of a real git."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from preflight.gitfiles import GitError, changed_files, staged_files
from tests.conftest import SAMPLES, TODAY, run_cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}
FAILING = (SAMPLES / "failing" / "GP302.yaml").read_text()


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main: a/gemini-deploy.yaml (failing, committed); branch 'feature' checked out."""
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "gemini-deploy.yaml").write_text(FAILING)
    (tmp_path / "gone.txt").write_text("x\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    return tmp_path


def add_manifest(repo: Path, folder: str) -> None:
    (repo / folder).mkdir(parents=True, exist_ok=True)
    (repo / folder / "gemini-deploy.yaml").write_text(FAILING)


def paths_in(stdout: str) -> set[str]:
    return {f["path"] for f in json.loads(stdout)["findings"]}


def audit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("audit", *args, "--today", TODAY.isoformat(), "--select", "GP302", "--format",
                   "json", cwd=repo)


def test_staged_scans_exactly_the_staged_files(repo: Path) -> None:
    add_manifest(repo, "b")
    add_manifest(repo, "c")  # not staged
    git(repo, "add", "b/gemini-deploy.yaml")
    git(repo, "rm", "-q", "gone.txt")
    assert staged_files(cwd=repo) == [Path("b/gemini-deploy.yaml")]
    done = audit(repo, "--staged")
    assert done.returncode == 1, done.stderr
    assert paths_in(done.stdout) == {"b/gemini-deploy.yaml"}


def test_staged_with_nothing_staged_is_clean(repo: Path) -> None:
    add_manifest(repo, "c")
    done = audit(repo, "--staged")
    assert done.returncode == 0 and json.loads(done.stdout)["findings"] == []


def test_diff_covers_commits_work_tree_and_untracked_files_since_the_merge_base(repo: Path) -> None:
    add_manifest(repo, "committed")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "feature work")
    add_manifest(repo, "untracked")
    (repo / "ignored").mkdir()
    (repo / ".gitignore").write_text("ignored/\n")
    add_manifest(repo, "ignored")
    expected = {"committed/gemini-deploy.yaml", "untracked/gemini-deploy.yaml"}
    assert {p.as_posix() for p in changed_files("main", cwd=repo)} == expected | {".gitignore"}
    done = audit(repo, "--changed-since", "main")
    assert done.returncode == 1 and paths_in(done.stdout) == expected
    # limited to the folders given, and reported relative to the working folder
    done = run_cli("audit", ".", "--changed-since", "main", "--today", TODAY.isoformat(), "--select", "GP302",
                   "--format", "json", cwd=repo / "committed")
    assert paths_in(done.stdout) == {"gemini-deploy.yaml"}


def test_diff_ignores_what_main_already_had(repo: Path) -> None:
    (repo / "a" / "gemini-deploy.yaml").touch()
    done = audit(repo, "--changed-since", "main")
    assert done.returncode == 0 and json.loads(done.stdout)["findings"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--changed-since", "no-such-branch"), "--changed-since no-such-branch: unknown revision"),
        (("--staged", "--changed-since", "main"), "use --staged or --changed-since REV, not both"),
    ],
)
def test_git_problems_are_exit_2(repo: Path, args: tuple[str, ...], message: str) -> None:
    done = audit(repo, *args)
    assert done.returncode == 2 and message in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_outside_git_is_exit_2(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="not inside a git work tree"):
        staged_files(cwd=tmp_path)
    done = audit(tmp_path, "--staged")
    assert done.returncode == 2 and "not inside a git work tree" in done.stderr
