"""The ``gemini-preflight`` command line: parse options, call one API function, render.

Everything between the options and the report (suppressions, per-file ignores,
``exclude``, the baseline, ``--fail-on``) happens in :mod:`preflight.api`.

Exit codes (a contract): 0 nothing at or above ``--fail-on``; 1 findings at or
above it; 2 the tool could not do its job, with one message and no traceback.
Modules beyond click and the API are imported inside the commands that need
them, so a pre-commit run of ``check`` starts fast.
"""

from __future__ import annotations

import functools
import io
import os
import re
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from preflight import __version__
from preflight.core import FAIL_ON, Options, Result

F = TypeVar("F", bound=Callable[..., Any])
# Parameter types hold no state: one of each, shared by every option (each click.Path made
# asks gettext for its name, a file lookup per call, at every start).
_FILE = click.Path(dir_okay=False, path_type=Path)
_PATH = click.Path(path_type=Path)
_FOLDER = click.Path(file_okay=False, path_type=Path)
_SURROGATE = "[\ud800-\udfff]"  # compiled for a text that is not ASCII only


def scrub(text: str) -> str:
    """Secrets out, and text that every output can encode: a lone surrogate (a byte
    of a file name that is not UTF-8 and was not shown as ``\\xNN``) becomes U+FFFD."""
    from preflight.findings import scrub as scrub_secrets

    text = scrub_secrets(text)
    return text if text.isascii() else re.sub(_SURROGATE, "\ufffd", text)


def say(text: str, err: bool = False, nl: bool = True) -> None:
    """Write ``text`` to standard output (or error): the one way out of the command line,
    so every report, note, error and message passes the one scrub of secrets."""
    click.echo(scrub(text), err=err, nl=nl)


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(p.strip() for v in values for p in v.split(",") if p.strip())


def _parse_today(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@functools.cache
def _format_choice() -> click.Choice[str]:
    from preflight.report import formats

    return click.Choice(formats())


def report_options(func: F) -> F:
    """Options shared by every command that reports findings."""
    decorators = [
        click.option("--format", "fmt", type=_format_choice(), default="text",
                     show_default=True, help="Output format."),
        click.option("--output", "-o", type=_FILE,
                     help="Write the report to FILE instead of standard output."),
        click.option("--select", multiple=True, metavar="IDS",
                     help="Only these rule IDs or prefixes (GP3, GP302); repeatable or comma-separated."),
        click.option("--ignore", multiple=True, metavar="IDS",
                     help="Skip these rule IDs or prefixes."),
        click.option("--fail-on", type=click.Choice(FAIL_ON),
                     help="Lowest severity that makes the exit code 1.  [default: warning]"),
        click.option("--today", callback=_parse_today, metavar="YYYY-MM-DD",
                     help="Date for time-dependent rules (default: the real date)."),
        click.option("--config", type=_FILE, metavar="FILE",
                     help="Configuration file (default: .gemini-preflight.yaml or "
                          "[tool.gemini-preflight] in pyproject.toml, here or above)."),
        click.option("--baseline", type=_FILE, metavar="FILE",
                     help="Let the findings recorded in FILE pass; only new ones fail."),
        click.option("--write-baseline", type=_FILE,
                     metavar="FILE", help="Record today's findings in FILE (then exit 0)."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def fix_options(func: F) -> F:
    """``--fix``, ``--unsafe-fixes`` and ``--diff``, as ruff spells them."""
    decorators = [
        click.option("--fix", is_flag=True, help="Apply the safe fixes, then report what remains."),
        click.option("--unsafe-fixes", is_flag=True,
                     help="With --fix or --diff: also the fixes that need a review (docs/fixes.md)."),
        click.option("--diff", is_flag=True,
                     help="Print a unified diff of what --fix would change; write nothing "
                          "(exit 1 when something would change)."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def probe_options(func: F) -> F:
    """Options of the live probes (`probe`, `check --live`)."""
    decorators = [
        click.option("--env", "envs", multiple=True, metavar="NAME",
                     help="Environment to probe; repeatable (needed when the manifest has several)."),
        click.option("--allow-host", "allow_hosts", multiple=True, metavar="HOST",
                     help="Also send credentials to this non-Google host (a gateway `endpoint`)."),
        click.option("--timeout", type=click.FloatRange(min=0.1, max=600), default=10.0,
                     show_default=True, metavar="SECONDS", help="Timeout of each probe call."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def _probe_settings(kwargs: dict[str, Any]) -> Any:
    from preflight.probes import ProbeSettings

    return ProbeSettings(envs=_split(kwargs["envs"]), allow_hosts=_split(kwargs["allow_hosts"]),
                         timeout=kwargs["timeout"])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gemini-preflight")
def cli() -> None:
    """Lint and preflight-check applications that call Google's Gemini models."""


@cli.command()
@click.argument("manifests", nargs=-1, type=_PATH)
@report_options
@click.option("--live", is_flag=True, help="Also run the live probes (network; see `probe`).")
@probe_options
@fix_options
def check(manifests: tuple[Path, ...], live: bool, **kwargs: Any) -> None:
    """Lint deployment manifests (default: ./gemini-deploy.yaml)."""
    from dataclasses import replace

    from preflight import api

    if not live and (kwargs["envs"] or kwargs["allow_hosts"]):
        raise click.UsageError("--env and --allow-host apply to live probes: add --live")
    options = _options(kwargs)
    if live:
        options = replace(options, live=_probe_settings(kwargs))
    kwargs["_started"] = time.time_ns()
    _emit(lambda opts: api.check(list(manifests), opts), options, kwargs)


@cli.command()
@click.argument("manifest", required=False, type=_PATH)
@report_options
@probe_options
def probe(manifest: Path | None, **kwargs: Any) -> None:
    """Live checks against Google (network): credentials, project, API, models, quota.

    MANIFEST defaults to ./gemini-deploy.yaml. Credentials and keys go only to
    *.googleapis.com over https (or a host named with --allow-host).
    """
    from preflight import api

    options = _options(kwargs)
    settings = _probe_settings(kwargs)
    _emit(lambda opts: api.probe([manifest] if manifest else [], opts, settings), options, kwargs,
          fixes=False)


@cli.command()
@click.argument("paths", nargs=-1, type=_PATH)
@report_options
@click.option("--no-ignore", is_flag=True,
              help="Also scan files that .gitignore excludes, virtualenvs and node_modules.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="Worker processes for big trees (default: one per core).")
@click.option("--max-file-size", type=click.FloatRange(min=0.001), default=32, show_default=True,
              metavar="MIB", help="Skip files larger than this many MiB (with a note).")
@click.option("--staged", is_flag=True, help="Only the files staged for the next commit (git).")
@click.option("--changed-since", "diff_rev", metavar="REV",
              help="Only the files changed since REV's merge base with HEAD (git; e.g. origin/main).")
@fix_options
def audit(paths: tuple[Path, ...], no_ignore: bool, jobs: int | None, max_file_size: float,
          staged: bool, diff_rev: str | None, **kwargs: Any) -> None:
    """Scan files and folders for legacy SDKs, keys, hardcoded and retired model IDs."""
    from preflight import api
    from preflight.audit import rule_summary
    from preflight.progress import progress_bar

    options = _options(kwargs)
    kwargs["_started"] = time.time_ns()

    def run(opts: Options) -> api.Result:
        with progress_bar(enabled=_progress_wanted(kwargs["output"])) as bar:
            return api.audit(list(paths), opts, no_ignore=no_ignore, jobs=jobs, progress=bar,
                             max_bytes=int(max_file_size * 1024 * 1024), staged=staged,
                             diff_rev=diff_rev)

    _emit(run, options, kwargs, summary=rule_summary)


def _progress_wanted(output: Path | None) -> bool:
    """A progress bar only on a terminal: never in pipes, never in CI."""
    if os.environ.get("CI") or not sys.stderr.isatty():
        return False
    return output is not None or sys.stdout.isatty()


@cli.command()
@click.argument("folder", default=".", type=_FOLDER)
@click.option("--force", is_flag=True, help="Overwrite an existing gemini-deploy.yaml.")
@click.option("--output", "-o", type=_FILE,
              help="Where to write (default: FOLDER/gemini-deploy.yaml; '-' for standard output).")
def init(folder: Path, force: bool, output: Path | None) -> None:
    """Write a starting gemini-deploy.yaml inferred from the repository."""
    from preflight import startup
    from preflight.init import write_manifest

    startup.resume()
    note_stale(None)
    say(write_manifest(folder, output, force), err=True)


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True)
def rules_command(fmt: str) -> None:
    """List every rule."""
    from preflight import docs, engine

    rules = list(engine.all_rules().values())
    click.echo(docs.rules_listing(rules, fmt), nl=False)


@cli.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Show one rule's documentation."""
    from preflight import docs, engine

    rules = engine.all_rules()
    rule = rules.get(rule_id.strip().upper())
    if rule is None:
        import difflib

        close = difflib.get_close_matches(rule_id.upper(), list(rules), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise click.UsageError(f"unknown rule {rule_id!r}{hint}; `gemini-preflight rules` lists them")
    click.echo(docs.explain(rule, color=_color_wanted(None)), nl=False)


_STAGES = ("ga", "preview", "experimental")  # preflight.catalog.STAGES (a test keeps them equal)


@cli.command("catalog")
@click.argument("model_ids", nargs=-1, metavar="[MODEL_ID]...")
@click.option("--stage", "stages", multiple=True, type=click.Choice(_STAGES),
              help="Only models of this stage; repeatable.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--today", callback=_parse_today, metavar="YYYY-MM-DD",
              help="Date for each model's status and the catalog's age (default: the real date).")
@click.option("--live", is_flag=True,
              help="List the models the Gemini API serves to your API key (GOOGLE_API_KEY or "
                   "GEMINI_API_KEY; network) and how they differ from the catalog.")
@click.option("--timeout", type=click.FloatRange(min=0.1, max=600), default=10.0, show_default=True,
              metavar="SECONDS", help="With --live: timeout of each call.")
def catalog_command(model_ids: tuple[str, ...], stages: tuple[str, ...], fmt: str,
                    today: date | None, live: bool, timeout: float) -> None:
    """List the models the tool knows: stage, dates, limits, locations, sources.

    MODEL_ID (any spelling: bare, models/..., a Vertex resource name) limits the list.
    With --live (the `live` extra), list what the Gemini API serves to your key instead,
    beside the catalog: served but unknown, known but not served, limits that differ.
    """
    from preflight import catalog_report
    from preflight.catalog import load_catalog

    day = today or date.today()
    catalog = load_catalog()
    note_stale(day)
    if live:
        if model_ids or stages:
            raise click.UsageError("--live lists every model the API serves: drop MODEL_ID and --stage")
        say(_served_models(catalog, day, fmt, timeout), nl=False)
        return
    try:
        models = catalog_report.select(catalog, model_ids, stages, day)
    except catalog_report.SelectionError as exc:
        raise click.ClickException(str(exc)) from None
    render = catalog_report.render_json if fmt == "json" else catalog_report.render_text
    say(render(catalog, models, day), nl=False)


def _served_models(catalog: Any, today: date, fmt: str, timeout: float) -> str:
    """``catalog --live``: the API's list beside the catalog, rendered; exit 2 when it fails."""
    from preflight.probes import LIVE_EXTRA_HINT

    try:
        import preflight.probes.served as served
        from preflight.probes.hosts import ProbeError
    except ImportError:
        raise click.ClickException(LIVE_EXTRA_HINT) from None
    try:
        found = served.fetch(catalog, today, os.environ, timeout, time.sleep)
    except ProbeError as exc:
        raise click.ClickException(str(exc)) from None
    render = served.render_json if fmt == "json" else served.render_text
    return render(found, catalog, today)


def note_stale(today: date | None) -> None:
    """Say once, on standard error, that the model catalog is old (never in a report)."""
    from preflight.catalog import CatalogError, load_catalog
    from preflight.catalog_report import stale_note

    try:
        note = stale_note(load_catalog(), today or date.today())
    except CatalogError:  # the run reports a broken catalog itself
        return
    if note:
        say(f"gemini-preflight: note: {note}", err=True)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the manifest (for editors)."""
    import json

    from preflight.manifest import json_schema

    click.echo(json.dumps(json_schema(), indent=2, sort_keys=True))


@cli.command()
@click.argument("paths", nargs=-1, type=_PATH)
@click.option("--diff", is_flag=True, help="Print a unified diff of the migration (the default).")
@click.option("--write", is_flag=True, help="Write the migrated files (nothing is written without it).")
def migrate(paths: tuple[Path, ...], diff: bool, write: bool) -> None:
    """Rewrite google.generativeai / vertexai.generative_models code to google-genai.

    Only what can be translated with certainty is rewritten; the rest is marked
    `# gemini-preflight: migrate by hand: <reason>` and listed. Code is parsed,
    never imported or run. Exit 1 when something would change or needs a hand.
    """
    from preflight import startup
    from preflight.migrate import MigrateError, migrate_paths

    startup.resume()
    try:
        report = migrate_paths(list(paths), write=write)
    except MigrateError as exc:
        raise click.ClickException(str(exc)) from None
    if diff or not write:
        click.echo(report.diff(), nl=False)
    for note in report.notes:
        click.echo(f"gemini-preflight: note: {note}", err=True)
    for result in report.files:
        if result.error:
            click.echo(f"gemini-preflight: note: {result.path}: {result.error}; left alone", err=True)
        for line, reason in result.by_hand:
            click.echo(f"{result.path}:{line}: migrate by hand: {reason}", err=True)
    changed = [f for f in report.files if f.changed]
    rewritten = sum(f.rewritten for f in report.files)
    by_hand = sum(len(f.by_hand) for f in report.files)
    verb = "changed" if write else "would change"
    click.echo(f"{len(changed)} files {verb} ({rewritten} calls rewritten), "
               f"{by_hand} places to migrate by hand.", err=True)
    raise SystemExit(1 if (changed and not write) or by_hand else 0)


def _options(kwargs: dict[str, Any]) -> Options:
    from preflight import engine

    select, ignore = _split(kwargs["select"]), _split(kwargs["ignore"])
    unknown = engine.unknown_patterns(select + ignore, engine.all_rules().values())
    if unknown:
        raise click.UsageError(f"no rule matches {', '.join(unknown)} (see `gemini-preflight rules`)")
    return cli_options(kwargs.get("config"), select, ignore, kwargs["today"], kwargs["fail_on"],
                       kwargs.get("baseline"), kwargs.get("write_baseline"))


def cli_options(config_file: Path | None, select: tuple[str, ...], ignore: tuple[str, ...],
                today: date | None, fail_on: str | None, baseline: Path | None = None,
                write_baseline: Path | None = None) -> Options:
    """Options for a run: command-line values where given, else the configuration file's
    (preflight/config.py); ``fail_on`` defaults to ``warning``."""
    from preflight.config import load_config

    config = load_config(config_file)
    return Options(
        select=select or config.select,
        ignore=ignore or config.ignore,
        today=today or config.today,
        rule_options=config.rules,
        per_file_ignores=config.per_file_ignores,
        exclude=config.exclude,
        root=config.root,
        baseline=baseline,
        write_baseline=write_baseline,
        fail_on=fail_on or config.fail_on or "warning",
    )


def _color_wanted(output: Path | None) -> bool:
    if output is not None or os.environ.get("NO_COLOR") or os.environ.get("CI"):
        return False
    return sys.stdout.isatty()


def _emit(run: Callable[[Options], Result], options: Options, kwargs: dict[str, Any],
          summary: Callable[[Result], str] | None = None, fixes: bool = True) -> None:
    """Run one API call, apply fixes when asked, render the finished result, print errors
    and notes, exit with its code."""
    from preflight import atomic, interrupt
    from preflight.report import renderer

    output: Path | None = kwargs["output"]
    footer = ""
    note_stale(options.effective_today)
    try:  # the baseline (written by the API) and the report are renamed into place together,
        # after the last interrupt
        with atomic.together(before_commit=interrupt.end_of_run):
            result = run(options)
            notes = list(result.baseline_notes)
            if fixes and (kwargs.get("fix") or kwargs.get("diff")):
                result, notes, footer = _fix(result, kwargs, run, options, notes)
            text = renderer(kwargs["fmt"])(result, _color_wanted(output))
            if summary is not None and kwargs["fmt"] == "text":
                text += summary(result)
            if footer and kwargs["fmt"] == "text":
                text += footer + "\n"
            elif footer:
                notes.append(footer)
            if output is None:
                say(text, nl=False)
            else:
                atomic.write_text(output, scrub(text))
    except OSError as exc:
        shown = exc.filename or output
        raise click.ClickException(f"cannot write {shown}: {exc.strerror or exc}") from None
    for message in [*result.errors, *map(str, result.crashes)]:
        say(f"gemini-preflight: error: {message}", err=True)
    skipped = result.notes
    for note in [*skipped[:20], *notes]:
        say(f"gemini-preflight: note: {note}", err=True)
    if len(skipped) > 20:
        say(f"gemini-preflight: note: ... and {len(skipped) - 20} more skipped", err=True)
    raise SystemExit(result.exit_code())


def _fix(result: Result, kwargs: dict[str, Any], run: Callable[[Options], Result],
         options: Options, notes: list[str]) -> tuple[Result, list[str], str]:
    """Apply (or with --diff, show) the fixes; after writing, check again for what remains
    (the baseline is not written again)."""
    from dataclasses import replace

    from preflight.fixer import apply_fixes

    report = apply_fixes(result.findings, unsafe=kwargs["unsafe_fixes"], write=not kwargs["diff"],
                         started_ns=kwargs.get("_started"))
    notes = [*notes, *report.notes]
    if kwargs["diff"]:
        click.echo(report.diff(), nl=False)
        for note in notes:
            click.echo(f"gemini-preflight: note: {note}", err=True)
        remaining = len(result.findings) - report.fixed
        click.echo(f"Would fix {report.fixed}, {remaining} remaining.", err=True)
        raise SystemExit(1 if report.changes else 0)
    if report.changes:
        result = run(replace(options, write_baseline=None))
        notes += result.baseline_notes
    return result, notes, f"{report.fixed} fixed, {len(result.findings)} remaining."


def main() -> None:
    """Entry point: run the CLI and turn every failure into exit 2 with one message."""
    try:
        cli.main(prog_name="gemini-preflight", standalone_mode=False)
    except click.exceptions.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except click.ClickException as exc:
        shown = io.StringIO()
        exc.show(file=shown)
        say(shown.getvalue(), err=True, nl=False)
        raise SystemExit(2) from None
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        raise SystemExit(130) from None
    except SystemExit:
        raise
    except Exception as exc:
        _fatal(exc)
    raise SystemExit(0)


def entry() -> None:
    """The console script and ``python -m preflight``: :func:`main`, then a fast exit.

    Everything the run wrote is flushed first; what is skipped is only the
    interpreter's teardown of a few hundred modules, about 30 ms that
    pre-commit would otherwise pay on every commit. SIGINT and SIGTERM end the
    run with one line and exit 130 or 143 (see :mod:`preflight.interrupt`).
    """
    from preflight import interrupt

    try:
        interrupt.install()
        try:
            main()
            code = 0
        except SystemExit as exc:
            if isinstance(exc.code, str):
                say(exc.code, err=True)
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        interrupt.end_of_run()
    except interrupt.Interrupted as exc:
        code = interrupt.stopped(exc)
    if "logging" in sys.modules:
        sys.modules["logging"].shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _fatal(exc: Exception) -> None:
    known = {"UsageError", "LoadError", "ManifestError", "CatalogError", "RegistryError",
             "ConfigError", "BaselineError", "GitError"}
    name = type(exc).__name__
    if os.environ.get("GEMINI_PREFLIGHT_DEBUG"):
        raise exc
    prefix = "" if name in known else "internal error: "
    hint = "" if name in known else " (set GEMINI_PREFLIGHT_DEBUG=1 for a traceback)"
    say(f"gemini-preflight: {prefix}{str(exc) or name}{hint}", err=True)
    raise SystemExit(2)


__all__ = ["cli", "entry", "main", "report_options"]
