"""PEP 440 questions about SDK pins: can a pin or specifier reach a version?

Used by the SDK rules (GP103 minimum version, GP303 API-version boundary) and
by the live probes (which API version the SDK calls), so all three read a pin
the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # packaging loads on the first pin read, not with the SDK rules
    from packaging.version import Version

MAX_SPEC_CHARS = 200  # a longer pin or specifier is not read (a 5,000-digit number crashed int())


def below_minimum(spec: str, minimum: str) -> bool | None:
    """True when ``spec`` (a pin or a PEP 440 specifier) admits no version >= ``minimum``;
    None when ``spec`` is neither. An empty ``spec`` admits everything (False).

    Candidates tried: the minimum, its next patch, and every version named in the
    specifier that is >= minimum, plus the next patch of each.
    """
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    floor, text = Version(minimum), spec.strip()
    if len(text) > MAX_SPEC_CHARS:
        return None
    try:
        return Version(text) < floor
    except ValueError:  # InvalidVersion, and numbers past Python's 4,300-digit limit
        pass
    try:
        specs = SpecifierSet(text)
        named = [_version(s.version) for s in specs]
        bases = [floor, *(v for v in named if v is not None and v >= floor)]
        candidates = [c for v in bases for c in (v, _next_patch(v))]
        return not any(specs.contains(c, prereleases=True) for c in candidates)
    except ValueError:  # InvalidSpecifier, and huge numbers inside a specifier
        return None


def may_reach(spec: str | None, boundary: str) -> bool | None:
    """Whether ``spec`` admits some version >= ``boundary`` (None or "" = any version
    = True); None when ``spec`` is not a pin or specifier."""
    below = below_minimum(spec or "", boundary)
    return None if below is None else not below


def _version(text: str) -> Version | None:
    from packaging.version import Version

    try:
        return Version(text.removesuffix(".*"))
    except ValueError:
        return None


def _next_patch(version: Version) -> Version:
    from packaging.version import Version

    major, minor, micro = (*version.release, 0, 0)[:3]
    return Version(f"{major}.{minor}.{micro + 1}")
