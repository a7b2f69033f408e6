"""Running the views: one supervised runner per view, and read-your-writes waits.

In the service process (``worker=False``) a view whose lock another process
holds (a ``minutebook projections run`` worker) is left to it, and waits for
that view poll its tracking record.  As a worker (``worker=True``) a view
locked elsewhere is refused with :class:`~projections.locks.ViewLockedError`.

On start, the local views first catch up together in one pass over the log
(:func:`projections.rebuild.catch_up`: each event read and decoded once, each
view committing its rows with its tracking record as a runner does); then they
follow the log from where that left them.  On SQLite they follow it together, as
one :class:`~projections.runner.GroupRunner` (one pull and one transaction per
batch for all of them): SQLite takes one writer at a time, and each view's
transaction was a write turn the application's writer waited behind.  On
PostgreSQL, which commits the views' transactions side by side, each view has a
runner of its own (a joint transaction there is the views' statements one after
another: measured, a view's answers lagged more).  If the catch-up fails, the
runners catch up on their own.

A group that fails is restarted with back-off (logged); one whose views were
swapped by a rebuild restarts at once on the new generations.  A view whose
handler fails leaves the group and runs alone (a :class:`ViewRunner` of its own,
restarted with back-off), so that the others go on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import structlog

from projections import status as view_status
from projections.base import DocumentProjection
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
from projections.runner import (
    GroupRunner,
    ViewFailedError,
    ViewRunner,
    main_thread_signals,
    release_free_memory,
)
from projections.view import DocumentView, ViewSwappedError
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
        self._group: GroupRunner | None = None
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
        group = self._group
        if group is not None:
            group.stop()
        for runner in list(self._runners.values()):
            runner.stop()
        if self._catching_up is not None:  # the catch-up, then the group, ran in it
            self._catching_up.join(timeout)
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
        """One pass over the log for all local views (each event decoded once), then the
        views follow the log together from where they got to (a few events behind)."""
        main_thread_signals()  # inherited by the runners' threads started here
        try:
            self._catch_up()
        except Exception as e:  # the group catches up on its own, as runners always could
            log.warning("projection_catch_up_failed", error=f"{type(e).__name__}: {e}")
        release_free_memory()  # the pass's documents and buffers are garbage now
        local = [s for s in self.specs if s.name in self.local]
        if self.store.kind == "sqlite":
            self._supervise_group(local)
        else:
            for spec in local:
                self._start_alone(spec)

    def _start_alone(self, spec: ViewSpec) -> None:
        """A view of its own runner (supervised) in a thread of its own."""
        with self._threads_lock:
            if self._stopping.is_set():
                return
            thread = threading.Thread(
                target=self._supervise, args=(spec,), name=f"projection-{spec.name}", daemon=True
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

    def _supervise_group(self, group: list[ViewSpec]) -> None:
        """Run the views as one group until stopped; a view whose handler fails leaves it."""
        delay = self.restart_delay
        while group and not self._stopping.is_set():
            try:
                self._run_group(group)
                delay = self.restart_delay
            except ViewSwappedError as e:
                log.info("projection_swapped", detail=str(e))
            except ViewFailedError as e:
                if self._stopping.is_set():
                    break
                self.errors[e.name] = f"{type(e.cause).__name__}: {e.cause}"
                log.error("projection_failed", view=e.name, error=self.errors[e.name])
                failed = next(s for s in group if s.name == e.name)
                group = [s for s in group if s is not failed]
                self._start_alone(failed)
            except Exception as e:
                if self._stopping.is_set():
                    break
                log.error("projections_failed", error=f"{type(e).__name__}: {e}")
                self._stopping.wait(delay)
                delay = min(delay * 2, 60.0)

    def _run_group(self, group: list[ViewSpec]) -> None:
        datastore = open_datastore(self.store, pool_size=1)
        try:
            projections: list[DocumentProjection] = [
                spec.projection(spec.view_class(self.store.kind)(datastore))  # type: ignore[arg-type]
                for spec in group
            ]
            with GroupRunner(projections, env=self.env, on_commit=self._committed) as runner:
                for name, position in runner.positions.items():
                    self._committed(name, position)
                self._group = runner
                try:
                    if not self._stopping.is_set():
                        runner.run()
                except (ViewSwappedError, ViewFailedError):
                    raise
                except Exception as e:
                    swapped = [p.name for p in projections if _view_swapped(p.view)]
                    if swapped:  # e.g. its tables were dropped after a rebuild's swap
                        raise ViewSwappedError(f"views {swapped} were rebuilt: {e}") from e
                    raise
                finally:
                    self._group = None
        finally:
            datastore.close()

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
    return _view_swapped(runner.view)


def _view_swapped(view: DocumentView) -> bool:
    try:
        return view.live_generation() != view.generation
    except Exception:
        return False


def poll_until(store: StoreConfig, names: Sequence[str], position: int, deadline: float) -> bool:
    datastore = open_datastore(store, pool_size=1)
    try:
        return view_status.wait_positions(datastore, dialect(store), names, position, deadline)
    finally:
        datastore.close()
