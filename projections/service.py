"""Running the views: one supervised runner per view, and read-your-writes waits.

In the service process (``worker=False``) a view whose lock another process
holds (a ``minutebook projections run`` worker) is left to it, and waits for
that view poll its tracking record.  As a worker (``worker=True``) a view
locked elsewhere is refused with :class:`~projections.locks.ViewLockedError`.

A runner that fails is restarted with back-off (logged); a runner whose view
was swapped by a rebuild restarts at once on the new generation.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import structlog

from projections import status as view_status
from projections.catalogue import ViewSpec, create_views, specs
from projections.env import (
    APPLICATION_NAME,
    LogReader,
    dialect,
    follower_env,
    open_datastore,
)
from projections.locks import ViewLockedError, ViewLocks
from projections.runner import ViewRunner
from projections.view import ViewSwappedError
from service.store.url import StoreConfig

log = structlog.get_logger("minutebook.projections")
_running: dict[str, ProjectionService] = {}


def running_service(store: StoreConfig) -> ProjectionService | None:
    """The service running this store's views in this process, if any."""
    return _running.get(store.display)


class ProjectionService:
    def __init__(
        self,
        store: StoreConfig,
        *,
        worker: bool = False,
        names: Sequence[str] | None = None,
        restart_delay: float = 1.0,
    ) -> None:
        self.store = store
        self.worker = worker
        self.specs = specs(names)
        self.restart_delay = restart_delay
        self.env = follower_env(store, create_log=False)
        self.errors: dict[str, str] = {}
        self.local: list[str] = []
        self.elsewhere: list[str] = []
        self._positions: dict[str, int] = {}
        self._cond = threading.Condition()
        self._stopping = threading.Event()
        self._runners: dict[str, ViewRunner] = {}
        self._threads: list[threading.Thread] = []
        self._locks = ViewLocks(store)

    def start(self) -> None:
        LogReader(env=follower_env(self.store)).close()  # the log's tables, created once
        datastore = open_datastore(self.store, pool_size=1)
        try:
            create_views(self.store.kind, datastore, [s.name for s in self.specs])
        finally:
            datastore.close()
        for spec in self.specs:
            try:
                self._locks.acquire(spec.name)
            except ViewLockedError as e:
                if self.worker:
                    self._locks.release_all()
                    raise
                log.warning("projection_followed_elsewhere", view=spec.name, detail=str(e))
                self.elsewhere.append(spec.name)
                continue
            self.local.append(spec.name)
            thread = threading.Thread(
                target=self._supervise, args=(spec,), name=f"projection-{spec.name}", daemon=True
            )
            self._threads.append(thread)
        for thread in self._threads:
            thread.start()
        _running[self.store.display] = self

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        for runner in list(self._runners.values()):
            runner.stop()
        for thread in self._threads:
            thread.join(timeout)
        self._locks.release_all()
        if _running.get(self.store.display) is self:
            del _running[self.store.display]

    def __enter__(self) -> ProjectionService:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # Read-your-writes -------------------------------------------------------------------

    def positions(self) -> dict[str, int]:
        with self._cond:
            return dict(self._positions)

    def wait_for(self, position: int | None, timeout: float = 5.0) -> bool:
        """True once every view includes ``position`` (False after ``timeout`` seconds)."""
        if position is None:
            return True
        deadline = time.monotonic() + timeout
        with self._cond:
            while not all(self._positions.get(n, 0) >= position for n in self.local):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stopping.is_set():
                    return False
                self._cond.wait(remaining)
        return not self.elsewhere or poll_until(self.store, self.elsewhere, position, deadline)

    def _committed(self, name: str, position: int) -> None:
        with self._cond:
            if position > self._positions.get(name, 0):
                self._positions[name] = position
                self._cond.notify_all()

    # Supervision --------------------------------------------------------------------------

    def _supervise(self, spec: ViewSpec) -> None:
        delay = self.restart_delay
        while not self._stopping.is_set():
            try:
                self._run(spec)
                delay = self.restart_delay
            except ViewSwappedError as e:
                log.info("projection_swapped", view=spec.name, detail=str(e))
            except Exception as e:
                if self._stopping.is_set():
                    break
                self.errors[spec.name] = f"{type(e).__name__}: {e}"
                log.error("projection_failed", view=spec.name, error=self.errors[spec.name])
                self._stopping.wait(delay)
                delay = min(delay * 2, 60.0)

    def _run(self, spec: ViewSpec) -> None:
        with ViewRunner(
            projection_class=spec.projection,
            view_class=spec.view_class(self.store.kind),
            env=self.env,
            on_commit=self._committed,
        ) as runner:
            self._runners[spec.name] = runner
            try:
                self._committed(spec.name, runner.view.max_tracking_id(APPLICATION_NAME) or 0)
                if not self._stopping.is_set():
                    runner.run_forever()
            except ViewSwappedError:
                raise
            except Exception as e:
                if _swapped(runner):  # e.g. its tables were dropped after a rebuild's swap
                    raise ViewSwappedError(f"view {spec.name!r} was rebuilt: {e}") from e
                raise
            finally:
                self._runners.pop(spec.name, None)


def _swapped(runner: ViewRunner) -> bool:
    try:
        return runner.view.live_generation() != runner.view.generation
    except Exception:
        return False


def poll_until(store: StoreConfig, names: Sequence[str], position: int, deadline: float) -> bool:
    datastore = open_datastore(store, pool_size=1)
    try:
        return view_status.wait_positions(datastore, dialect(store), names, position, deadline)
    finally:
        datastore.close()
