"""Keep the FRED API key out of logs, messages and files.

The key comes from the environment (``FRED_API_KEY``) only. :func:`redact` replaces it (and
any ``api_key=`` query value) in a text; :class:`RedactingFilter` applies that to every log
record of the ``plumbing`` logger tree, which :func:`install_log_redaction` sets up once.
"""

from __future__ import annotations

import logging
import os
import re

_API_KEY_PARAM = re.compile(r"(api_key=)[^&\s'\"]+", re.IGNORECASE)
MASK = "***"


def fred_api_key() -> str | None:
    """The FRED API key from the environment, or None."""
    key = os.environ.get("FRED_API_KEY", "").strip()
    return key or None


def redact(text: str, *secrets: str | None) -> str:
    """``text`` with every given secret, the environment's FRED key and ``api_key=`` values masked."""
    for secret in (*secrets, fred_api_key()):
        if secret:
            text = text.replace(secret, MASK)
    return _API_KEY_PARAM.sub(rf"\g<1>{MASK}", text)


class RedactingFilter(logging.Filter):
    """A logging filter that masks secrets in the formatted message of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_log_redaction(handler: logging.Handler) -> logging.Handler:
    """Attach :class:`RedactingFilter` to ``handler`` (idempotent) and return it.

    A filter on a handler sees every record that reaches it, from any logger.
    """
    if not any(isinstance(f, RedactingFilter) for f in handler.filters):
        handler.addFilter(RedactingFilter())
    return handler
