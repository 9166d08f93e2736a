"""Facts about clients, Gemini calls and retry wrappers, read from Python source."""

from __future__ import annotations

import textwrap

from preflight.scan.facts import SourceFile
from preflight.scan.notebook import scan_notebook
from preflight.scan.python import scan_python
from preflight.scan.secrets import Lines


def facts(code: str) -> SourceFile:
    out = SourceFile("example.py", "python")
    assert scan_python(textwrap.dedent(code), out)
    return out


def test_client_http_options_inline_dict_and_variable() -> None:
    out = facts('''
        from google import genai
        from google.genai import types
        RETRY = types.HttpRetryOptions(attempts=3, initial_delay=0.5, http_status_codes=[429, 503])
        OPTS = types.HttpOptions(timeout=30 * 1000, retry_options=RETRY)
        a = genai.Client(enterprise=True, location=LOCATION, http_options=OPTS)
        b = genai.Client(http_options={"timeout": 60_000})
        c = genai.Client(http_options=make_options())
    ''')
    a, b, c = out.clients
    assert (a.sdk, a.flag, a.location_set, a.location) == ("google-genai", "enterprise", True, "")
    assert a.name == "a"
    assert a.http is not None and a.http.timeout == 30000 and a.http.retry is not None
    retry = a.http.retry
    assert (retry.attempts, retry.initial_delay, retry.status_codes) == (3, 0.5, (429, 503))
    assert a.http.timeout_span is not None and a.http.timeout_span.line == 5
    assert b.http is not None and b.http.timeout == 60000 and b.http.retry is None
    assert c.http is not None and not c.http.known


def test_only_clients_the_imports_tie_to_google_genai_reach_gemini() -> None:
    out = facts('''
        from google.cloud import storage
        import httpx
        s = storage.Client(project="p")
        h = httpx.Client(timeout=30)
    ''')
    assert [c.reaches_gemini for c in out.clients] == [False, False]
    genai_file = facts('''
        from google import genai
        from google.cloud import storage
        s = storage.Client(project="p")
        g = genai.Client()
    ''')
    assert [c.line for c in genai_file.clients] == [5]


def test_model_calls_kinds_models_and_config() -> None:
    out = facts('''
        from google import genai
        from google.genai import types
        MODEL = "gemini-3.5-flash"
        client = genai.Client()
        CONFIG = types.GenerateContentConfig(
            max_output_tokens=512, thinking_config=types.ThinkingConfig(thinking_level="low"),
            response_modalities=["TEXT", types.Modality.IMAGE],
            tools=[types.Tool(computer_use=types.ComputerUse()), search_tool, my_function])
        client.models.generate_content(model=MODEL, contents="x", config=CONFIG)
        client.aio.models.generate_content_stream(model="gemini-3.1-pro-preview", contents="x")
        client.models.embed_content(model=MODEL, contents="x")
        client.models.generate_images(model="imagen-4.0-generate-001", prompt="x")
        client.models.generate_content(model=pick(), contents="x", config=given)
        chat = client.chats.create(model=MODEL)
        chat.send_message("x")
        something.models.generate_content(model=MODEL)
    ''')
    kinds = [(c.kind, c.model, c.line) for c in out.calls]
    assert kinds[:4] == [("generate", "gemini-3.5-flash", 10), ("stream", "gemini-3.1-pro-preview", 11),
                         ("embed", "gemini-3.5-flash", 12), ("image", "imagen-4.0-generate-001", 13)]
    first = out.calls[0]
    assert first.output_cap and first.max_output_tokens == 512 and first.thinking
    assert first.thinking_level == "low" and first.modalities == ("TEXT", "IMAGE")
    assert first.tools == ("computer-use", "function-calling")
    assert first.model_span is not None and first.model_span.line == 4
    assert not out.calls[4].config_known and out.calls[4].model == ""
    assert [c.kind for c in out.calls[5:]] == ["chat", "chat", "generate"]


def test_no_gemini_calls_without_a_google_genai_import() -> None:
    out = facts('''
        from openai import OpenAI
        client = OpenAI()
        client.models.generate_content(model="gemini-3.5-flash")
        client.chats.create(model="x")
    ''')
    assert out.calls == []


def test_legacy_generative_model_calls() -> None:
    out = facts('''
        import google.generativeai as genai
        model = genai.GenerativeModel("gemini-2.5-flash", generation_config={"max_output_tokens": 99})
        model.generate_content("x")
        genai.GenerativeModel(model_name="gemini-2.5-pro").generate_content("y")
    ''')
    assert [(c.kind, c.model, c.max_output_tokens) for c in out.calls] == [
        ("legacy", "gemini-2.5-flash", 99), ("legacy", "gemini-2.5-pro", None)]


RETRIES = '''
    import asyncio
    import time

    import backoff
    import tenacity
    from google import genai
    from google.api_core import retry as api_retry
    from google.genai import errors
    from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential, wait_fixed

    client = genai.Client()

    def call(q):
        return client.models.generate_content(model=MODEL, contents=q)

    @retry(wait=wait_fixed(0.1))
    def everything(q):
        return call(q)

    @retry(stop=stop_after_attempt(3), wait=wait_exponential(min=1, max=30),
           retry=retry_if_exception_type(errors.ServerError))
    def server_only(q):
        return call(q)

    @backoff.on_exception(backoff.expo, errors.APIError, max_time=60)
    def api_errors(q):
        return call(q)

    @backoff.on_exception(backoff.expo, errors.APIError, max_tries=3, giveup=lambda e: e.code < 500)
    def with_giveup(q):
        return call(q)

    @api_retry.Retry(predicate=api_retry.if_exception_type(Exception), initial=0.25)
    def core(q):
        return call(q)

    @retry
    def not_gemini():
        return time.time()

    def loop(q):
        while True:
            try:
                return call(q)
            except Exception:
                time.sleep(0.2)

    def status_loop(q):
        for attempt in range(3):
            try:
                return call(q)
            except errors.APIError as e:
                if e.code not in (429, 503):
                    raise
                time.sleep(2 ** attempt)

    def per_item(items):
        for item in items:
            try:
                call(item)
            except Exception:
                continue

    async def tenacity_loop(q):
        async for attempt in tenacity.AsyncRetrying(stop=stop_after_attempt(3)):
            with attempt:
                await client.aio.models.generate_content(model=MODEL, contents=q)
'''


def test_retry_wrappers_around_gemini_calls() -> None:
    out = facts(RETRIES)
    found = {(w.kind, w.function or w.detail): w for w in out.retries}
    assert set(found) == {("tenacity", "everything"), ("tenacity", "server_only"), ("backoff", "api_errors"),
                          ("backoff", "with_giveup"), ("api_core", "core"), ("loop", "while loop"),
                          ("loop", "for loop"), ("tenacity", "AsyncRetrying")}
    everything = found[("tenacity", "everything")]
    assert (everything.catches, everything.bounded, everything.first_delay) == ("everything", False, 0.1)
    assert found[("tenacity", "server_only")].catches == "specific"
    assert found[("tenacity", "server_only")].first_delay == 1.0
    api_errors = found[("backoff", "api_errors")]
    assert (api_errors.catches, api_errors.bounded) == ("api-error", True)
    assert found[("backoff", "with_giveup")].catches == "status"
    core = found[("api_core", "core")]
    assert (core.catches, core.first_delay) == ("everything", 0.25)
    loop = found[("loop", "while loop")]
    assert (loop.forever, loop.bounded, loop.catches, loop.first_delay) == (True, False, "everything", 0.2)
    status = found[("loop", "for loop")]
    assert (status.catches, status.bounded, status.first_delay) == ("status", True, None)
    assert all(c.retried for c in out.calls)


def test_a_call_outside_any_wrapper_is_not_retried() -> None:
    out = facts('''
        from google import genai
        from tenacity import retry
        client = genai.Client()

        @retry
        def unrelated():
            return 1

        def ask(q):
            return client.models.generate_content(model=M, contents=q)
    ''')
    assert out.retries == [] and [c.retried for c in out.calls] == [False]


def test_notebook_cells_place_the_facts() -> None:
    import json

    cells = [{"cell_type": "code", "metadata": {}, "source": ["from google import genai\n"]},
             {"cell_type": "code", "metadata": {},
              "source": ["client = genai.Client(http_options={'timeout': 30})\n"]}]
    text = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)
    out = SourceFile("n.ipynb", "notebook")
    scan_notebook(text, Lines(text), out, True)
    (client,) = out.clients
    assert client.cell == 2 and client.http is not None and client.http.timeout_span is not None
    assert client.http.timeout_span.cell == 2



def test_signals_are_read_from_code_and_location_from_any_file() -> None:
    from preflight.scan.signals import observe

    assert observe("python", b"log(reply.usage_metadata)\nt = time.perf_counter()\n") == \
        frozenset({"usage", "latency"})
    assert observe("text", b"ENV GOOGLE_CLOUD_LOCATION=europe-west4\n") == frozenset({"location"})
    assert observe("text", b"usage_metadata perf_counter") == frozenset()  # not code


def test_aliased_names_and_loops_around_gemini_calls_however_written() -> None:
    out = facts('''
        from google.genai import Client as Make
        from google.api_core.retry import Retry as Again
        from tenacity import Retrying as Loop
        import time
        client = Make(vertexai=True)

        def call(q):
            return client.models.generate_content(model=M, contents=q)

        def first(q):
            return call(q)

        def wrapped(q):
            Again(first)
            Loop(first)

        def far(items):
            while items:
                log(items)
                try:
                    x = 1
                    return (
                        first(items)
                    )
                except Exception:
                    time.sleep(1)

        def not_this(items):
            while items:
                try:
                    def inner():
                        return call(items)
                    return inner
                except Exception:
                    time.sleep(1)
    ''')
    (made,) = out.clients
    assert (made.sdk, made.flag, made.line) == ("google-genai", "vertexai", 6)
    found = sorted((w.kind, w.function, w.detail, w.line) for w in out.retries)
    assert found == [("api_core", "first", "google.api_core.retry.Retry", 15),
                     ("loop", "", "while loop", 19), ("tenacity", "first", "Retrying", 16)]
    assert [c.retried for c in out.calls] == [True]
