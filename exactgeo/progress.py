"""A tiny progress reporter for long runs: one line at a time on stderr, and only
once a run has lasted ``delay`` seconds (default 2 s), at most one line every
``interval`` seconds. Disabled reporters print nothing, so callers pass
``progress=False`` for machine-readable output (``--json``) or ``--quiet``.

The clock is injectable, so tests can make a run "slow" without waiting:

>>> import io
>>> t = [0.0]
>>> out = io.StringIO()
>>> p = Progress(label="demo", stream=out, clock=lambda: t[0])
>>> p.update("fast work")            # 0 s elapsed: silent
False
>>> t[0] = 3.0
>>> p.update(lambda: "slow work")    # messages may be callables (built only when printed)
True
>>> p.done("finished")
True
>>> out.getvalue().splitlines()
['demo: slow work [3.0 s]', 'demo: finished [3.0 s]']
>>> Progress(False).update("x"), Progress(False).done("x")
(False, False)
"""
from __future__ import annotations

import sys
import time
from typing import Callable, Optional, Union

__all__ = ["Progress", "as_progress"]

Message = Union[str, Callable[[], str]]


class Progress:
    """Reporter of progress lines ``"<label>: <message> [<elapsed> s]"``.

    ``enabled`` False → silent. ``delay`` seconds of silence before the first line;
    ``interval`` minimum seconds between lines (``done`` and ``update(force=True)``
    ignore it); ``stream`` default ``sys.stderr`` (looked up when printing);
    ``clock`` a monotonic clock in seconds (default ``time.monotonic``). ``elapsed``
    and ``clock`` are also the time base of the caller (e.g. column generation's
    ``max_seconds``), so one injected clock drives both.
    """

    def __init__(self, enabled: bool = True, *, label: str = "exactgeo", delay: float = 2.0,
                 interval: float = 2.0, stream=None, clock: Callable[[], float] = time.monotonic):
        self.enabled = bool(enabled)
        self.label = label
        self.delay = float(delay)
        self.interval = float(interval)
        self.stream = stream
        self.clock = clock
        self.t0 = clock()
        self._last: Optional[float] = None
        self.lines = 0

    @property
    def elapsed(self) -> float:
        return self.clock() - self.t0

    def _emit(self, msg: Message, now: float) -> bool:
        text = msg() if callable(msg) else str(msg)
        stream = self.stream if self.stream is not None else sys.stderr
        print(f"{self.label}: {text} [{now - self.t0:.1f} s]", file=stream, flush=True)
        self._last = now
        self.lines += 1
        return True

    def due(self) -> bool:
        """Would :meth:`update` print now?"""
        if not self.enabled:
            return False
        now = self.clock()
        if now - self.t0 < self.delay:
            return False
        return self._last is None or now - self._last >= self.interval

    def update(self, msg: Message, *, force: bool = False) -> bool:
        """Print ``msg`` if the run is past ``delay`` and the last line is older than
        ``interval`` (``force``: regardless of the interval). Returns whether it printed."""
        if not self.enabled:
            return False
        now = self.clock()
        if now - self.t0 < self.delay:
            return False
        if not force and self._last is not None and now - self._last < self.interval:
            return False
        return self._emit(msg, now)

    def done(self, msg: Message) -> bool:
        """Closing line: printed when anything was printed before or the run lasted
        at least ``delay`` seconds."""
        if not self.enabled:
            return False
        now = self.clock()
        if self.lines == 0 and now - self.t0 < self.delay:
            return False
        return self._emit(msg, now)


def as_progress(progress, *, label: str = "exactgeo") -> Progress:
    """``True``/``None`` → an enabled :class:`Progress` on stderr, ``False`` → a silent
    one, a :class:`Progress` → itself."""
    if isinstance(progress, Progress):
        return progress
    return Progress(progress is None or bool(progress), label=label)
