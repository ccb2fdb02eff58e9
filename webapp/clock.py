"""The injectable clock: services ask it for the time so tests can move time."""

from collections.abc import Callable
from datetime import UTC, datetime

from flask import current_app


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def now() -> datetime:
    """Return the app's notion of now (config CLOCK, a callable, defaults to the wall clock)."""
    clock: Callable[[], datetime] = current_app.config.get("CLOCK", utcnow)
    return clock()
