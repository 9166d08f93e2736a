"""The packaged data files (``preflight/data/*.yaml``): facts kept out of code.

Read from beside this module, which works from a wheel, an editable install
and the source tree alike.

The YAML files are the source of truth. Each ships with a JSON copy
(``<name>.json``, e.g. ``catalog.yaml.json``) holding the same data and the
CRC-32 and size of the YAML bytes it was made from. When they match the YAML
file, the copy is read: :mod:`json` parses at C speed and needs no YAML library,
which is most of the start-up of a pre-commit ``audit``. When they do not (the
YAML was edited and the copy not yet written again) the YAML is parsed, with
libyaml's safe loader when present: an old copy never hides a newer fact.
``python -m preflight.datafiles`` writes the copies; a test checks they are current.
Dates are written as ``{"$date": "YYYY-MM-DD"}`` and read back as dates.
"""

from __future__ import annotations

import functools
import json
import zlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
NAMES = ("catalog.yaml", "keys.yaml")
_DATE = "$date"


def data_path(name: str) -> Path:
    return DATA / name


def copy_path(name: str) -> Path:
    """Where the JSON copy of the data file ``name`` is kept."""
    return DATA / f"{name}.json"


@functools.lru_cache(maxsize=8)
def load_data(name: str) -> Any:
    """The parsed content of ``data/<name>`` (cached; treat it as read-only)."""
    source = data_path(name).read_bytes()
    found = json_copy(name, source)
    if found is not None:
        return found
    return parse_yaml(source.decode("utf-8"))


def json_copy(name: str, source: bytes | None = None) -> Any | None:
    """The data of the JSON copy of ``name`` when it was made from these YAML bytes, else None."""
    if source is None:
        source = data_path(name).read_bytes()
    try:
        text = copy_path(name).read_text(encoding="utf-8")
        copy = json.loads(text, object_hook=_decode)
    except (OSError, ValueError):
        return None
    if not isinstance(copy, dict) or copy.get("source") != _stamp(source):
        return None
    return copy.get("data")


def parse_yaml(text: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


def render_copy(name: str) -> str:
    """The JSON copy of ``data/<name>``, as :func:`write_copies` writes it.

    Raises ValueError for data that JSON would not give back the same (a key
    that is not a string, a timestamp with a time of day, a mapping using ``$date``).
    """
    source = data_path(name).read_bytes()
    data = parse_yaml(source.decode("utf-8"))
    text = json.dumps({"source": _stamp(source), "data": _encode(data)}, indent=1,
                      ensure_ascii=False, allow_nan=False) + "\n"
    if json.loads(text, object_hook=_decode)["data"] != data:
        raise ValueError(f"{name}: JSON does not give back the same data")
    return text


def write_copies() -> list[Path]:
    """Write the JSON copy of every data file; the paths written."""
    from preflight.atomic import write_text

    written = []
    for name in NAMES:
        write_text(copy_path(name), render_copy(name))
        written.append(copy_path(name))
    return written


def _stamp(source: bytes) -> str:
    return f"crc32:{zlib.crc32(source):08x} bytes:{len(source)}"


def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value) or _DATE in value:
            raise ValueError(f"mapping keys must be strings other than {_DATE!r}: {list(value)}")
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, datetime):
        raise ValueError(f"a timestamp with a time of day is not kept: {value}")
    if isinstance(value, date):
        return {_DATE: value.isoformat()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise ValueError(f"not kept in JSON: {type(value).__name__}")


def _decode(mapping: dict[str, Any]) -> Any:
    if len(mapping) == 1 and _DATE in mapping:
        return date.fromisoformat(mapping[_DATE])
    return mapping


if __name__ == "__main__":
    for path in write_copies():
        print(f"wrote {path}")
