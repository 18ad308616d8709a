"""The one HTTP helper the live sources share.

``get()`` turns every way a request can fail into the source errors of
:mod:`plumbing.sources.base`:

- no connection, DNS failure, timeout, HTTP 5xx, HTTP 429 (rate limited): ``SourceUnavailable``
  (the publisher cannot serve us right now; trying later or using the snapshot is the answer);
- any other HTTP 4xx, or a request that cannot be built: ``SourceError`` (the request itself is
  wrong: unknown series, bad parameter).

Every message names the URL that failed, with any ``api_key`` query parameter replaced by
``***``. Exceptions are raised outside the ``except`` block that caught the underlying error, so
neither ``__cause__`` nor ``__context__`` carries the original (which may hold the key).
"""

from __future__ import annotations

import logging
import re
import socket
from typing import Any, Mapping

import requests

from plumbing.sources.base import SourceError, SourceUnavailable

log = logging.getLogger(__name__)

#: identifies the project to publishers; some (MOF, Treasury) refuse an empty User-Agent
USER_AGENT = "plumbing/0.1 (liquidity research; python-requests)"

_API_KEY_PATTERN = re.compile(r"(api_key=)[^&\s'\"<>]*", flags=re.IGNORECASE)
_BODY_SNIPPET_CHARS = 200


def redact(text: str, *secrets: str | None) -> str:
    """Return ``text`` with every ``api_key=...`` value and every given secret replaced by ``***``."""
    cleaned = _API_KEY_PATTERN.sub(r"\1***", text)
    for secret in secrets:
        if secret:
            cleaned = cleaned.replace(secret, "***")
    return cleaned


def describe_url(url: str, params: Mapping[str, Any] | None = None) -> str:
    """The full request URL (query included) with ``api_key`` redacted, for messages and logs."""
    try:
        prepared = requests.Request("GET", url, params=dict(params or {})).prepare()
        full = prepared.url or url
    except Exception:  # an unbuildable URL is reported by get(); here just show what we have
        full = url
    return redact(full)


def get(
    url: str,
    params: Mapping[str, Any] | None = None,
    *,
    session: requests.Session | None = None,
    timeout: float = 20,
) -> requests.Response:
    """GET ``url`` and return the response if its status is 2xx/3xx.

    Raises ``SourceUnavailable`` on connection errors, timeouts, HTTP 5xx and HTTP 429;
    ``SourceError`` on other HTTP 4xx and malformed requests. Messages never contain an API key.
    """
    shown = describe_url(url, params)
    secrets = _secrets(url, params)
    log.debug("GET %s", shown)
    requester = session if session is not None else requests
    failure: SourceError | None = None
    response: requests.Response | None = None
    try:
        response = requester.get(
            url, params=params, timeout=timeout, headers={"User-Agent": USER_AGENT}
        )
    except (requests.ConnectionError, requests.Timeout) as exc:
        failure = SourceUnavailable(
            f"could not reach {shown}: {type(exc).__name__}: {redact(str(exc), *secrets)}"
        )
    except requests.RequestException as exc:
        failure = SourceError(
            f"request to {shown} failed: {type(exc).__name__}: {redact(str(exc), *secrets)}"
        )
    if failure is not None:
        raise failure from None
    assert response is not None
    status = response.status_code
    if status >= 500 or status == 429:
        raise SourceUnavailable(
            f"{shown} answered HTTP {status} {response.reason or ''}".rstrip()
            + " (publisher unavailable or rate limiting; try again later)"
        )
    if status >= 400:
        snippet = redact(_body_snippet(response), *secrets)
        raise SourceError(
            f"{shown} answered HTTP {status} {response.reason or ''}".rstrip()
            + (f": {snippet}" if snippet else "")
        )
    return response


def _secrets(url: str, params: Mapping[str, Any] | None) -> tuple[str, ...]:
    """Values of ``api_key`` parameters (in ``params`` or in the URL's own query)."""
    found = [str(v) for k, v in (params or {}).items() if str(k).lower() == "api_key" and v]
    found += [m.group(0).split("=", 1)[1] for m in _API_KEY_PATTERN.finditer(url)]
    return tuple(secret for secret in found if secret)


def _body_snippet(response: requests.Response) -> str:
    try:
        text = response.text
    except Exception:
        return ""
    return " ".join(text.split())[:_BODY_SNIPPET_CHARS]


def reachable(host: str, port: int = 443, timeout: float = 3.0) -> bool:
    """True if a TCP connection to ``host:port`` opens within ``timeout`` seconds."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False
