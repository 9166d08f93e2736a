"""The packaged data files (``preflight/data/*.yaml``): facts kept out of code.

Read from beside this module, which works from a wheel, an editable install
and the source tree alike, and parsed with libyaml's safe loader when present.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def data_path(name: str) -> Path:
    return DATA / name


@functools.lru_cache(maxsize=8)
def load_data(name: str) -> Any:
    """The parsed content of ``data/<name>`` (cached; treat it as read-only)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(data_path(name).read_text(encoding="utf-8"), Loader=loader)
