"""Atomic writes: a file is replaced whole or left as it was, with no temporary file left."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from preflight import atomic


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_write_replaces_the_file_and_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    atomic.write_text(path, "new\n")
    assert path.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert names(tmp_path) == ["report.json"]


def test_a_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        atomic.write_text(tmp_path / "new.txt", "x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644


def test_line_endings_and_encoding_are_the_callers(tmp_path: Path) -> None:
    path = tmp_path / "fixed.py"
    atomic.write_text(path, "a = 'é'\r\nb = 2\r\n", encoding="latin-1", newline="")
    assert path.read_bytes() == "a = 'é'\r\nb = 2\r\n".encode("latin-1")


def test_a_symbolic_link_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic.write_text(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "out"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        atomic.write_text(path, "\u20ac", encoding="ascii")
    assert path.read_text(encoding="utf-8") == "old"
    assert names(tmp_path) == ["out"]
    with pytest.raises(OSError):
        atomic.write_text(tmp_path / "missing" / "out", "x")


def test_together_renames_all_at_the_end(tmp_path: Path) -> None:
    first, second = tmp_path / "baseline.json", tmp_path / "report.json"
    first.write_text("old", encoding="utf-8")
    with atomic.together():
        atomic.write_text(first, "one")
        atomic.write_text(second, "two")
        assert first.read_text(encoding="utf-8") == "old" and not second.exists()
    assert (first.read_text(encoding="utf-8"), second.read_text(encoding="utf-8")) == ("one", "two")
    assert names(tmp_path) == ["baseline.json", "report.json"]


@pytest.mark.parametrize("where", ["block", "before_commit"])
def test_together_writes_nothing_when_it_fails(tmp_path: Path, where: str) -> None:
    first, second = tmp_path / "baseline.json", tmp_path / "report.json"
    first.write_text("old", encoding="utf-8")

    def cancel() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), \
            atomic.together(before_commit=cancel if where == "before_commit" else None):
        atomic.write_text(first, "one")
        atomic.write_text(second, "two")
        if where == "block":
            raise KeyboardInterrupt
    assert first.read_text(encoding="utf-8") == "old" and not second.exists()
    assert names(tmp_path) == ["baseline.json"]
    atomic.write_text(second, "after")  # outside the block, writes are immediate again
    assert second.read_text(encoding="utf-8") == "after"


def test_a_failed_write_inside_together_does_not_stop_the_others(tmp_path: Path) -> None:
    with atomic.together():
        with pytest.raises(UnicodeEncodeError):
            atomic.write_text(tmp_path / "bad", "\u20ac", encoding="ascii")
        atomic.write_text(tmp_path / "good", "ok")
    assert names(tmp_path) == ["good"]


def test_a_report_that_cannot_be_written_leaves_no_baseline_either(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    (tmp_path / "app.py").write_text('model = "gemini-1.0-pro"\n', encoding="utf-8")
    done = run_cli("audit", ".", "--write-baseline", "b.json", "--output", "no/such/r.json",
                   cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "cannot write no/such/r.json" in done.stderr
    assert names(tmp_path) == ["app.py"]
