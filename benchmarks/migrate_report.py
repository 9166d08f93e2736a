"""What would ``gemini-preflight migrate --diff`` do to a folder? Counts, not promises.

Runs the codemod over every Python file and notebook under FOLDER without
writing anything (what ``migrate --diff`` does) and prints: files that use a
legacy SDK, files touched, calls rewritten, places left for a human (by
reason), and how many migrated files still parse (must be all). With
``--diff FILE`` it also writes the unified diff there for review.

    python benchmarks/migrate_report.py FOLDER [FOLDER...] [--diff FILE]

Quoted in docs/fixes.md on the test fixtures and on third-party legacy code.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from preflight.migrate import FileResult, migrate_paths  # noqa: E402

_MAGIC = re.compile(r"^([ \t]*)[!%].*$", re.MULTILINE)


def parses(result: FileResult) -> bool:
    """Does the migrated text still parse (every code cell, for a notebook)?"""
    try:
        if result.path.endswith(".ipynb"):
            cells = json.loads(result.after)["cells"]
            for cell in cells:
                if cell.get("cell_type") != "code":
                    continue
                source = "".join(cell["source"]) if isinstance(cell["source"], list) \
                    else cell["source"]
                if source.lstrip().startswith("%%"):
                    continue
                ast.parse(_MAGIC.sub(r"\1pass", source))
        else:
            ast.parse(result.after)
    except (SyntaxError, ValueError, KeyError):
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--diff", type=Path, help="also write the unified diff to this file")
    args = parser.parse_args()
    started = time.perf_counter()
    report = migrate_paths(args.folders, write=False)
    took = time.perf_counter() - started
    files = report.files
    broken = [f for f in files if f.error]
    users = [f for f in files if f.rewritten or f.by_hand]
    touched = [f for f in files if f.changed]
    migrated = [f for f in files if f.rewritten]
    rewritten = sum(f.rewritten for f in files)
    by_hand = report.reasons()
    parsed = sum(parses(f) for f in touched)
    print(f"folders:              {', '.join(str(f) for f in args.folders)}")
    print(f"files mentioning a legacy SDK: {len(files)} ({len(users)} use it in code, "
          f"{len(broken)} do not parse: left alone)")
    print(f"files touched:        {len(touched)} ({len(migrated)} migrated, "
          f"{len(touched) - len(migrated)} only marked for a human)")
    print(f"calls rewritten:      {rewritten}")
    print(f"left for a human:     {sum(by_hand.values())} places in "
          f"{sum(1 for f in files if f.by_hand)} files")
    for reason, count in by_hand.most_common():
        print(f"  {count:>4}  {reason}")
    print(f"files that still parse: {parsed}/{len(touched)}")
    print(f"time:                 {took:.2f} s")
    if args.diff:
        args.diff.write_text(report.diff(), encoding="utf-8")
    if parsed != len(touched):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
