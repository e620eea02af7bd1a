"""Background jobs: long operations over many sites, with progress anyone can read.

A job is a row in the store (kind, parameters, the sites it targets) plus one item per
site as each finishes. Whoever runs it — a thread of this process (the default) or queued
workers (handoff.core.workers, with HANDOFF_REDIS_URL) — reports through the store, so the
dashboard, the API and the CLI read the same progress. The work itself is a *job kind*: a
function registered under a name in handoff.core.job_kinds, given the backend, the
parameters and a Progress.

A runner may split a job into *parts* (target i goes to part i mod n), so that several
workers share one job; the job's `runner` column names the runner and the generation of
parts now entrusted with it.

Guarantees: a job (each of its parts) runs at most once at a time (claiming is a
conditional update, and a queued part also holds a lease); a target already recorded is
never worked again (a unique constraint, and `pending()` leaves it out), so re-running an
interrupted job finishes it without repeating anything; a job whose process died is
re-queued or failed, visibly, never left "running" forever.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from handoff.core.actor import acting_as, current_actor
from handoff.core.bulk import HostLimits, LocalHostLimits
from handoff.core.job_outcomes import OutcomeWriter
from handoff.errors import HandoffError, InvalidInputError, NotFoundError
from handoff.storage import Job, JobItem, Store

if TYPE_CHECKING:
    from handoff.app import Handoff
    from handoff.config import Settings

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
FINISHED = (DONE, FAILED)
MAX_TARGETS = 10_000
MAX_ATTEMPTS = 3  # generations of workers a job is entrusted to before it is failed

# Jobs run by the threads of this process share one per-host bound.
_LOCAL_LIMITS = LocalHostLimits()


class QueueError(HandoffError):
    """Redis, where bulk jobs are queued, is not configured or not reachable."""

    exit_code = 7


class JobLost(Exception):
    """This process no longer holds the job (its lease ran out): stop, record nothing more."""


class Progress:
    """What a job function uses to learn its targets and record each one's outcome.

    `targets` are the ones this part of the job works on (all of them, unless a runner
    split the job); `limits` is the per-host bound to share; `lost` says whether the
    process lost the job to another (then `check()` stops the work).
    """

    def __init__(self, store: Store, job_id: str, targets: list[str], *,
                 limits: HostLimits | None = None,
                 lost: Callable[[], bool] = lambda: False) -> None:
        self._store = store
        self.job_id = job_id
        self.targets = targets
        self.limits = limits or _LOCAL_LIMITS
        self._lost = lost

    def pending(self) -> list[str]:
        """The targets with no outcome yet, in the job's order."""
        with self._store.session() as session:
            done = set(session.scalars(select(JobItem.target)
                                       .where(JobItem.job_id == self.job_id)))
        return [target for target in self.targets if target not in done]

    def check(self) -> None:
        """Raise JobLost when another process has been given this job since."""
        if self._lost():
            raise JobLost(self.job_id)

    def write_key(self, target: str, operation: str) -> str:
        """The idempotency key of one write to one target in this job: the same on every
        re-run, so a write that reached the site but was not recorded is not applied
        again (docs/bridge-protocol.md)."""
        digest = hashlib.sha256(f"{self.job_id}\x1f{target}\x1f{operation}".encode())
        return "job-" + digest.hexdigest()[:40]

    def writer(self) -> OutcomeWriter:
        """Records outcomes from many threads in batches (a `with` block waits for them)."""
        return OutcomeWriter(self._store, self.job_id)

    def record(self, target: str, ok: bool, message: str = "",
               detail: dict | None = None) -> bool:
        """Keep one target's outcome; False when it was already recorded (kept as it was)."""
        try:
            with self._store.session() as session:
                session.add(JobItem(job_id=self.job_id, target=target, ok=ok,
                                    message=message, detail=json.dumps(detail or {}),
                                    finished_at=datetime.now(UTC)))
        except IntegrityError:
            return False
        return True


JobFunction = Callable[["Handoff", dict, Progress], None]


@dataclass(frozen=True)
class JobKind:
    name: str
    function: JobFunction
    describe: str


KINDS: dict[str, JobKind] = {}


def job_kind(name: str, describe: str) -> Callable[[JobFunction], JobFunction]:
    """Register a job function under `name` (handoff.core.job_kinds holds them)."""
    def register(function: JobFunction) -> JobFunction:
        KINDS[name] = JobKind(name, function, describe)
        return function
    return register


def kinds() -> dict[str, JobKind]:
    import handoff.core.job_kinds  # noqa: F401  (registers the kinds on import)
    return KINDS


def default_title(kind: str, targets: list[str]) -> str:
    """'Push a menu profile to sites: 12 sites' (or the one site's name)."""
    described = kinds()[kind].describe if kind in kinds() else kind
    scope = f"{len(targets)} sites" if len(targets) != 1 else targets[0]
    return f"{described}: {scope}"


@dataclass
class JobView:
    """A job as the dashboard, the API and the CLI show it."""

    id: str
    kind: str
    title: str
    status: str
    actor: str
    targets: list[str]
    items: list[dict]
    error: str
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    params: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.targets)

    @property
    def done(self) -> int:
        return len(self.items)

    @property
    def failed(self) -> int:
        return sum(1 for item in self.items if not item["ok"])

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def as_dict(self, with_params: bool = False) -> dict:
        data = {"id": self.id, "kind": self.kind, "title": self.title, "status": self.status,
                "actor": self.actor, "total": self.total, "done": self.done,
                "ok": self.done - self.failed, "failed": self.failed, "error": self.error,
                "attempts": self.attempts, "created_at": _iso(self.created_at),
                "started_at": _iso(self.started_at), "finished_at": _iso(self.finished_at),
                "items": self.items}
        if with_params:
            data["params"] = self.params
        return data


@dataclass(frozen=True)
class JobCounts:
    status: str
    done: int
    failed: int

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


class Runner(Protocol):
    """Starts a stored job somewhere: a thread here, or workers through a queue.

    A queued runner (handoff.core.workers.RqRunner) has more: `lease(job_id, part)` to
    hold a part while working on it, `check(jobs, job)` to re-queue or fail a job whose
    workers are gone, and `host_limits`, the per-host bound shared by all its workers.
    """

    name: str

    def enqueue(self, jobs: Jobs, job_id: str) -> None: ...


class Lease(Protocol):
    """A part of a job held by this process; see handoff.core.workers.Lease."""

    def take(self) -> bool: ...

    def lost(self) -> bool: ...

    def release(self) -> None: ...


class NoLease:
    """Threads of this process need none: the process id says whether they still run."""

    def take(self) -> bool:
        return True

    def lost(self) -> bool:
        return False

    def release(self) -> None:
        return None


class InProcessRunner:
    """Runs jobs on threads of this process: the default, nothing to set up.

    Jobs die with the process; the next reader reports them as interrupted.
    """

    name = "inprocess"

    def __init__(self, max_jobs: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max_jobs, thread_name_prefix="handoff-job")

    def enqueue(self, jobs: Jobs, job_id: str) -> None:
        self._pool.submit(jobs.run, job_id)


def make_runner(settings: Settings) -> Runner:
    """The runner the settings ask for: RQ with a Redis URL (unless told to run jobs in
    process), else threads of this process. RQ is imported only then."""
    if settings.redis_url and not settings.jobs_in_process:
        from handoff.core.workers import RqRunner
        return RqRunner(settings.redis_url, settings.queue, settings.job_lease_seconds)
    return InProcessRunner()


class Jobs:
    """Submit, run and read background jobs."""

    def __init__(self, handoff: Handoff, runner: Runner | None = None) -> None:
        self.handoff = handoff
        self.store = handoff.store
        self.runner = runner or InProcessRunner()

    @property
    def host_limits(self) -> HostLimits:
        """The per-host bound this runner's jobs share (across workers, for a queue)."""
        return getattr(self.runner, "host_limits", None) or _LOCAL_LIMITS

    def submit(self, kind: str, params: dict, *, targets: list[str], title: str) -> str:
        """Store a job and hand it to the runner; return its id at once."""
        if kind not in kinds():
            raise InvalidInputError(f"There is no job kind {kind!r}.",
                                    f"use one of: {', '.join(sorted(kinds()))}",
                                    code="job_kind")
        if not targets or not all(isinstance(t, str) and t for t in targets):
            raise InvalidInputError("A job needs at least one site.",
                                    "choose the sites to work on", code="job_targets")
        if len(targets) > MAX_TARGETS:
            raise InvalidInputError(f"A job covers at most {MAX_TARGETS} sites.",
                                    "split the work into several jobs", code="job_targets")
        job_id = uuid.uuid4().hex
        with self.store.session() as session:
            session.add(Job(id=job_id, kind=kind, title=title[:300], params=json.dumps(params),
                            targets=json.dumps(list(dict.fromkeys(targets))),
                            status=QUEUED, runner=owner(self.runner.name),
                            actor=current_actor(),
                            created_at=datetime.now(UTC)))
        try:
            self.runner.enqueue(self, job_id)
        except HandoffError:  # nowhere to run it (the queue is down): nothing is kept
            with self.store.session() as session:
                session.execute(delete(Job).where(Job.id == job_id))
            raise
        return job_id

    def run(self, job_id: str) -> str:
        """Do a job's work (the runner calls this); return the status it ended with.

        Only a queued job is claimed; anything else (finished, or running elsewhere) is
        left alone, so a job never runs twice at once.
        """
        return self.run_part(job_id, None, 0, 1)

    def run_part(self, job_id: str, marker: str | None, part: int, parts: int) -> str:
        """Work on part `part` of `parts` of a job; return the job's status after it.

        `marker` is the runner's name for the generation of parts this one belongs to:
        the first part claims the queued job under it, the others join while the job
        still has it; None claims a queued job for this process. The part that leaves no
        target pending finishes the job.
        """
        lease = self._lease(job_id, part)
        if not lease.take():
            return self.get(job_id).status  # this part is being worked on elsewhere
        try:
            self._reap(job_id)  # after taking the lease, which shows this part is alive
            mine = self._claim(job_id, marker)
            if mine is None:
                return self.get(job_id).status
            return self._work(job_id, mine, part, parts, lease)
        finally:
            lease.release()

    def reap_unfinished(self) -> int:
        """Re-queue or fail every unfinished job whose runner is gone; how many are left."""
        with self.store.session() as session:
            ids = list(session.scalars(select(Job.id).where(Job.status.in_((QUEUED, RUNNING)))))
        for job_id in ids:
            self._reap(job_id)
        return len(ids)

    def _work(self, job_id: str, mine: str, part: int, parts: int, lease: Lease) -> str:
        job = self._row(job_id)
        targets = json.loads(job.targets)
        progress = Progress(self.store, job_id, targets[part::parts],
                            limits=self.host_limits, lost=lease.lost)
        try:
            with acting_as(job.actor or current_actor()):
                kinds()[job.kind].function(self.handoff, json.loads(job.params), progress)
        except JobLost:
            return self.get(job_id).status
        except Exception as error:  # a bug in the work must still end the job visibly
            self._finish(job_id, mine, FAILED, f"{type(error).__name__}: {error}")
            return self.get(job_id).status
        if parts == 1 or not Progress(self.store, job_id, targets).pending():
            self._finish(job_id, mine, DONE, "")
        return self.get(job_id).status

    def get(self, job_id: str) -> JobView:
        self._reap(job_id)
        job = self._row(job_id)
        return _view(job, self._items(job_id))

    def counts(self, job_id: str) -> JobCounts:
        """The job's state and how many sites have an outcome, counted in SQL: what a
        progress bar needs, at the same cost for ten sites as for ten thousand."""
        self._reap(job_id)
        job = self._row(job_id)
        with self.store.session() as session:
            done, failed = session.execute(
                select(func.count(), func.count().filter(JobItem.ok.is_(False)))
                .where(JobItem.job_id == job_id)).one()
        return JobCounts(job.status, done, failed)

    def list(self, *, limit: int = 20, offset: int = 0, kind: str | None = None
             ) -> tuple[list[JobView], int]:
        """The newest jobs first, with their items, and how many there are in all."""
        query = select(Job).order_by(Job.created_at.desc(), Job.id)
        count = select(func.count()).select_from(Job)
        if kind:
            query, count = query.where(Job.kind == kind), count.where(Job.kind == kind)
        with self.store.session() as session:
            rows = list(session.scalars(query.limit(limit).offset(offset)))
            total = session.scalar(count)
        for row in rows:
            if row.status not in FINISHED:
                self._reap(row.id)
        return [self.get(row.id) for row in rows], total

    def retry(self, job_id: str) -> JobView:
        """Start a failed (e.g. interrupted) job again: its sites without a result only."""
        job = self._row(job_id)
        if job.status != FAILED:
            raise InvalidInputError(
                f"Job {job_id} is {job.status}: only a failed job can be started again.",
                "wait for it to finish; sites that failed in a finished job are retried "
                "with a new job (the command the results name)", code="job_not_failed")
        with self.store.session() as session:
            session.execute(update(Job).where(Job.id == job_id, Job.status == FAILED)
                            .values(status=QUEUED, error="", attempts=0, finished_at=None,
                                    runner=owner(self.runner.name)))
        try:
            self.runner.enqueue(self, job_id)
        except HandoffError:  # nowhere to run it: it stays as it was
            with self.store.session() as session:
                session.execute(update(Job).where(Job.id == job_id, Job.status == QUEUED)
                                .values(status=FAILED, error=job.error, attempts=job.attempts,
                                        finished_at=job.finished_at, runner=job.runner))
            raise
        return self.get(job_id)

    def wait(self, job_id: str, timeout: float = 120.0, interval: float = 0.05) -> JobView:
        """Block until the job finishes (CLI and tests); the view as it is at the timeout."""
        deadline = time.monotonic() + timeout
        while True:
            view = self.get(job_id)
            if view.finished or time.monotonic() >= deadline:
                return view
            time.sleep(interval)

    # Internals ------------------------------------------------------------------------

    def _row(self, job_id: str) -> Job:
        with self.store.session() as session:
            job = session.get(Job, job_id)
        if job is None:
            raise NotFoundError(f"There is no job {job_id!r}.",
                                "list jobs on the dashboard's Jobs page", code="unknown_job")
        return job

    def _items(self, job_id: str) -> list[dict]:
        with self.store.session() as session:
            rows = session.scalars(select(JobItem).where(JobItem.job_id == job_id)
                                   .order_by(JobItem.id))
            return [{"target": row.target, "ok": row.ok, "message": row.message,
                     "detail": json.loads(row.detail or "{}"),
                     "finished_at": _iso(row.finished_at)} for row in rows]

    def _lease(self, job_id: str, part: int) -> Lease:
        make = getattr(self.runner, "lease", None)
        return make(job_id, part) if make is not None else NoLease()

    def _claim(self, job_id: str, marker: str | None) -> str | None:
        """The runner value this part works under, or None when the job is not its to do.

        The first part of a generation moves the job from queued to running (a
        conditional update: one winner); the others join while it runs under `marker`.
        """
        mine = marker or owner(self.runner.name)
        condition = [Job.id == job_id, Job.status == QUEUED]
        if marker is not None:
            condition.append(Job.runner == marker)
        with self.store.session() as session:
            claimed = session.execute(
                update(Job).where(*condition)
                .values(status=RUNNING, runner=mine, error="",
                        started_at=datetime.now(UTC), attempts=Job.attempts + 1))
            if claimed.rowcount == 1:
                return mine
            job = session.get(Job, job_id)
        joins = marker is not None and job is not None and job.status == RUNNING \
            and job.runner == marker
        return mine if joins else None

    def _finish(self, job_id: str, mine: str, status: str, error: str) -> bool:
        """End a job this process runs; False when it was re-queued or ended meanwhile."""
        with self.store.session() as session:
            ended = session.execute(
                update(Job).where(Job.id == job_id, Job.status == RUNNING, Job.runner == mine)
                .values(status=status, error=error, finished_at=datetime.now(UTC)))
            return ended.rowcount == 1

    def requeue(self, job: Job, marker: str, note: str) -> bool:
        """Give an unfinished job to a new generation of parts (the runner enqueues them
        after); False when someone else changed it first."""
        with self.store.session() as session:
            moved = session.execute(
                update(Job).where(Job.id == job.id, Job.status == job.status,
                                  Job.runner == job.runner)
                .values(status=QUEUED, runner=marker, error=note))
            return moved.rowcount == 1

    def abandon(self, job: Job, error: str) -> bool:
        """Fail an unfinished job whose runner is gone; False when it changed meanwhile."""
        return self._settle(job, FAILED, error)

    def complete(self, job: Job) -> bool:
        """Mark done a job every target of which has an outcome though no part closed it
        (its last worker died just before); False when it changed meanwhile."""
        return self._settle(job, DONE, "")

    def _settle(self, job: Job, status: str, error: str) -> bool:
        with self.store.session() as session:
            settled = session.execute(
                update(Job).where(Job.id == job.id, Job.status == job.status,
                                  Job.runner == job.runner)
                .values(status=status, error=error, finished_at=datetime.now(UTC)))
            return settled.rowcount == 1

    def _reap(self, job_id: str) -> None:
        """An unfinished job whose runner is gone is re-queued or failed, never lost.

        A thread of a process that died: failed as interrupted. Queued workers: the
        runner's `check` decides (re-queue until MAX_ATTEMPTS, then fail).
        """
        with self.store.session() as session:
            job = session.get(Job, job_id)
        if job is None or job.status in FINISHED:
            return
        if job.runner.startswith(InProcessRunner.name + "@"):
            if owner_is_gone(job.runner):
                self.abandon(job, "Interrupted: the process running this job stopped. Sites "
                                  "with a result were done; start the job again for the rest.")
            return
        check = getattr(self.runner, "check", None)
        if check is not None:
            check(self, job)


def owner(runner_name: str) -> str:
    """Who runs a job: `inprocess@host:pid`, so a dead owner can be recognised."""
    return f"{runner_name}@{socket.gethostname()}:{os.getpid()}"


def owner_is_gone(runner: str) -> bool:
    """True when an in-process job's process (on this host) no longer exists.

    Queued workers are watched by their queue, not from here.
    """
    name, _, where = runner.partition("@")
    host, _, pid = where.rpartition(":")
    if name != InProcessRunner.name or not pid.isdigit():
        return False
    if host != socket.gethostname():
        return False  # another machine's process: it cannot be checked from here
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _view(job: Job, items: list[dict]) -> JobView:
    return JobView(id=job.id, kind=job.kind, title=job.title, status=job.status,
                   actor=job.actor, targets=json.loads(job.targets), items=items,
                   error=job.error, attempts=job.attempts, created_at=job.created_at,
                   started_at=job.started_at, finished_at=job.finished_at,
                   params=json.loads(job.params))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None
