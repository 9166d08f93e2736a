"""``gemini-preflight init``: a starting ``gemini-deploy.yaml`` inferred from the repository.

It guesses the SDK from dependency files (or imports), the route from
``Client(vertexai=True, ...)`` and ``GOOGLE_GENAI_USE_VERTEXAI`` in ``.env``
files, and the model slots from model-ID literals in code, and says in a
comment beside each value what it saw. The result always passes schema
validation; an existing manifest is never overwritten without ``--force``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import click

from preflight import atomic
from preflight.findings import scrub
from preflight.scan import Skip, SourceFile, scan_file
from preflight.scan.walk import discover
from preflight.versions import may_reach

SDK_PACKAGES = {"google-genai": "google-genai", "google-generativeai": "google-generativeai",
                "google-cloud-aiplatform": "vertexai", "vertexai": "vertexai"}


@dataclass
class Guess:
    sdk: str = "google-genai"
    sdk_version: str = ""
    sdk_why: str = "no Gemini SDK found in dependency files or imports: assumed google-genai"
    route: str = "developer-api"
    route_why: str = "no Client(vertexai=True) or GOOGLE_GENAI_USE_VERTEXAI found"
    project: str = ""
    location: str = ""
    key_env: str = "GEMINI_API_KEY"
    models: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # slot -> (id, env, why)


def infer(folder: Path) -> Guess:
    guess = Guess()
    facts: list[SourceFile] = []
    for target in discover([folder]).targets:
        try:
            found, _ = scan_file(target.path, os.path.relpath(target.path, folder))
        except Skip:
            continue
        if found.has_facts():
            facts.append(found)
    _sdk(guess, facts)
    _route(guess, facts)
    _models(guess, facts)
    return guess


def _sdk(guess: Guess, facts: list[SourceFile]) -> None:
    deps = [(d, f.path) for f in facts for d in f.dependencies if d.name in SDK_PACKAGES]
    deps.sort(key=lambda item: list(SDK_PACKAGES).index(item[0].name))
    if deps:
        dep, path = deps[0]
        # Only a real PEP 440 pin or specifier is copied: anything else (a key pasted into
        # a requirements line, say) would land in the manifest as it is.
        spec = dep.specifier if may_reach(dep.specifier, "0") is not None else ""
        guess.sdk, guess.sdk_version = SDK_PACKAGES[dep.name], spec
        guess.sdk_why = f"{dep.name}{spec} in {path}:{dep.line}"
        return
    imports = [(i, f.path) for f in facts for i in f.imports]
    for imp, path in imports:
        modules = imp.modules()
        if "google.genai" in modules or any(m.startswith("google.genai.") for m in modules):
            guess.sdk, guess.sdk_why = "google-genai", f"import in {path}:{imp.line}"
            return
    for imp, path in imports:
        if any(m.startswith("google.generativeai") for m in imp.modules()):
            guess.sdk, guess.sdk_why = "google-generativeai", f"import in {path}:{imp.line}"
            return


def _route(guess: Guess, facts: list[SourceFile]) -> None:
    for f in facts:
        for client in f.clients:
            if client.flag:
                guess.route = "vertex"
                guess.route_why = f"Client({client.flag}=True) in {f.path}:{client.line}"
                guess.project = guess.project or client.project
                guess.location = guess.location or client.location
                return
        for var in f.env:
            if var.name in ("GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_GENAI_USE_ENTERPRISE") and var.truthy:
                guess.route, guess.route_why = "vertex", f"{var.name}=true in {f.path}:{var.line}"
                return
    keys = [v.name for f in facts for v in f.env if v.name in ("GOOGLE_API_KEY", "GEMINI_API_KEY")]
    if keys:
        guess.key_env = keys[0]


def _models(guess: Guess, facts: list[SourceFile]) -> None:
    from preflight.catalog import normalize_model_id

    seen: set[str] = set()
    for f in facts:
        for ref in f.models:
            model_id = normalize_model_id(ref.model_id)
            if model_id in seen:
                continue
            seen.add(model_id)
            hint = ref.env or (ref.where.split(" ")[0] if ref.where.endswith(" = …") else "")
            name = _slot_name(hint, guess.models)
            guess.models[name] = (model_id, ref.env, f"{f.path}:{ref.line}")


def _slot_name(hint: str, taken: dict[str, tuple[str, str, str]]) -> str:
    base = re.sub(r"(^|_)(model|id|name|default)(?=_|$)", "", hint.lower())
    base = re.sub(r"[^a-z0-9]+", "-", base).strip("-")
    if not base or not base[0].isalpha() or base in ("get", "getenv"):
        base = "model"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def render(guess: Guess, app: str) -> str:
    from preflight.catalog import load_catalog

    catalog = load_catalog()
    out = ["# Starting manifest written by `gemini-preflight init`: review every guess,",
           "# add your staging and production environments, then run `gemini-preflight check`.",
           "version: 1", f"app: {app}", "sdk:", f"  package: {guess.sdk}  # {guess.sdk_why}"]
    if guess.sdk_version:
        out.append(f'  version: "{guess.sdk_version}"')
    out += ["environments:", "  development:  # the only environment init can see; add the others",
            f"    route: {guess.route}  # {guess.route_why}"]
    if guess.route == "vertex":
        if guess.project:
            out.append(f"    project: {guess.project}  # from Client(project=...)")
        where = "from Client(location=...)" if guess.location else "google-genai's default"
        out += [f"    location: {guess.location or 'global'}  # {where}",
                "    auth:", "      method: adc  # Application Default Credentials (guess)"]
    else:
        out += ["    auth:", "      method: api-key  # the Developer API route takes an API key",
                f"      api_key_env: {guess.key_env}"]
    if guess.models:
        out.append("models:  # one slot per model ID literal found in code")
    for name, (model_id, env, where) in guess.models.items():
        model = catalog.get(model_id)
        note = "not in the model catalog" if model is None else f"{model.stage}, {model.task}"
        if model is not None and model.status(date.today()) == "retired":
            note += f"; RETIRED on {model.shutdown_for(None)}: pick a current model"
        out += [f"  {name}:", f"    id: {model_id}  # {where} ({note})"]
        if env:
            out.append(f"    id_env: {env}  # the variable the code reads it from")
        if model is not None and model.task == "image-generation":
            out.append("    task: image-generation")
    return "\n".join(out) + "\n"


def write_manifest(folder: Path, output: Path | None = None, force: bool = False) -> str:
    """Write the inferred manifest; returns a one-line summary for the user."""
    from preflight.core import UsageError
    from preflight.loader import parse_yaml
    from preflight.manifest import parse_manifest

    if not folder.is_dir():
        raise UsageError(f"{folder.as_posix()}: no such folder")
    target = output or folder / "gemini-deploy.yaml"
    if target.as_posix() != "-" and target.exists() and not force:
        raise UsageError(f"{target.as_posix()} already exists (use --force to overwrite it)")
    guess = infer(folder)
    app = re.sub(r"[^a-z0-9-]+", "-", folder.resolve().name.lower()).strip("-") or "app"
    text = scrub(render(guess, app))  # file names and pins come from the repository
    parse_manifest(parse_yaml(text, target.as_posix()))  # never write an invalid manifest
    if target.as_posix() == "-":
        click.echo(text, nl=False)
    else:
        atomic.write_text(target, text)
    done = "inferred" if target.as_posix() == "-" else f"wrote {target.as_posix()}:"
    return (f"{done} sdk {guess.sdk}, route {guess.route}, "
            f"{len(guess.models)} model slot(s); review the comments, then run gemini-preflight check")
