"""One fake Google on 127.0.0.1: OAuth token endpoint, GCE metadata server, Resource
Manager, Service Usage, the Gemini / Vertex ``countTokens`` endpoints, and the Gemini
API's models list (``GET /v1beta/models``, ``page_size`` models a page, opaque page tokens).

By default every project exists and is ACTIVE, every API is enabled and every model
is served. ``on("POST", "*/models/x:countTokens", 404, error=...)`` changes one answer
(``fnmatch`` patterns on the path; ``times=N`` answers N times, then the default).
Calls without a valid token or key get 401, as Google's do.
"""

from __future__ import annotations

import fnmatch
import json
import secrets
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PROJECT_NUMBER = "123456789012"
RUNNER = "genai-runner@acme-genai-prod.iam.gserviceaccount.com"


def google_error(http: int, status: str, message: str, reason: str = "",
                 metadata: dict[str, str] | None = None) -> dict[str, Any]:
    """Google's error shape, with an ErrorInfo when ``reason`` is given."""
    error: dict[str, Any] = {"code": http, "message": message, "status": status}
    if reason:
        error["details"] = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason,
                             "domain": "googleapis.com", "metadata": metadata or {}}]
    return {"error": error}


@dataclass
class Answer:
    status: int = 200
    body: Any = None
    delay: float = 0.0
    times: int | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    query: str = ""


@dataclass
class FakeGoogle:
    token: str = field(default_factory=lambda: "ya29.fake-" + secrets.token_urlsafe(24))
    answers: list[tuple[str, str, Answer]] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    valid_keys: set[str] | None = None  # None: any API key is accepted
    project_id: str = "acme-genai-prod"  # what metadata says
    tls: ssl.SSLContext | None = None  # serve https with this context (see keys.loopback_certificate)
    models: list[dict[str, Any]] = field(default_factory=list)  # what GET /v1beta/models lists
    page_size: int = 50

    def __post_init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        if self.tls is not None:
            self.server.socket = self.tls.wrap_socket(self.server.socket, server_side=True)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://127.0.0.1:{self.server.server_address[1]}"

    @property
    def netloc(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeGoogle:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def on(self, method: str, pattern: str, status: int = 200, body: Any = None, *,
           error: tuple[str, str] | tuple[str, str, str] | None = None,
           metadata: dict[str, str] | None = None, delay: float = 0.0,
           times: int | None = None, headers: dict[str, str] | None = None) -> None:
        """Answer ``method pattern`` with ``status``; ``error=(STATUS, message[, reason])``;
        ``headers`` are added to the answer (``Location`` for a redirect)."""
        if error is not None:
            body = google_error(status, error[0], error[1], error[2] if len(error) > 2 else "",
                                metadata)
        self.answers.insert(0, (method.upper(), pattern, Answer(status, body, delay, times,
                                                                    headers or {})))

    def calls(self, pattern: str = "*") -> list[Seen]:
        return [s for s in self.seen if fnmatch.fnmatch(f"{s.method} {s.path}", pattern)]

    def answer(self, method: str, path: str, headers: dict[str, str],
               query: str = "") -> tuple[int, Any, dict[str, str]]:
        for index, (m, pattern, answer) in enumerate(self.answers):
            if m == method and fnmatch.fnmatch(path, pattern):
                if answer.times is not None:
                    answer.times -= 1
                    if answer.times <= 0:
                        del self.answers[index]
                time.sleep(answer.delay)
                return answer.status, answer.body, answer.headers
        return self.default(method, path, headers, query)

    def default(self, method: str, path: str, headers: dict[str, str],
                query: str = "") -> tuple[int, Any, dict[str, str]]:
        flavor = {"Metadata-Flavor": "Google"}
        if path == "/token" and method == "POST":
            return 200, {"access_token": self.token, "expires_in": 3600, "token_type": "Bearer"}, {}
        if path == "/sts" and method == "POST":  # workload identity federation's token exchange
            return 200, {"access_token": self.token, "expires_in": 3600, "token_type": "Bearer",
                         "issued_token_type": "urn:ietf:params:oauth:token-type:access_token"}, {}
        if path == "/" or path.startswith("/computeMetadata/"):
            if headers.get("metadata-flavor") != "Google":
                return 403, "missing Metadata-Flavor header", {}
            return 200, self.metadata(path), flavor
        if not self.authorized(headers):
            return 401, google_error(401, "UNAUTHENTICATED", "Request had invalid authentication "
                                     "credentials. Expected OAuth 2 access token.",
                                     "ACCESS_TOKEN_TYPE_UNSUPPORTED"), {}
        parts = path.strip("/").split("/")
        if path.startswith("/v3/projects/") and method == "GET":
            return 200, {"name": f"projects/{PROJECT_NUMBER}", "projectId": parts[2], "state": 1}, {}
        if "/services/" in path and method == "GET":
            return 200, {"name": f"projects/{PROJECT_NUMBER}/services/{parts[-1]}",
                         "state": "ENABLED"}, {}
        if path.endswith(":countTokens") and method == "POST":
            return 200, {"totalTokens": 1}, {}
        if path in ("/v1beta/models", "/v1/models") and method == "GET":
            page = self.models_page(query)
            if page is None:
                return 400, google_error(400, "INVALID_ARGUMENT", "page token is not valid"), {}
            return 200, page, {}
        return 404, google_error(404, "NOT_FOUND", f"no fake for {method} {path}"), {}

    @staticmethod
    def page_token(start: int) -> str:
        """The token of the page that starts at model ``start`` (it needs URL escaping)."""
        return f"p/{start}+=="

    def models_page(self, query: str) -> dict[str, Any] | None:
        tokens = parse_qs(query).get("pageToken") or [self.page_token(0)]
        start = next((n for n in range(len(self.models) + 1) if self.page_token(n) == tokens[0]), None)
        if start is None:
            return None
        end = start + self.page_size
        page: dict[str, Any] = {"models": self.models[start:end]}
        if end < len(self.models):
            page["nextPageToken"] = self.page_token(end)
        return page

    def metadata(self, path: str) -> Any:
        if path.endswith("/project/project-id"):
            return self.project_id
        if path.endswith("/universe/universe-domain"):
            return "googleapis.com"
        if path.endswith("/token"):
            return {"access_token": self.token, "expires_in": 3600, "token_type": "Bearer"}
        if "/service-accounts/" in path:
            return {"email": RUNNER, "aliases": ["default"],
                    "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}
        return ""

    def authorized(self, headers: dict[str, str]) -> bool:
        key = headers.get("x-goog-api-key")
        if key is not None:
            return self.valid_keys is None or key in self.valid_keys
        auth = headers.get("authorization", "")
        bearer = auth.removeprefix("Bearer ")
        return bearer == self.token or bearer.startswith("eyJ")  # a self-signed JWT


def _handler(fake: FakeGoogle) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            parts = urlsplit(self.path)
            path = parts.path
            fake.seen.append(Seen(self.command, path, headers, body, parts.query))
            status, payload, extra = fake.answer(self.command, path, headers, parts.query)
            raw = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
            try:
                self.send_response(status)
                kind = "text/plain" if isinstance(payload, str) else "application/json"
                for name, value in {"Content-Type": kind, **extra}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)
            except OSError:  # the client gave up (a timeout test)
                pass

        do_GET = do_POST = _serve

    return Handler


def refused_url() -> str:
    """A loopback URL where nothing listens: connections are refused."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
