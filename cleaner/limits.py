"""A wall-clock limit per document: trafilatura cannot be interrupted cooperatively, so
SIGALRM (``signal.setitimer``) interrupts it in the process that runs the document.

Signals only reach the main thread: elsewhere (a thread, a platform without SIGALRM) the
limit is not enforced and the document runs to its end.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from .decode import InputError

__all__ = ["DEFAULT_TIMEOUT", "TimeLimitExceeded", "can_limit", "time_limit"]

DEFAULT_TIMEOUT = 30.0


class TimeLimitExceeded(InputError):
    """A document took longer than its time limit; it is reported as failed."""


def can_limit() -> bool:
    """Whether a limit can be enforced here (main thread of a process with SIGALRM)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise TimeLimitExceeded in the body after ``seconds`` (None or <= 0: no limit).

    The previous SIGALRM handler and timer are restored on exit; where the limit cannot
    be enforced (see ``can_limit``) the body simply runs."""
    if not seconds or seconds <= 0 or not can_limit():
        yield
        return

    def _expired(signum, frame):  # noqa: ARG001 - signal handler signature
        raise TimeLimitExceeded(f"time limit of {seconds:g} s exceeded")

    previous = signal.signal(signal.SIGALRM, _expired)
    started = time.monotonic()
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # an enclosing timer was running: give it back what is left (at least a tick)
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001))
