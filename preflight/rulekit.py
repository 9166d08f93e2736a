"""Small helpers that several rules share (kept here so rules stay one screen long)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from preflight.rule import ManifestContext, Problem

if TYPE_CHECKING:
    from preflight.scan.facts import Dependency, SourceFile


def unset_flags(ctx: ManifestContext, section: str, key: str, what: str, fix: str,
                exempt: frozenset[str] = frozenset({"development"})) -> Iterator[Problem]:
    """A problem for each environment whose ``<section>.<key>`` is not ``true``.

    A missing section points at the environment, a missing key at the section,
    an explicit ``false`` at the value; environments at an ``exempt`` stage are
    skipped.
    """
    for name, env in ctx.environments():
        stage = ctx.manifest.stage_of(name)
        if stage in exempt:
            continue
        path = ("environments", name)
        block = getattr(env, section)
        value = None if block is None else getattr(block, key)
        if value is None:
            where = path if block is None else (*path, section)
            yield Problem(f"{stage} environment '{name}' does not {what}",
                          path=where, on="key", env=name, subject=name, fix=fix)
        elif value is False:
            yield Problem(f"{stage} environment '{name}' has {key}: false",
                          path=(*path, section, key), env=name, subject=name, fix=fix)


def spelled(language: str, python: str, javascript: str) -> str:
    """A finding's wording in the language of the code it is about: ``javascript`` for
    JavaScript/TypeScript (the @google/genai spelling), ``python`` otherwise."""
    return javascript if language == "javascript" else python


def served_by(declaration: SourceFile, dep: Dependency, files: Sequence[SourceFile]) -> list[SourceFile]:
    """The code a dependency declaration installs packages for.

    A notebook's ``%pip install`` serves the notebook; any other declaration
    serves the files in its folder and below, and a file in a ``requirements``
    folder (``requirements/base.txt``) those of the folder above.
    """
    if dep.origin == "pip install" and declaration.kind == "notebook":
        return [declaration]
    root = PurePosixPath(declaration.path).parent
    if root.name.startswith("requirements"):
        root = root.parent
    return [f for f in files if root == PurePosixPath(f.path).parent or root in PurePosixPath(f.path).parents]
