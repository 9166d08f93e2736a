"""Inline suppressions in every kind of file, and the findings about suppressions (GP001, GP002)."""

from __future__ import annotations

import json
import random
import string
from pathlib import Path
from typing import Any

import pytest

from preflight import api, postprocess
from preflight.engine import all_rules
from preflight.findings import Finding, Location, Severity
from tests.conftest import TODAY, run_cli

MANIFEST = """version: 1
app: demo
models:
  architect:{a}
    id: gemini-3.1-pro-preview{b}
    max_output_tokens: 2048
"""
IGNORE = "  # gemini-preflight: ignore[{}]"


def check(tmp_path: Path, text: str, *select: str, **options: object) -> list[tuple[int, str]]:
    path = tmp_path / "gemini-deploy.yaml"
    path.write_text(text)
    opts = api.Options(today=TODAY, select=select, **options)  # type: ignore[arg-type]
    result = api.check([path], opts)
    postprocess.finish(result, opts)
    return sorted((f.location.line, f.rule_id) for f in result.findings)


def test_unsuppressed_baseline(tmp_path: Path) -> None:
    # GP302 on the slot key (line 4), GP305 on the model ID (line 5)
    found = check(tmp_path, MANIFEST.format(a="", b=""), "GP302", "GP305", "GP001", "GP002")
    assert found == [(4, "GP302"), (5, "GP305")]


def test_comment_on_the_line_silences_it(tmp_path: Path) -> None:
    text = MANIFEST.format(a=IGNORE.format("GP302"), b=IGNORE.format("GP305"))
    assert check(tmp_path, text, "GP302", "GP305", "GP001", "GP002") == []


def test_comment_on_the_line_above_silences_the_next_line(tmp_path: Path) -> None:
    # alone on line 5, it covers line 5 and line 6 (GP305): several IDs in one comment
    text = MANIFEST.replace("    id:", "    # gemini-preflight: ignore[GP305, GP302]\n    id:")
    assert check(tmp_path, text.format(a="", b=""), "GP305", "GP001", "GP002") == []
    own_line = MANIFEST.replace("  architect:", "  # gemini-preflight: ignore[GP302]\n  architect:")
    assert check(tmp_path, own_line.format(a="", b=""), "GP302", "GP001") == []


def test_trailing_comment_covers_only_its_own_line(tmp_path: Path) -> None:
    # after code on line 4, it covers GP302 there and not GP305 on line 5
    text = MANIFEST.format(a=IGNORE.format("GP305, GP302"), b="")
    assert check(tmp_path, text, "GP302", "GP305", "GP001") == [(4, "GP001"), (5, "GP305")]
    result = api.check([tmp_path / "gemini-deploy.yaml"],
                       api.Options(today=TODAY, select=("GP302", "GP305", "GP001")))
    unused = [f.message for f in result.findings if f.rule_id == "GP001"]
    assert unused == ["unused suppression: GP305 reports nothing on this line"]


def test_trailing_comment_in_python_does_not_silence_the_next_import(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import os  # gemini-preflight: ignore[GP101]\n"
                                     "import google.generativeai as genai\n")
    result = api.audit([tmp_path], api.Options(today=TODAY, select=("GP101", "GP001")))
    assert [(f.location.line, f.rule_id) for f in result.findings] == [(1, "GP001"), (2, "GP101")]
    (tmp_path / "app.py").write_text("import os\n# gemini-preflight: ignore[GP101]\n"
                                     "import google.generativeai as genai\n")
    result = api.audit([tmp_path], api.Options(today=TODAY, select=("GP101", "GP001")))
    assert result.findings == []


def test_trailing_and_standalone_in_text_files(tmp_path: Path) -> None:
    reqs, env = tmp_path / "requirements.txt", tmp_path / ".env"
    files = {reqs: "requests  # gemini-preflight: ignore[GP301]\ngoogle-generativeai\n",
             env: "X=1  # gemini-preflight: ignore[GP305]\nCHAT_MODEL=gemini-3.5-flash\n"
                  "  # gemini-preflight: ignore[GP305]\nOTHER_MODEL=gemini-3.5-flash\n"}
    left = pass_over(files, [("GP301", reqs, 2), ("GP305", env, 2), ("GP305", env, 4)],
                     ("GP301", "GP305", "GP001"))
    assert left == [("GP001", ".env", 1), ("GP305", ".env", 2),
                    ("GP001", "requirements.txt", 1), ("GP301", "requirements.txt", 2)]


def test_comment_two_lines_above_is_unused(tmp_path: Path) -> None:
    text = MANIFEST.replace("models:", "models:  # gemini-preflight: ignore[GP305]")
    found = check(tmp_path, text.format(a="", b=""), "GP305", "GP001")
    assert found == [(3, "GP001"), (5, "GP305")]


def test_unused_suppression_is_gp001_at_the_comment(tmp_path: Path) -> None:
    path = tmp_path / "gemini-deploy.yaml"
    path.write_text(MANIFEST.format(a=IGNORE.format("GP302, GP303"), b=""))
    opts = api.Options(today=TODAY)
    result = api.check([path], opts)
    postprocess.finish(result, opts)
    unused = [f for f in result.findings if f.rule_id == "GP001"]
    assert [(f.location.line, f.location.column) for f in unused] == [(4, 15)]
    assert unused[0].message == "unused suppression: GP303 reports nothing on this line"
    assert unused[0].fix == "remove GP303 from the comment"
    assert unused[0].severity == Severity.WARNING
    assert not [f for f in result.findings if f.rule_id == "GP302"]


def test_unknown_rule_and_blanket_ignore_are_gp002(tmp_path: Path) -> None:
    text = MANIFEST.format(a=IGNORE.format("GP3O2"), b="  # gemini-preflight: ignore")
    path = tmp_path / "gemini-deploy.yaml"
    path.write_text(text)
    opts = api.Options(today=TODAY, select=("GP302", "GP002"))
    result = api.check([path], opts)
    postprocess.finish(result, opts)
    messages = [(f.location.line, f.rule_id, f.message) for f in result.findings]
    assert messages == [
        (4, "GP302", "preview model 'gemini-3.1-pro-preview' has no migration_plan"),
        (4, "GP002", "suppression names unknown rule 'GP3O2' (did you mean GP302?)"),
        (5, "GP002", "suppression names no rule: a blanket ignore is not allowed"),
    ]


def test_unused_is_reported_only_for_rules_that_ran(tmp_path: Path) -> None:
    text = MANIFEST.format(a="", b="").replace("gemini-3.1-pro-preview", "gemini-3.5-flash")
    text = text.replace("    id:", "    # gemini-preflight: ignore[GP305]\n    id:")
    # GP305 fires on line 6, so the comment alone on line 5 is used when GP305 runs ...
    assert check(tmp_path, text, "GP305", "GP001") == []
    # ... and not reported when GP305 did not run (not selected) ...
    assert check(tmp_path, text, "GP302", "GP001") == []
    # ... nor when per-file-ignores switch it off for this file.
    ignored = check(tmp_path, text, per_file_ignores=(("gemini-deploy.yaml", ("GP305",)),),
                    root=tmp_path)
    assert "GP001" not in {rule for _, rule in ignored} and "GP305" not in {r for _, r in ignored}
    # Without GP001 selected, nothing about suppressions is reported at all.
    assert check(tmp_path, MANIFEST.format(a=IGNORE.format("GP303"), b=""), "GP302") == [(4, "GP302")]


def test_unused_gp001_can_itself_be_silenced(tmp_path: Path) -> None:
    text = MANIFEST.format(a=IGNORE.format("GP303, GP001"), b="")
    assert check(tmp_path, text, "GP303", "GP001") == []


def test_case_and_spacing_are_forgiven(tmp_path: Path) -> None:
    text = MANIFEST.format(a="  #Gemini-Preflight: IGNORE[ gp302 ]", b="")
    assert check(tmp_path, text, "GP302", "GP001", "GP002") == []


def pass_over(files: dict[Path, str], findings: list[tuple[str, Path, int]],
              ran: tuple[str, ...]) -> list[tuple[str, str, int]]:
    """Run the post-processing step over hand-made findings in files of any kind."""
    for path, text in files.items():
        path.write_text(text)
    rules = all_rules()
    result = api.Result(
        findings=[Finding(r, rules[r].name, Severity.ERROR, "m", Location(str(p), line, 1))
                  for r, p, line in findings],
        inputs=[str(p) for p in files],
        rules=[rules[r] for r in ran],
    )
    postprocess.finish(result, api.Options())
    return [(f.rule_id, Path(f.location.path).name, f.location.line) for f in result.findings]


def test_python_requirements_and_env_files(tmp_path: Path) -> None:
    app, reqs, env = tmp_path / "app.py", tmp_path / "requirements.txt", tmp_path / ".env"
    files = {
        app: "import os\nMODEL = 'gemini-3.5-flash'  # gemini-preflight: ignore[GP305]\n"
             "# gemini-preflight: ignore[GP302]\nOTHER = 'gemini-3.1-pro-preview'\n",
        reqs: "google-generativeai==0.8.3  # gemini-preflight: ignore[GP301]\n\nrequests\n",
        env: "# gemini-preflight: ignore[GP305]\nCHAT_MODEL=gemini-3.5-flash\nX=1\n",
    }
    findings = [("GP305", app, 2), ("GP302", app, 4), ("GP301", reqs, 1), ("GP301", reqs, 3),
                ("GP305", env, 2), ("GP305", env, 3)]
    left = pass_over(files, findings, ("GP301", "GP302", "GP305", "GP001", "GP002"))
    assert left == [("GP305", ".env", 3), ("GP301", "requirements.txt", 3)]


def test_notebook_comment_inside_a_cell_on_the_raw_json_line(tmp_path: Path) -> None:
    notebook: dict[str, Any] = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                                           "execution_count": None,
                           "source": ["from google import genai\n",
                                      "MODEL = 'gemini-3.5-flash'  # gemini-preflight: ignore[GP305]\n",
                                      "OTHER = 'gemini-3.5-flash'"]}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "explore.ipynb"
    text = json.dumps(notebook, indent=1)
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines, 1) if "MODEL = " in line)
    second = next(i for i, line in enumerate(lines, 1) if "OTHER = " in line)
    left = pass_over({path: text}, [("GP305", path, first), ("GP305", path, second)],
                     ("GP305", "GP001"))
    # the comment trails code: it covers its own line, not the next one
    assert left == [("GP305", "explore.ipynb", second)]
    left = pass_over({path: text}, [("GP305", path, second)], ("GP305", "GP001"))
    assert left == [("GP001", "explore.ipynb", first), ("GP305", "explore.ipynb", second)]
    notebook["cells"][0]["source"][1] = "# gemini-preflight: ignore[GP305]\n"  # alone on its line
    text = json.dumps(notebook, indent=1)
    left = pass_over({path: text}, [("GP305", path, second)], ("GP305", "GP001"))
    assert left == []


def test_a_suppression_quoted_in_docs_is_not_reported(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    left = pass_over({readme: "Write `# gemini-preflight: ignore[GP305]` on the line.\n"}, [],
                     ("GP305", "GP001", "GP002"))
    assert left == []


def test_suppression_text_inside_a_python_string_is_not_a_comment(tmp_path: Path) -> None:
    path = tmp_path / "test_tool.py"
    text = ('SAMPLE = "x = 1  # gemini-preflight: ignore[GP305]"\n'
            "model = 'gemini-3.5-flash'  # gemini-preflight: ignore[GP301]\n")
    left = pass_over({path: text}, [], ("GP305", "GP301", "GP001"))
    assert left == [("GP001", "test_tool.py", 2)]


def test_suppressions_from_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "gemini-deploy.yaml"
    path.write_text(MANIFEST.format(a=IGNORE.format("GP302, GP303"), b=""))
    done = run_cli("check", str(path), "--today", TODAY.isoformat(), "--select", "GP302,GP303,GP001")
    assert done.returncode == 1
    assert "gemini-deploy.yaml:4:15: GP001 warning unused suppression: GP303" in done.stdout
    assert "GP302" not in done.stdout.replace("ignore[GP302", "")


def test_suppression_in_audited_python_file(tmp_path: Path) -> None:
    rng = random.Random(5)
    key = "AIza" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(35))
    (tmp_path / "app.py").write_text(
        "from google import genai\n"
        f"client = genai.Client(api_key='{key}')  # gemini-preflight: ignore[GP201]\n")
    done = run_cli("audit", ".", "--select", "GP201,GP001,GP002", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    (tmp_path / "app.py").write_text(f"KEY = '{key}'\n")
    done = run_cli("audit", ".", "--select", "GP201,GP001,GP002", cwd=tmp_path)
    assert done.returncode == 1 and "app.py:1:" in done.stdout and "GP201" in done.stdout
    assert key not in done.stdout + done.stderr


def test_suppression_in_audited_notebook_cell(tmp_path: Path) -> None:
    rng = random.Random(6)
    key = "AIza" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(35))

    def notebook(comment: str) -> str:
        cell: dict[str, Any] = {"cell_type": "code", "metadata": {}, "outputs": [],
                                "execution_count": None,
                "source": ["from google import genai\n", f"client = genai.Client(api_key='{key}'){comment}"]}
        return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)

    (tmp_path / "explore.ipynb").write_text(notebook("  # gemini-preflight: ignore[GP201]"))
    done = run_cli("audit", ".", "--select", "GP201,GP001,GP002", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    (tmp_path / "explore.ipynb").write_text(notebook(""))
    done = run_cli("audit", ".", "--select", "GP201,GP001,GP002", "--format", "json", cwd=tmp_path)
    assert done.returncode == 1
    assert [(f["rule_id"], f["cell"]) for f in json.loads(done.stdout)["findings"]] == [("GP201", 1)]


def test_comments_are_collected_while_scanning_not_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from preflight import suppress

    def no_second_read(path: str) -> list[suppress.Mark]:
        raise AssertionError(f"{path} read again after the run")

    monkeypatch.setattr(suppress, "_read_marks", no_second_read)
    (tmp_path / "gemini-deploy.yaml").write_text(MANIFEST.format(a="", b=IGNORE.format("GP305")))
    (tmp_path / "app.py").write_text("import os  # gemini-preflight: ignore[GP101]\n"
                                     "# gemini-preflight: ignore[GP101]\n"
                                     "import google.generativeai as genai\n")
    (tmp_path / "requirements.txt").write_text("google-generativeai  # gemini-preflight: ignore[GP101]\n")
    (tmp_path / "notes.txt").write_text("# gemini-preflight: ignore[GP3O5]\n")
    result = api.audit([tmp_path], api.Options(today=TODAY, select=("GP101", "GP305", "GP001", "GP002")))
    found = sorted((Path(f.location.path).name, f.location.line, f.rule_id) for f in result.findings)
    assert found == [("app.py", 1, "GP001"), ("notes.txt", 1, "GP002")]
    result = api.check([tmp_path / "gemini-deploy.yaml"], api.Options(today=TODAY, select=("GP305",)))
    assert result.findings == []


def test_a_scanner_adds_comments_of_its_language_in_one_line() -> None:
    from preflight import suppress

    text = ('const model = "gemini-3.5-flash";  // gemini-preflight: ignore[GP305]\n'
            "// gemini-preflight: ignore[GP201, gp305]\n"
            "const s = '# gemini-preflight: ignore[GP101]';\n")
    assert suppress.find(text, leader="//") == [
        suppress.Mark(1, 36, ("GP305",), standalone=False),
        suppress.Mark(2, 1, ("GP201", "GP305"), standalone=True),
    ]


def test_suppression_in_javascript_and_typescript_comments(tmp_path: Path) -> None:
    call = 'const m = genAI.getGenerativeModel({ model: "gemini-3.5-flash" });'
    (tmp_path / "same.ts").write_text(f"{call}  // gemini-preflight: ignore[GP305]\n")
    (tmp_path / "above.js").write_text(f"// gemini-preflight: ignore[GP305]\n{call}\n")
    (tmp_path / "block.mjs").write_text(f"{call} /* gemini-preflight: ignore[GP305] */\n")
    done = run_cli("audit", ".", "--select", "GP305,GP001,GP002", "--today", "2026-11-24", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    (tmp_path / "hash.js").write_text(f"{call}  # gemini-preflight: ignore[GP305]\n")  # not a JS comment
    done = run_cli("audit", ".", "--select", "GP305,GP001,GP002", "--today", "2026-11-24", cwd=tmp_path)
    assert done.returncode == 1 and "hash.js:1:" in done.stdout
    assert "same.ts" not in done.stdout and "above.js" not in done.stdout
