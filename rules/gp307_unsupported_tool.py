"""Tool that the model, or the route, does not support.

## What it does
Flags an entry of a model slot's `tools` that the model does not support
according to the catalog (for example `computer-use` on a model without it),
and the same for the `migration_plan.fallback` model. Models whose tools the
catalog does not know are not checked. It also flags `file-search` in a slot
used by an environment on the Vertex route: the File Search tool exists only
on the Gemini Developer API.

In code: a tool in a Gemini call's `config.tools` (`types.Tool(computer_use=...)`,
`google_search`, `code_execution`, `file_search`, function declarations or
Python callables) that the catalog says the call's model does not support,
such as Computer Use on gemini-3.5-flash. A model whose tools the catalog
does not list is not judged.

## Why is this bad?
A request that declares a tool the model does not offer fails with 400
INVALID_ARGUMENT on every call, and a fallback without the tool breaks the
feature on the day you switch to it. Choose a model that has the tool, or drop
the tool.

## Example
```yaml
version: 1
app: demo
models:
  chat:
    id: gemini-2.5-flash-lite
    id_env: CHAT_MODEL
    tools: [function-calling, computer-use]
```

Use instead:
```yaml
version: 1
app: demo
models:
  chat:
    id: gemini-2.5-flash-lite
    id_env: CHAT_MODEL
    tools: [function-calling]
```

```python
from google import genai
from google.genai import types

client = genai.Client()
client.models.generate_content(
    model="gemini-3.5-flash", contents="Open the settings page",
    config=types.GenerateContentConfig(tools=[types.Tool(computer_use=types.ComputerUse())]))
```

Use instead:
```python
from google import genai
from google.genai import types

client = genai.Client()
client.models.generate_content(
    model="gemini-3.5-flash", contents="Find the settings page",
    config=types.GenerateContentConfig(tools=[types.Tool(google_search=types.GoogleSearch())]))
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.catalog import TOOLS
from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule

if TYPE_CHECKING:
    from preflight.scan.context import SourceContext

DEVELOPER_API_ONLY = frozenset({"file-search"})  # knowledge/gemini-facts.md, section 7


def check(ctx: ManifestContext) -> Iterator[Problem]:
    for use in ctx.slot_models():
        model = ctx.catalog.get(use.model_id) if use.model_id else None
        if model is None or model.tools is None:
            continue
        for index, tool in enumerate(use.config.tools):
            if tool in model.tools:
                continue
            known = ", ".join(sorted(model.tools)) or "none"
            yield Problem(
                f"{use.role} '{use.model_id}' of slot '{use.slot}' does not support tool {tool} "
                f"(it supports: {known})",
                path=("models", use.slot, "tools", index), subject=f"{use.slot}:{use.model_id}:{tool}",
                fix=f"remove {tool} or choose a {use.role} that supports it",
            )
    for name, slot in ctx.models():
        for index, tool in enumerate(slot.tools):
            path = ("models", name, "tools", index)
            if tool in DEVELOPER_API_ONLY:
                for env_name, env in ctx.environments():
                    if env.route == "vertex":
                        yield Problem(
                            f"tool {tool} of slot '{name}' is not available on the Vertex "
                            f"route (environment '{env_name}')",
                            path=path, env=env_name, subject=f"{name}:{tool}:{env_name}",
                            fix="use the Developer API route for this slot, or Vertex AI "
                            "RAG Engine / Vertex AI Search for retrieval",
                        )


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    for call in ctx.file.calls:
        model = ctx.catalog.get(call.model) if call.model and call.tools else None
        if model is None or model.tools is None:
            continue
        for tool in call.tools:
            if tool in TOOLS and tool not in model.tools:
                known = ", ".join(sorted(model.tools)) or "none"
                yield Problem(f"'{call.model}' does not support tool {tool} (it supports: {known})",
                              line=call.line, column=call.column, cell=call.cell,
                              subject=f"{call.model}:{tool}",
                              fix=f"remove {tool}, or call a model that supports it")


RULE = Rule(
    id="GP307",
    name="unsupported-tool",
    severity=Severity.ERROR,
    checklist="The model supports every configured tool (e.g. computer use)",
    doc=__doc__ or "",
    check_manifest=check,
    check_source=check_source,
)
