"""How fast is ``gemini-preflight audit`` on a realistic repository, and against semgrep?

Generates a synthetic repository in a temporary folder (thousands of Python
files; 1,200 TypeScript/TSX files; 600 Go files and 20 go.mod; 600 Java files, 20 pom.xml and
20 build.gradle(.kts); 300 notebooks as Jupyter writes them, dozens
of cells each, most cells unrelated to Gemini, a few with model IDs, legacy imports and keys made at
generation time; older notebooks with large base64 images; dependency files,
logs), then times, as whole processes on the same tree in the same run,
``gemini-preflight audit``, semgrep with equivalent local pattern rules
(written below) and detect-secrets: ``--runs`` rounds, each tool once per
round in turn (interleaved, so load on a shared machine hits all alike), after
one untimed run of gemini-preflight (it writes its bytecode, as an installed
tool has it, and brings the tree into the page cache for every tool), and
prints medians of wall time and of CPU time (user + sys of the process and
every process it waited for, from wait4: the steadier figure on a shared
machine), MiB/s, the ratios, and peak memory (the largest process from wait4,
and all of a tool's processes together, sampled from /proc). With
``--compare NAME=PYTHON`` the gemini-preflight of another interpreter (an
older version in its own venv) runs in the same rounds, and the findings of
both are compared by rule. The two references are installed into a virtual
environment of their own (``--tools-venv``, created on first use): semgrep
pins versions of opentelemetry that conflict with Google's client libraries
of the ``live`` extra, so they cannot share the tool's environment.

detect-secrets runs with the plugins that look for what gemini-preflight
reports as secrets, and no others: its PrivateKeyDetector (service-account
keys hold a PEM private key) and a regex plugin written below with the two key
shapes of preflight/data/keys.yaml (Google API keys, Gemini auth keys; it has
no plugin of its own for them). With every default plugin, the entropy plugins
alone did not finish one round in 17 minutes on this tree: that measures work
gemini-preflight does not do. Its default filters stay on. Every tool also has
a time limit (``--time-limit``, default 900 s): a run that reaches it is
stopped and reported as "> N s" (and the ratio as "> x"), never left out.

    python benchmarks/audit_speed.py [--scale 1.0] [--runs 3] [--keep DIR]
                                     [--tools-venv DIR] [--compare NAME=PYTHON]
                                     [--time-limit S] [--no-references] [--profile N]

``--profile N`` ends with the N functions that take the most time of their own in
one more run of gemini-preflight in a single process (``--jobs 1``, under cProfile):
where the time goes, for the figures of a change.

Targets on a 2-core machine: >= 150 MiB/s, >= 4x faster than semgrep, peak
memory < 200 MB at --scale 2 (about 300 MiB).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import shutil
import signal
import statistics
import string
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pace import pace  # beside this script

SEMGREP_RULES = """
rules:
  - id: legacy-sdk
    languages: [python]
    severity: ERROR
    message: legacy google-generativeai
    pattern-either:
      - pattern: import google.generativeai
      - pattern: import google.generativeai as $X
      - pattern: from google.generativeai import $X
      - pattern: from google import generativeai
  - id: legacy-vertex-sdk
    languages: [python]
    severity: WARNING
    message: legacy Vertex AI SDK
    pattern-either:
      - pattern: from vertexai.generative_models import $X
      - pattern: from vertexai.preview.generative_models import $X
      - pattern: from vertexai.language_models import $X
      - pattern: import vertexai.generative_models
      - pattern: from vertexai import generative_models
  - id: mixed-auth
    languages: [python]
    severity: WARNING
    message: Vertex express mode
    pattern: $M.Client(..., vertexai=True, ..., api_key=$K, ...)
  - id: hardcoded-model-id
    languages: [python]
    severity: WARNING
    message: hardcoded model id
    pattern-either:
      - pattern: $F(..., model="$ID", ...)
      - pattern: $F(..., model_name="$ID", ...)
      - pattern: GenerativeModel("$ID", ...)
  - id: legacy-sdk-js
    languages: [typescript]
    severity: ERROR
    message: legacy @google/generative-ai
    pattern-either:
      - pattern: import { $X } from "@google/generative-ai"
      - pattern: import $X from "@google/generative-ai"
      - pattern: require("@google/generative-ai")
  - id: hardcoded-model-id-js
    languages: [typescript]
    severity: WARNING
    message: hardcoded model id
    pattern-either:
      - pattern: '$C.models.generateContent({..., model: "$ID", ...})'
      - pattern: '$C.getGenerativeModel({..., model: "$ID", ...})'
  - id: legacy-dependency
    languages: [generic]
    severity: ERROR
    message: legacy dependency
    paths:
      include: ["requirements*.txt", "pyproject.toml", "setup.cfg", "Pipfile", "package.json", "go.mod",
                "pom.xml", "*.gradle", "*.gradle.kts"]
    pattern-regex: >-
      (?i)google-generativeai|@google/generative-ai|generative-ai-go|go/vertexai|google-cloud-vertexai
  - id: legacy-sdk-go
    languages: [go]
    severity: ERROR
    message: legacy Go SDK
    pattern-either:
      - pattern: import "github.com/google/generative-ai-go/genai"
      - pattern: import $X "github.com/google/generative-ai-go/genai"
      - pattern: import "cloud.google.com/go/vertexai/genai"
      - pattern: import $X "cloud.google.com/go/vertexai/genai"
  - id: hardcoded-model-id-go
    languages: [go]
    severity: WARNING
    message: hardcoded model id
    pattern-either:
      - pattern: '$C.Models.GenerateContent($CTX, "$ID", ...)'
      - pattern: '$C.Chats.Create($CTX, "$ID", ...)'
      - pattern: '$C.GenerativeModel("$ID")'
  - id: legacy-sdk-java
    languages: [java]
    severity: ERROR
    message: legacy Vertex AI SDK for Java
    pattern-either:
      - pattern: import com.google.cloud.vertexai.generativeai.$X;
      - pattern: import com.google.cloud.vertexai.generativeai.*;
  - id: hardcoded-model-id-java
    languages: [java]
    severity: WARNING
    message: hardcoded model id
    pattern-either:
      - pattern: '$C.models.generateContent("$ID", ...)'
      - pattern: '$C.chats.create("$ID", ...)'
      - pattern: 'new GenerativeModel("$ID", ...)'
  - id: hardcoded-api-key
    languages: [regex]
    severity: ERROR
    message: API key
    pattern-regex: (?<![0-9A-Za-z_-])(AIza[0-9A-Za-z_-]{35}|AQ\\.[A-Za-z0-9_-]{40,})(?![0-9A-Za-z_-])
  - id: service-account-key
    languages: [regex]
    severity: ERROR
    message: service account key
    pattern-regex: '"type"\\s*:\\s*"service_account"'
"""

# detect-secrets has no plugin for Google API keys or Gemini auth keys: this one holds the
# patterns of preflight/data/keys.yaml (read when the benchmark runs, so they never drift).
DETECT_SECRETS_PLUGIN = '''"""The key shapes gemini-preflight reports (preflight/data/keys.yaml)."""
import re

from detect_secrets.plugins.base import RegexBasedDetector


class GeminiKeyDetector(RegexBasedDetector):
    """Google API keys and Gemini auth keys."""

    secret_type = "Google API key or Gemini auth key"
    denylist = tuple(re.compile(p) for p in {patterns!r})
'''

PY_TEMPLATE = '''"""Module {n}: part of the synthetic service."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass
class Record{n}:
    name: str
    value: int = 0

    def describe(self) -> str:
        return f"{{self.name}}={{self.value}}"


def load_{n}(path: str) -> list[Record{n}]:
    with open(path, encoding="utf-8") as handle:
        rows = json.load(handle)
    return [Record{n}(**row) for row in rows if row.get("name")]


def total_{n}(records: list[Record{n}]) -> int:
    result = 0
    for record in records:
        if record.value > 0:
            result += record.value
        else:
            log.debug("skipping %s", record.describe())
    return result
'''

GENAI_SNIPPET = '''
from google import genai

client = genai.Client()
CHAT_MODEL = os.environ.get("CHAT_MODEL", "gemini-3.5-flash")


def ask_{n}(prompt: str) -> str:
    reply = client.models.generate_content(model="gemini-3.5-flash", contents=prompt)
    return reply.text or ""
'''

# Client configuration as production code writes it: HttpOptions with a timeout and retry
# options, a generation config, a tenacity wrapper, latency and token usage logged.
CLIENT_SNIPPET = '''
import time

from google import genai
from google.genai import errors, types
from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential

RETRY_{n} = types.HttpRetryOptions(attempts=3, initial_delay=1.0, http_status_codes=[429, 500, 503])
client_{n} = genai.Client(vertexai=True, project="acme-genai-prod", location="global",
                          http_options=types.HttpOptions(timeout=120_000, retry_options=RETRY_{n}))
CONFIG_{n} = types.GenerateContentConfig(
    max_output_tokens=1024, thinking_config=types.ThinkingConfig(thinking_level="low"))
CHAT_MODEL_{n} = os.environ.get("CHAT_MODEL", "gemini-3.5-flash")


@retry(stop=stop_after_attempt(3), wait=wait_exponential(min=1, max=30),
       retry=retry_if_exception_type(errors.ServerError))
def generate_{n}(prompt: str) -> str:
    started = time.perf_counter()
    reply = client_{n}.models.generate_content(model=CHAT_MODEL_{n}, contents=prompt, config=CONFIG_{n})
    log.info("latency %.3f s, usage %s", time.perf_counter() - started, reply.usage_metadata)
    return reply.text or ""
'''

LEGACY_SNIPPET = '''
import google.generativeai as legacy

legacy_model = legacy.GenerativeModel("gemini-1.5-flash")
'''


TS_TEMPLATE = """import {{ useEffect, useMemo, useState }} from "react";
import type {{ Item{n} }} from "../types";

// Items of group {n}, filtered as the user types.
export interface Props{n} {{
  items: Item{n}[];
  onSelect?: (id: string) => void;
}}

export function List{n}({{ items, onSelect }}: Props{n}) {{
  const [filter, setFilter] = useState("");
  const shown = useMemo(
    () => items.filter((item) => item.name.toLowerCase().includes(filter.toLowerCase())),
    [items, filter],
  );
  useEffect(() => {{
    document.title = `${{shown.length}} items`;
  }}, [shown.length]);
  return (
    <section className="list-{n}">
      <input value={{filter}} onChange={{(e) => setFilter(e.target.value)}} placeholder="Filter" />
      <ul>
        {{shown.map((item) => (
          <li key={{item.id}} onClick={{() => onSelect?.(item.id)}}>
            {{item.name}} <small>{{item.value.toFixed(2)}}</small>
          </li>
        ))}}
      </ul>
    </section>
  );
}}
"""
TS_UTIL = """export type Row{n} = {{ id: string; value: number; tags: string[] }};

export function total{n}(rows: Row{n}[]): number {{
  return rows.reduce((sum, row) => (row.value > 0 ? sum + row.value : sum), 0);
}}

export async function fetchRows{n}(url: string, signal?: AbortSignal): Promise<Row{n}[]> {{
  const response = await fetch(url, {{ signal, headers: {{ accept: "application/json" }} }});
  if (!response.ok) {{
    throw new Error(`request failed: ${{response.status}}`);
  }}
  return (await response.json()) as Row{n}[];
}}
"""
TS_GENAI = """
import {{ GoogleGenAI }} from "@google/genai";

const ai = new GoogleGenAI({{ apiKey: process.env.GEMINI_API_KEY, httpOptions: {{ timeout: 60_000 }} }});
const CHAT_MODEL = process.env.CHAT_MODEL ?? "gemini-3.5-flash";

export async function ask{n}(prompt: string): Promise<string> {{
  const reply = await ai.models.generateContent({{
    model: "gemini-3.5-flash",
    contents: prompt,
    config: {{ maxOutputTokens: 1024 }},
  }});
  return reply.text ?? "";
}}
"""
TS_LEGACY = """
import {{ GoogleGenerativeAI }} from "@google/generative-ai";

const legacy = new GoogleGenerativeAI(process.env.GEMINI_API_KEY ?? "");
export const legacyModel = legacy.getGenerativeModel({{ model: "gemini-1.5-flash" }});
"""

GO_TEMPLATE = """package handlers{g}

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync"
)

// Store{n} keeps the items of group {n} in memory.
type Store{n} struct {{
	mu    sync.RWMutex
	items map[string]Item{n}
}}

// Item{n} is one row of group {n}.
type Item{n} struct {{
	ID    string  `json:"id"`
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}}

var errMissing{n} = errors.New("item not found")

func (s *Store{n}) Get(id string) (Item{n}, error) {{
	s.mu.RLock()
	defer s.mu.RUnlock()
	item, ok := s.items[id]
	if !ok {{
		return Item{n}{{}}, errMissing{n}
	}}
	return item, nil
}}

func (s *Store{n}) ServeHTTP(w http.ResponseWriter, r *http.Request) {{
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || limit <= 0 {{
		limit = 50
	}}
	item, err := s.Get(r.URL.Query().Get("id"))
	if err != nil {{
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{{"item": item, "limit": limit}})
}}
"""
GO_GENAI = """
// Ask{n} answers through google.golang.org/genai (imported as genai in this package).
func Ask{n}(ctx context.Context, client *genai.Client, prompt string) (string, error) {{
	model := cmp.Or(os.Getenv("CHAT_MODEL"), "gemini-3.5-flash")
	reply, err := client.Models.GenerateContent(ctx, "gemini-3.5-flash", genai.Text(prompt), nil)
	if err != nil {{
		return "", err
	}}
	_ = model
	return reply.Text(), nil
}}
"""
GO_LEGACY = """
// Legacy{n} still calls the legacy SDK ("github.com/google/generative-ai-go/genai" as legacy).
func Legacy{n}(client *legacy.Client) *legacy.GenerativeModel {{
	return client.GenerativeModel("gemini-1.5-flash")
}}
"""

JAVA_TEMPLATE = """package com.example.orders{g};

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Keeps the orders of group {n} in memory. */
public final class OrderStore{n} {{
    private final Map<String, Order{n}> orders = new HashMap<>();

    /** One order of group {n}. */
    public record Order{n}(String id, String customer, double total) {{}}

    public Optional<Order{n}> find(String id) {{
        return Optional.ofNullable(orders.get(id));
    }}

    public List<Order{n}> above(double limit) {{
        List<Order{n}> found = new ArrayList<>();
        for (Order{n} order : orders.values()) {{
            if (order.total() > limit) {{
                found.add(order);
            }}
        }}
        found.sort((a, b) -> Double.compare(b.total(), a.total()));
        return found;
    }}

    public void put(Order{n} order) {{
        if (order.id() == null || order.id().isBlank()) {{
            throw new IllegalArgumentException("order without id in group {n}");
        }}
        orders.put(order.id(), order);
    }}
}}
"""
JAVA_GENAI = """
final class Assistant{n} {{
    static final String CHAT_MODEL = System.getenv().getOrDefault("CHAT_MODEL", "gemini-3.5-flash");

    static String ask(com.google.genai.Client client, String prompt) {{
        return client.models.generateContent("gemini-3.5-flash", prompt, null).text();
    }}
}}
"""
JAVA_LEGACY = """
final class LegacyAssistant{n} {{
    static GenerativeModel model(com.google.cloud.vertexai.VertexAI vertexAI) {{
        return new GenerativeModel("gemini-1.5-flash", vertexAI);
    }}
}}
"""
POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>orders{n}</artifactId>
  <version>1.0.{n}</version>
  <dependencies>
    <dependency>
      <groupId>com.google.genai</groupId>
      <artifactId>google-genai</artifactId>
      <version>1.28.0</version>
    </dependency>{legacy}
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <version>5.11.0</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
</project>
"""


DATA_CELLS = (
    "import numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\n"
    "import seaborn as sns\nfrom sklearn.model_selection import train_test_split\n",
    "df = pd.read_csv(\"data/train_{n}.csv\")\ndf.head()\n",
    "df = df.dropna(subset=[\"label\"])\ndf[\"length\"] = df[\"text\"].str.len()\n"
    "df.describe()\n",
    "fig, ax = plt.subplots(figsize=(8, 4))\nsns.histplot(df[\"length\"], bins=50, ax=ax)\n"
    "ax.set_title(\"Length of the texts\")\nplt.show()\n",
    "X_train, X_test, y_train, y_test = train_test_split(\n    df[\"text\"], df[\"label\"], "
    "test_size=0.2, random_state={n}\n)\nprint(len(X_train), len(X_test))\n",
    "def clean(text: str) -> str:\n    text = text.lower().strip()\n    for ch in \",.;:!?\":\n"
    "        text = text.replace(ch, \" \")\n    return \" \".join(text.split())\n\n"
    "df[\"clean\"] = df[\"text\"].map(clean)\n",
    "from collections import Counter\n\nwords = Counter()\nfor row in df[\"clean\"]:\n"
    "    words.update(row.split())\nwords.most_common(20)\n",
    "results = []\nfor depth in range(2, 12):\n    score = np.mean([depth * 0.01 * k for k in "
    "range(5)])\n    results.append({{\"depth\": depth, \"score\": score}})\n"
    "pd.DataFrame(results)\n",
)
GEMINI_CELLS = (
    "%pip install -q -U google-genai\n",
    "from google import genai\nfrom google.genai import types\n\n"
    "MODEL_ID = \"gemini-2.5-flash\"  # @param {{type: \"string\"}}\nclient = genai.Client()\n",
    "response = client.models.generate_content(\n    model=MODEL_ID,\n"
    "    contents=\"Summarise the table above\",\n"
    "    config=types.GenerateContentConfig(temperature=0.2),\n)\nprint(response.text)\n",
    "chat = client.chats.create(model=\"gemini-2.0-flash\")\n"
    "print(chat.send_message(\"Hello\").text)\n",
)
LEGACY_CELLS = (
    "!pip install -q google-generativeai\n",
    "import google.generativeai as genai\n\ngenai.configure(api_key={key})\n"
    "model = genai.GenerativeModel(\"gemini-1.5-flash\")\n",
    "from vertexai.generative_models import GenerativeModel\n\n"
    "vmodel = GenerativeModel(\"gemini-1.0-pro\")\n",
)


def notebook(rng: random.Random, n: int, kind: str, key: str) -> str:
    """One notebook as Jupyter writes it: dozens of cells, outputs, now and then a plot."""
    cells: list[dict[str, object]] = []
    extra = {"gemini": GEMINI_CELLS, "legacy": LEGACY_CELLS}.get(kind, ())
    count = rng.randint(20, 60)
    insert_at = rng.randint(3, count - 1) if extra else -1
    for index in range(count):
        if index == insert_at:
            for source in extra:
                text = source.format(n=n, key=json.dumps(key) if key else "os.environ[\"K\"]")
                cells.append(_cell(rng, text, index, plot=False))
        if rng.random() < 0.3:
            cells.append({"cell_type": "markdown", "metadata": {}, "source": _lines(
                f"## Step {index}\n\nWe look at the data again, this time by group {n % 7}.\n")})
            continue
        source = rng.choice(DATA_CELLS).format(n=n)
        cells.append(_cell(rng, source, index, plot=rng.random() < 0.08))
    nb = {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3",
                                                      "language": "python", "name": "python3"},
                                       "language_info": {"name": "python", "version": "3.11.9"}},
          "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _cell(rng: random.Random, source: str, index: int, plot: bool) -> dict[str, object]:
    outputs: list[dict[str, object]] = []
    if rng.random() < 0.6:
        rows = [f"{i}\t{rng.random():.6f}\t{rng.randint(0, 9999)}\tgroup-{i % 5}\n"
                for i in range(rng.randint(3, 40))]
        outputs.append({"name": "stdout", "output_type": "stream", "text": rows})
    if rng.random() < 0.25:
        table = "".join(f"<tr><td>{i}</td><td>{rng.random():.4f}</td></tr>\n" for i in range(30))
        outputs.append({"data": {"text/html": _lines(f"<table>\n{table}</table>\n"),
                                 "text/plain": [f"<DataFrame {index}>"]},
                        "execution_count": index, "metadata": {}, "output_type": "execute_result"})
    if plot:
        image = base64.b64encode(rng.randbytes(rng.randint(20_000, 120_000))).decode()
        outputs.append({"data": {"image/png": image, "text/plain": ["<Figure size 800x400>"]},
                        "metadata": {"image/png": {"height": 400, "width": 800}},
                        "output_type": "display_data"})
    return {"cell_type": "code", "execution_count": index, "id": f"c{index:04d}{rng.randrange(10**6)}",
            "metadata": {}, "outputs": outputs, "source": _lines(source)}


def generate(root: Path, scale: float, seed: int = 7) -> int:
    """Write the synthetic repository; returns its size in bytes."""
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits

    def key() -> str:
        return "AIza" + "".join(rng.choice(alphabet) for _ in range(35))

    for n in range(int(3000 * scale)):
        folder = root / "src" / f"pkg{n % 40}"
        folder.mkdir(parents=True, exist_ok=True)
        body = PY_TEMPLATE.format(n=n) * rng.randint(1, 4)
        if n % 25 == 0:
            body += GENAI_SNIPPET.format(n=n)
        if n % 25 == 5:
            body += CLIENT_SNIPPET.format(n=n)
        if n % 300 == 0:
            body += LEGACY_SNIPPET
        (folder / f"module_{n}.py").write_text(body, encoding="utf-8")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    for n in range(int(60 * scale)):
        image = base64.b64encode(rng.randbytes(rng.randint(200_000, 900_000))).decode()
        cells = [
            {"cell_type": "markdown", "metadata": {}, "source": [f"# Analysis {n}\n"]},
            {"cell_type": "code", "execution_count": 1, "metadata": {},
             "source": ["%pip install -q google-genai\n", "from google import genai\n",
                        "MODEL_ID = \"gemini-3.5-flash\"  # @param\n"],
             "outputs": [{"output_type": "display_data", "metadata": {},
                          "data": {"image/png": image, "text/plain": ["<Figure>"]}}]},
        ]
        nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        (notebooks / f"analysis_{n}.ipynb").write_text(json.dumps(nb, indent=1), encoding="utf-8")
    for n in range(int(300 * scale)):
        kind = "gemini" if n % 10 == 3 else "legacy" if n % 33 == 5 else "plain"
        folder = root / "research" / f"topic{n % 12}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"study_{n}.ipynb").write_text(
            notebook(rng, n, kind, key() if n % 66 == 5 else ""), encoding="utf-8")
    for n in range(int(1200 * scale)):
        folder = root / "web" / "src" / f"feature{n % 30}"
        folder.mkdir(parents=True, exist_ok=True)
        if n % 2:
            name, body = f"list{n}.tsx", TS_TEMPLATE.format(n=n)
        else:
            name, body = f"rows{n}.ts", TS_UTIL.format(n=n) * rng.randint(1, 3)
        if n % 20 == 0:
            body += TS_GENAI.format(n=n)
        if n % 150 == 0:
            body += TS_LEGACY.format(n=n)
        (folder / name).write_text(body, encoding="utf-8")
    go_files(root, rng, scale)
    java_files(root, rng, scale)
    logs = root / "logs"
    logs.mkdir()
    line = "2026-11-01T10:00:00Z INFO request handled status=200 latency_ms=123 tokens=456 path=/v1/chat\n"
    for n in range(int(30 * scale)):
        text = line * 12_000
        if n % 10 == 0:
            text += f"2026-11-01T10:00:01Z DEBUG using key {key()}\n"
        (logs / f"app-{n}.log").write_text(text, encoding="utf-8")
    for n in range(int(40 * scale)):
        folder = root / "services" / f"svc{n}"
        folder.mkdir(parents=True)
        (folder / "requirements.txt").write_text("requests>=2\ngoogle-genai>=1.60\npydantic>=2\n")
        (folder / "pyproject.toml").write_text(f'[project]\nname = "svc{n}"\ndependencies = ["click"]\n')
        (folder / "package.json").write_text('{"dependencies": {"@google/genai": "^1.30.0"}}\n')
        (folder / ".env").write_text("GEMINI_API_KEY=\nLOG_LEVEL=info\n")
    (root / "config.js").write_text(f"const key = process.env.GEMINI_API_KEY || '{key()}';\n")
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def go_files(root: Path, rng: random.Random, scale: float) -> None:
    """600 Go files (one in 20 calls google.golang.org/genai, one in 150 the legacy SDK)
    and a go.mod for each of 20 services (two of them still requiring the legacy modules)."""
    for n in range(int(600 * scale)):
        folder = root / "go" / f"svc{n % 20}" / "handlers"
        folder.mkdir(parents=True, exist_ok=True)
        body = GO_TEMPLATE.format(n=n, g=n % 20) + "".join(  # more types after the imports
            GO_TEMPLATE.format(n=f"{n}_{k}", g=n % 20).split(")\n", 1)[1] for k in range(rng.randint(0, 2)))
        if n % 20 == 0:
            body = body.replace('import (\n', 'import (\n\t"cmp"\n\t"context"\n\t"os"\n\n'
                                '\t"google.golang.org/genai"\n', 1) + GO_GENAI.format(n=n)
        if n % 150 == 0:
            legacy = '\tlegacy "github.com/google/generative-ai-go/genai"\n'
            body = body.replace("import (\n", "import (\n" + legacy, 1) + GO_LEGACY.format(n=n)
        (folder / f"store{n}.go").write_text(body, encoding="utf-8")
    for n in range(int(20 * scale)):
        old = "require github.com/google/generative-ai-go v0.20.1\n" if n % 10 == 0 else ""
        (root / "go" / f"svc{n}").mkdir(parents=True, exist_ok=True)
        (root / "go" / f"svc{n}" / "go.mod").write_text(
            f"module example.com/svc{n}\n\ngo 1.23\n\nrequire (\n\tgoogle.golang.org/genai v1.30.0\n"
            f"\tgolang.org/x/sync v0.10.0 // indirect\n)\n{old}", encoding="utf-8")


def java_files(root: Path, rng: random.Random, scale: float) -> None:
    """600 Java files (one in 20 calls google-genai, one in 150 the legacy Vertex AI SDK) and,
    for each of 20 services, a pom.xml and a build.gradle or build.gradle.kts (two of each
    still on com.google.cloud:google-cloud-vertexai)."""
    for n in range(int(600 * scale)):
        folder = root / "java" / f"svc{n % 20}" / "src" / "main" / "java" / "com" / "example"
        folder.mkdir(parents=True, exist_ok=True)
        body = JAVA_TEMPLATE.format(n=n, g=n % 20) + "".join(  # more classes after the imports
            JAVA_TEMPLATE.format(n=f"{n}_{k}", g=n % 20).split("\n\n", 2)[2].replace("public ", "", 1)
            for k in range(rng.randint(0, 2)))
        if n % 20 == 0:
            body += JAVA_GENAI.format(n=n)
        if n % 150 == 0:
            body = body.replace("import java.util.ArrayList;", "import com.google.cloud.vertexai."
                                "generativeai.GenerativeModel;\nimport java.util.ArrayList;", 1)
            body += JAVA_LEGACY.format(n=n)
        (folder / f"OrderStore{n}.java").write_text(body, encoding="utf-8")
    for n in range(int(20 * scale)):
        service = root / "java" / f"svc{n}"
        service.mkdir(parents=True, exist_ok=True)
        old = n % 10 == 0
        legacy = ("\n    <dependency>\n      <groupId>com.google.cloud</groupId>\n      <artifactId>"
                  "google-cloud-vertexai</artifactId>\n      <version>1.2.0</version>\n    </dependency>")
        (service / "pom.xml").write_text(POM.format(n=n, legacy=legacy if old else ""), encoding="utf-8")
        kotlin = n % 2 == 1
        lines = ["com.google.genai:google-genai:1.28.0"] + (["com.google.cloud:google-cloud-vertexai:1.2.0"]
                                                            if old else [])
        declared = "".join(f'    implementation("{c}")\n' if kotlin else f"    implementation '{c}'\n"
                           for c in lines)
        (service / ("build.gradle.kts" if kotlin else "build.gradle")).write_text(
            ("plugins { java }\n" if kotlin else "plugins { id 'java' }\n")
            + "\ndependencies {\n" + declared + "}\n", encoding="utf-8")


def tools(where: Path) -> Path:
    """A virtual environment with semgrep and detect-secrets (made on first use)."""
    if not (where / "bin" / "semgrep").exists():
        subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
        subprocess.run([str(where / "bin" / "pip"), "install", "-q", "semgrep>=1.90",
                        "detect-secrets>=1.5"], check=True, stderr=subprocess.DEVNULL)
    return where / "bin"


@dataclass
class Tool:
    """One command timed in every round; failed runs are reported, never timed."""

    name: str
    command: list[str]
    ok: tuple[int, ...] = (0, 1)
    output: Path | None = None
    env: dict[str, str] | None = None
    stdout: Path | None = None  # where its standard output goes (a report written there)
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # seconds, user + sys of all its processes
    peak_process: list[int] = field(default_factory=list)  # bytes, largest single process
    peak_tree: list[int] = field(default_factory=list)  # bytes, all its processes together
    over: float = 0.0  # the time limit, when a run reached it (then it is not timed again)
    failed: str = ""

    def run(self, limit: float) -> None:
        if self.failed or self.over:
            return
        if self.output is not None and self.output.exists():
            self.output.unlink()
        try:
            took, status, cpu, largest, together = _run(self.command, self.env, limit, self.stdout)
        except OSError as exc:
            self.failed = str(exc)
            return
        if status is None:
            self.over = limit
            return
        if status not in self.ok or (self.output is not None and not self.output.is_file()):
            self.failed = f"exited {status}"
            return
        self.times.append(took)
        self.cpu.append(cpu)
        self.peak_process.append(largest)
        self.peak_tree.append(together)

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else self.over

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu) if self.cpu else self.over


def _run(command: list[str], env: dict[str, str] | None, limit: float,
         stdout: Path | None = None) -> tuple[float, int | None, float, int, int]:
    """Wall time, exit status (None: stopped at ``limit`` seconds), CPU time (user + sys of
    the process and the processes it waited for), peak RSS of its largest process (wait4)
    and of all its processes together (sampled from /proc every 10 ms)."""
    sink = open(stdout, "wb") if stdout is not None else subprocess.DEVNULL  # noqa: SIM115
    started = time.perf_counter()
    # from a folder of its own: `python -m preflight` run from a checkout would import the
    # checkout's code instead of the version installed in that interpreter's environment
    try:
        child = subprocess.Popen(command, stdout=sink, stderr=subprocess.DEVNULL, env=env,
                                 cwd=tempfile.gettempdir(), start_new_session=True)
    finally:
        if stdout is not None:
            sink.close()  # type: ignore[union-attr]
    together = 0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - started > limit:
            os.killpg(child.pid, signal.SIGKILL)
            os.wait4(child.pid, 0)
            return limit, None, 0.0, 0, 0
        together = max(together, _tree_rss(child.pid))
        time.sleep(0.01)
    took = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    largest = usage.ru_maxrss * 1024
    return took, child.returncode, usage.ru_utime + usage.ru_stime, largest, max(together, largest)


def _tree_rss(pid: int) -> int:
    """The resident memory of ``pid`` and its descendants (Linux /proc), in bytes."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm", encoding="ascii") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as handle:
                todo.extend(int(c) for c in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


def _findings(report: Path) -> Counter[str]:
    data = json.loads(report.read_text(encoding="utf-8"))
    return Counter(f["rule_id"] for f in data.get("findings", []))


def _detect_secrets(bin_dir: Path, work: Path, env: dict[str, str], repo: Path) -> list[str]:
    """detect-secrets with the key plugins only (see the module's docstring)."""
    from preflight.scan.secrets import config

    plugin = work / "gemini_keys_plugin.py"
    patterns = [p.pattern for _, p in config().patterns]
    plugin.write_text(DETECT_SECRETS_PLUGIN.format(patterns=patterns), encoding="utf-8")
    listed = subprocess.run([str(bin_dir / "detect-secrets"), "scan", "--list-all-plugins"],
                            capture_output=True, text=True, env=env, check=True).stdout.split()
    command = [str(bin_dir / "detect-secrets"), "scan", "--all-files", "--plugin", str(plugin)]
    for name in listed:
        if name not in ("PrivateKeyDetector", "GeminiKeyDetector"):
            command += ["--disable-plugin", name]
    return [*command, str(repo)]


def _notebooks(repo: Path) -> str:
    """How many notebooks and code cells the tree has, and how many cells name Gemini."""
    books = cells = gemini = 0
    for path in repo.rglob("*.ipynb"):
        books += 1
        for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", []):
            if cell.get("cell_type") == "code":
                cells += 1
                gemini += any(w in "".join(cell.get("source", [])) for w in ("genai", "gemini-", "vertexai"))
    return f"{books} notebooks, {cells} code cells ({gemini} of them about Gemini)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="size of the synthetic repository")
    parser.add_argument("--runs", type=int, default=3, help="rounds (median is reported)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--tools-venv", type=Path,
                        default=Path(tempfile.gettempdir()) / "gemini-preflight-bench-tools",
                        help="virtual environment for semgrep and detect-secrets")
    parser.add_argument("--compare", action="append", default=[], metavar="NAME=PYTHON",
                        help="also time the gemini-preflight of another interpreter (e.g. a venv "
                             "with an older version), in the same rounds; repeatable")
    parser.add_argument("--no-references", action="store_true", help="skip semgrep and detect-secrets")
    parser.add_argument("--time-limit", type=float, default=900.0, metavar="S",
                        help="stop a run after S seconds and report it as '> S s' (default 900)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="then print the top N entries of a profile of one single-process run")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="audit-bench-"))
    repo = work / "repo"
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    size = generate(repo, args.scale)
    files = sum(1 for p in repo.rglob("*") if p.is_file())
    mib = size / (1024 * 1024)
    print(f"synthetic repository: {files} files, {mib:.1f} MiB ({repo}); {_notebooks(repo)}")

    # As installed tools run: from compiled bytecode (PYTHONDONTWRITEBYTECODE would make every
    # run compile every module again), after one untimed run that writes it and reads the tree
    # into the page cache for every tool alike.
    installed = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def ours(name: str, python: str) -> Tool:
        report = work / f"{name}.json"
        tool = Tool(name, [python, "-m", "preflight", "audit", str(repo), "--format", "json",
                           "-o", str(report), "--today", "2026-11-24"], output=report, env=installed)
        _run(tool.command, tool.env, args.time_limit)
        return tool

    tools_run = [ours("gemini-preflight", sys.executable)]
    tools_run += [ours(f"gemini-preflight ({name})", python)
                  for name, python in (c.split("=", 1) for c in args.compare)]
    if not args.no_references:
        bin_dir = tools(args.tools_venv)
        rules = work / "semgrep-rules.yaml"
        rules.write_text(SEMGREP_RULES, encoding="utf-8")
        # semgrep's launcher finds its Python half (pysemgrep) on PATH: put the venv first
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
        tools_run.append(Tool("semgrep (same rules, local)", [
            str(bin_dir / "semgrep"), "scan", "--config", str(rules), "--metrics=off",
            "--disable-version-check", "--no-git-ignore", "--max-target-bytes", str(32 << 20),
            "--jobs", "2", "--json", "-o", str(work / "semgrep.json"), "--quiet", str(repo)],
            ok=(0,), output=work / "semgrep.json", env=env))
        tools_run.append(Tool("detect-secrets (key plugins)", _detect_secrets(bin_dir, work, env, repo),
                              ok=(0,), env=env, stdout=work / "detect-secrets.json",
                              output=work / "detect-secrets.json"))
    load, started = os.getloadavg(), pace()
    for round_ in range(args.runs):  # interleaved: every tool once per round, in turn
        for tool in tools_run[round_ % len(tools_run):] + tools_run[:round_ % len(tools_run)]:
            tool.run(args.time_limit)
    print(f"{args.runs} rounds, interleaved, medians; load average (1/5/15 min) at the start: "
          f"{load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}, at the end: {os.getloadavg()[0]:.1f}, "
          f"on {os.cpu_count()} cores; pace of one core (benchmarks/pace.py, lower is faster): "
          f"{started:.0f} ms at the start, {pace():.0f} ms at the end")
    base = tools_run[0]
    if base.failed or not base.times:
        raise SystemExit(f"gemini-preflight audit failed: {base.failed or 'over the time limit'}")
    for tool in tools_run:
        if tool.failed:
            print(f"  {tool.name}: failed ({tool.failed}), not timed")
            continue
        if not tool.times:
            print(f"  {tool.name:34s} > {tool.over:.0f} s (stopped at the time limit)  -> "
                  f"gemini-preflight is > {tool.over / base.median:.0f}x faster")
            continue
        ratio = "" if tool is base else (
            f"  -> gemini-preflight is {tool.median / base.median:.1f}x faster "
            f"({tool.median_cpu / base.median_cpu:.1f}x less CPU)")
        print(f"  {tool.name:34s} {tool.median:7.2f} s  {mib / tool.median:7.1f} MiB/s  "
              f"CPU {tool.median_cpu:7.2f} s  peak memory {max(tool.peak_tree) / 2**20:5.0f} MiB "
              f"(all its processes; largest process {max(tool.peak_process) / 2**20:.0f} MiB)  runs: "
              + ", ".join(f"{t:.2f}" for t in tool.times) + ratio)
    found = _findings(base.output) if base.output else Counter()
    print(f"findings of gemini-preflight: {sum(found.values())} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(found.items()))})")
    for tool in tools_run[1:1 + len(args.compare)]:
        if tool.output is not None and tool.output.is_file():
            other = _findings(tool.output)
            lost = other - found
            print(f"findings of {tool.name}: {sum(other.values())}; "
                  + (f"LOST by this version: {dict(lost)}" if lost else "none lost by this version"))
    semgrep = work / "semgrep.json"
    if semgrep.is_file():
        print(f"semgrep results: {len(json.loads(semgrep.read_text()).get('results', []))}")
    secrets = work / "detect-secrets.json"
    if secrets.is_file() and secrets.stat().st_size:
        results = json.loads(secrets.read_text()).get("results", {})
        kinds = Counter(r["type"] for found in results.values() for r in found)
        print(f"detect-secrets results: {sum(kinds.values())} ({dict(kinds)})")
    if args.profile:
        profile(repo, work, args.profile)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


PROFILED = """
import cProfile, sys
from preflight import cli
profiler = cProfile.Profile()
profiler.enable()
try:
    cli.cli.main(sys.argv[2:], prog_name="gemini-preflight", standalone_mode=False)
except SystemExit:
    pass
profiler.disable()
profiler.dump_stats(sys.argv[1])
"""


def profile(repo: Path, work: Path, top: int) -> None:
    """One single-process audit under cProfile; the ``top`` entries by their own time."""
    import pstats

    stats = work / "audit.prof"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", PROFILED, str(stats), "audit", str(repo), "--jobs", "1",
                    "--format", "json", "-o", str(work / "profiled.json"), "--today", "2026-11-24"],
                   check=True, env=env, cwd=tempfile.gettempdir())  # the installed code, as _run
    print(f"profile of one run with --jobs 1 (cProfile; its overhead inflates the times), "
          f"top {top} by own time:")
    pstats.Stats(str(stats), stream=sys.stdout).sort_stats("tottime").print_stats(top)


if __name__ == "__main__":
    main()
