"""A small support assistant that follows Google's production checklist."""

import logging
import os
import time

from google import genai
from google.genai import errors, types

log = logging.getLogger("assistant")

CHAT_MODEL = os.environ.get("CHAT_MODEL", "gemini-3.5-flash")

client = genai.Client(
    http_options=types.HttpOptions(
        timeout=120_000,
        retry_options=types.HttpRetryOptions(
            attempts=3, initial_delay=1.0, max_delay=30.0, exp_base=2.0,
            http_status_codes=[429, 500, 503, 504],
        ),
    ),
)


def answer(question: str) -> str:
    started = time.monotonic()
    try:
        response = client.models.generate_content(
            model=CHAT_MODEL,
            contents=question,
            config=types.GenerateContentConfig(
                max_output_tokens=2048,
                thinking_config=types.ThinkingConfig(thinking_level=types.ThinkingLevel.LOW),
            ),
        )
    except errors.APIError as exc:
        log.error("gemini call failed: %s %s", exc.code, exc.status)
        raise
    usage = response.usage_metadata
    log.info(
        "gemini latency_ms=%d prompt_tokens=%s output_tokens=%s",
        (time.monotonic() - started) * 1000,
        usage.prompt_token_count if usage else None,
        usage.candidates_token_count if usage else None,
    )
    return response.text or ""
