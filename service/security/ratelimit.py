"""Failed authentications per client address: after too many, the address waits.

In memory and per process (each uvicorn worker counts its own).  Only failures
count — a malformed ``Authorization`` header, an unknown, revoked or expired
token; a request without a token is not a guess and does not.  Once an address
has ``limit`` failures within ``window`` seconds, every request from it that
needs a token is refused (429, ``Retry-After``) until the oldest of those
failures is older than the window — without looking at the token, so a guess
made while blocked tells nothing.  A success neither counts nor clears the count.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

#: Defaults: 20 failures in 60 seconds.
LIMIT = 20
WINDOW = 60.0
#: Addresses remembered at most (the oldest are forgotten first).
MAX_ADDRESSES = 10_000


class FailureLimiter:
    def __init__(
        self,
        limit: int = LIMIT,
        window: float = WINDOW,
        *,
        max_addresses: int = MAX_ADDRESSES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.max_addresses = max_addresses
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, address: str) -> int | None:
        """Seconds until ``address`` may try again, or None when it is not blocked."""
        now = self.clock()
        with self._lock:
            times = self._failures.get(address)
            if times is None:
                return None
            self._expire(times, now)
            if not times:
                del self._failures[address]
                return None
            if len(times) < self.limit:
                return None
            return max(1, math.ceil(times[0] + self.window - now))

    def failed(self, address: str) -> int:
        """Count a failure; how many ``address`` has in the window now."""
        now = self.clock()
        with self._lock:
            times = self._failures.pop(address, None)
            if times is None:
                times = deque(maxlen=self.limit)
                if len(self._failures) >= self.max_addresses:
                    self._forget(now)
            self._expire(times, now)
            times.append(now)
            self._failures[address] = times  # re-inserted: most recently failed last
            return len(times)

    def _expire(self, times: deque[float], now: float) -> None:
        while times and times[0] <= now - self.window:
            times.popleft()

    def _forget(self, now: float) -> None:
        """Make room: drop addresses with no failure in the window, else the oldest."""
        for address in [
            a for a, t in self._failures.items() if not t or t[-1] <= now - self.window
        ]:
            del self._failures[address]
        while len(self._failures) >= self.max_addresses:
            del self._failures[next(iter(self._failures))]
