"""One reading of a URL that credentials may be sent to.

The host policy (where the probes may send a key or a token), GP604 (is an
``endpoint`` Google's) and the request itself must agree on the host. Two
parsers can disagree on odd input: ``https://127.0.0.1:8443\\@x.googleapis.com``
is ``x.googleapis.com`` for ``urllib.parse`` and ``127.0.0.1`` for urllib3, which
requests uses to connect. So an endpoint is accepted only when it is plain:

- printable ASCII, no white space, no backslash, no control character;
- no user information (``user:pass@``) and no ``%`` in the authority;
- a host made of letters, digits, dots and hyphens (or a bracketed IPv6 literal);
- ``urllib.parse.urlsplit`` and urllib3's ``parse_url`` (as requests calls it) give
  the same scheme, host and port.

:meth:`Url.geturl` rebuilds the URL from the checked parts: that string, and no
other, is what a probe sends a request to.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urlsplit

_HOST = r"^(?:[a-z0-9-]{1,63}\.)*[a-z0-9-]{1,63}\.?$"  # compiled on first use (re caches)
_IPV6 = r"^[0-9a-f:.]{2,45}$"


class UrlError(ValueError):
    """A URL that is refused, with the reason in words (no secret in it)."""


class Url(NamedTuple):
    scheme: str
    host: str  # lower case, no trailing dot, IPv6 without brackets
    port: int | None
    path: str
    query: str

    @property
    def origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}" + (f":{self.port}" if self.port is not None else "")

    def geturl(self) -> str:
        return self.origin + self.path + (f"?{self.query}" if self.query else "")


def parse(url: str) -> Url:
    """The scheme, host, port, path and query of ``url``, or :class:`UrlError`."""
    bad = _bad_character(url)
    if bad:
        raise UrlError(bad)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UrlError(f"it cannot be parsed ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.netloc:
        raise UrlError("it is not an absolute http(s) URL")
    if "@" in parts.netloc:
        raise UrlError("it has user information ('@') in its authority")
    if "%" in parts.netloc:
        raise UrlError("it has a '%' escape in its host")
    host = (parts.hostname or "").lower()
    if not (re.match(_HOST, host) or ("[" in parts.netloc and re.match(_IPV6, host))):
        raise UrlError("its host is not a plain host name or IP address")
    host = host.rstrip(".")
    other = _urllib3_view(url)
    if other != (scheme, host, port):
        raise UrlError("its host is read differently by different URL parsers")
    return Url(scheme, host, port, parts.path, parts.query)


def _bad_character(url: str) -> str | None:
    for char in url:
        if char == "\\":
            return "it has a backslash"
        if char.isspace():
            return "it has white space"
        if not " " < char < "\x7f":
            return "it has a control or non-ASCII character"
    return None


def _urllib3_view(url: str) -> tuple[str, str, int | None]:
    from urllib3.exceptions import LocationParseError
    from urllib3.util import parse_url

    try:
        parsed = parse_url(url)
    except LocationParseError:
        return ("", "", None)
    host = (parsed.host or "").lower().strip("[]").rstrip(".")
    return ((parsed.scheme or "").lower(), host, parsed.port)
