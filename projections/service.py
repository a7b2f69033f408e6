"""Running the views: one supervised runner per view, and read-your-writes waits.

In the service process (``worker=False``) a view whose lock another process
holds (a ``minutebook projections run`` worker) is left to it, and waits for
that view poll its tracking record.  As a worker (``worker=True``) a view
locked elsewhere is refused with :class:`~projections.locks.ViewLockedError`.

A runner that fails is restarted with back-off (logged); a runner whose view
was swapped by a rebuild restarts at once on the new generation.

On start, the local views first catch up together in one pass over the log
(:func:`projections.rebuild.catch_up`: each event read and decoded once, each
view committing its rows with its tracking record as a runner does); then each
view's runner follows the log from where that left it.  If the catch-up fails,
the runners catch up on their own.
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
from projections.rebuild import catch_up
from projections.runner import ViewRunner, main_thread_signals, release_free_memory
from projections.view import ViewSwappedError
from service.store.url import StoreConfig

log = structlog.get_logger("minutebook.projections")
#: While catching up, each view commits every this many runner batches of events.
CATCH_UP_BATCHES = 10
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
        self._threads_lock = threading.Lock()
        self._catching_up: threading.Thread | None = None
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
        _running[self.store.display] = self
        if self.local:
            self._catching_up = threading.Thread(
                target=self._catch_up_then_follow, name="projection-catch-up", daemon=True
            )
            self._catching_up.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        if self._catching_up is not None:
            self._catching_up.join(timeout)
        for runner in list(self._runners.values()):
            runner.stop()
        with self._threads_lock:
            threads = list(self._threads)
        for thread in threads:
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

    # Catching up, then following --------------------------------------------------------------

    def _catch_up_then_follow(self) -> None:
        """One pass over the log for all local views (each event decoded once), then a
        runner per view from where it got to (a few events behind at most)."""
        main_thread_signals()  # inherited by the runners' threads started here
        try:
            self._catch_up()
        except Exception as e:  # the runners catch up on their own, as they always could
            log.warning("projection_catch_up_failed", error=f"{type(e).__name__}: {e}")
        release_free_memory()  # the pass's documents and buffers are garbage now
        with self._threads_lock:
            if self._stopping.is_set():
                return
            for spec in self.specs:
                if spec.name in self.local:
                    thread = threading.Thread(
                        target=self._supervise,
                        args=(spec,),
                        name=f"projection-{spec.name}",
                        daemon=True,
                    )
                    self._threads.append(thread)
                    thread.start()

    def _catch_up(self) -> None:
        datastore = open_datastore(self.store, pool_size=1)
        try:
            projections = []
            for spec in self.specs:
                if spec.name in self.local:
                    view = spec.view_class(self.store.kind)(datastore)  # type: ignore[arg-type]
                    projections.append(spec.projection(view))
            for p in projections:
                self._committed(p.name, p.view.max_tracking_id(APPLICATION_NAME) or 0)
            started = time.monotonic()
            reached = catch_up(
                self.store,
                projections,
                flush_every=ViewRunner.batch_size * CATCH_UP_BATCHES,
                on_commit=self._committed,
                stopping=self._stopping.is_set,
                env=self.env,
            )
            log.info(
                "projections_caught_up",
                positions=reached,
                seconds=round(time.monotonic() - started, 3),
            )
        finally:
            datastore.close()

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
