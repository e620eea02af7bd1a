"""Queued workers: bulk jobs handed through Redis (RQ) to `handoff worker` processes.

With HANDOFF_REDIS_URL set, Handoff.jobs uses an RqRunner: a submitted job is split into
parts (target i goes to part i mod n) and each part is an RQ job calling `run_part`,
which builds a backend from the environment and runs `Jobs.run_part` — the same job
functions as in-process. Any number of workers, on any machines sharing the store and
Redis, take parts from the queue.

A worker that dies mid-part (killed, out of memory, machine gone) stops renewing the
lease it holds on that part; once the lease has run out and no part of the job is still
waiting in the queue, whoever looks next (another worker's reaper, the CLI or the
dashboard reading the job) gives the job's pending targets to a new generation of parts,
up to MAX_ATTEMPTS generations, then fails it with the reason. Targets with an outcome
are never worked again, and writes carry idempotency keys derived from job and site, so a
write that reached a site but was not recorded is answered from the site's memory
instead of being applied twice (docs/workers.md).

Politeness across workers: RedisHostLimits bounds the sites worked on at once per server
IP address, counting every worker's, with places that expire if their holder dies.
"""

from __future__ import annotations

import json
import logging
import math
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import redis
from rq import Queue, SimpleWorker
from rq.job import Job as RqJob
from rq.job import JobStatus

from handoff.core.jobs import MAX_ATTEMPTS, QUEUED, RUNNING, Jobs, Progress, QueueError
from handoff.errors import InvalidInputError
from handoff.storage import Job

if TYPE_CHECKING:
    from handoff.app import Handoff

log = logging.getLogger(__name__)

PART_SIZE = 25  # targets per part, so that several workers share a job...
MAX_PARTS = 16  # ...in at most this many parts
JOB_TIMEOUT = 12 * 3600  # seconds: RQ stops a part running longer (a bug, not a big job)
RESULT_TTL = 3600
FAILURE_TTL = 7 * 86400
WAITING = {JobStatus.QUEUED, JobStatus.DEFERRED, JobStatus.SCHEDULED}
REDIS_FIX = ("start Redis (e.g. `systemctl start redis-server`) and check HANDOFF_REDIS_URL; "
             "or run the job in this process with --in-process (HANDOFF_JOBS_IN_PROCESS=1)")


def describe_url(url: str) -> str:
    """The Redis URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + netloc))


def connect(url: str) -> redis.Redis:
    """A client for HANDOFF_REDIS_URL (connects on first use)."""
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=10,
                                    health_check_interval=30)
    except ValueError as error:
        raise InvalidInputError(f"HANDOFF_REDIS_URL={describe_url(url)!r} is not a Redis URL "
                                f"({error}).", "use redis://HOST:6379/0 (or rediss:// for "
                                "TLS, unix:///path/to/redis.sock)", code="redis_url") from None


@contextmanager
def talking_to(url: str) -> Iterator[None]:
    """Redis failures in the block become a QueueError with the cause and the fix."""
    try:
        yield
    except redis.exceptions.AuthenticationError as error:
        raise QueueError(f"Redis at {describe_url(url)} refused the credentials ({error}).",
                         "put the right password in HANDOFF_REDIS_URL "
                         "(redis://:PASSWORD@HOST:6379/0)", code="redis_auth") from None
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
        raise QueueError(f"Redis at {describe_url(url)} is not reachable ({error}).",
                         REDIS_FIX, code="redis_down") from None
    except redis.exceptions.RedisError as error:  # e.g. a read-only replica, out of memory
        raise QueueError(f"Redis at {describe_url(url)} refused the job ({error}).",
                         "check the Redis server's log; HANDOFF_REDIS_URL must name a "
                         "writable primary", code="redis_refused") from None


def parts_for(count: int) -> int:
    return max(1, min(MAX_PARTS, math.ceil(count / PART_SIZE)))


def part_ids(job_id: str, marker: str) -> list[str]:
    """The RQ job ids of a generation's parts, from the marker `rq:GENERATION:PARTS`."""
    _, generation, parts = marker.split(":")
    return [f"handoff-{job_id}-{generation}-{part}" for part in range(int(parts))]


def is_marker(runner: str) -> bool:
    pieces = runner.split(":")
    return len(pieces) == 3 and pieces[0] == "rq" and pieces[2].isdigit()


class Lease:
    """A part of a job held by this process, renewed while the process lives.

    A key in Redis with an expiry (the lease time); a thread renews it every third of
    that time. If the key is gone or another's when renewing, the part was given to
    someone else: `lost()` turns true and the work stops.
    """

    RENEW = ("if redis.call('get', KEYS[1]) == ARGV[1] then "
             "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end")
    RELEASE = ("if redis.call('get', KEYS[1]) == ARGV[1] then "
               "return redis.call('del', KEYS[1]) else return 0 end")

    def __init__(self, client: redis.Redis, key: str, seconds: int) -> None:
        self._redis, self.key, self.seconds = client, key, seconds
        self.token = uuid.uuid4().hex
        self._lost = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def take(self) -> bool:
        if not self._redis.set(self.key, self.token, nx=True, ex=self.seconds):
            return False
        self._thread = threading.Thread(target=self._renew, name="handoff-lease", daemon=True)
        self._thread.start()
        return True

    def lost(self) -> bool:
        return self._lost.is_set()

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            with suppress(redis.exceptions.RedisError):  # else it expires on its own
                self._redis.eval(self.RELEASE, 1, self.key, self.token)

    def _renew(self) -> None:
        while not self._stop.wait(self.seconds / 3):
            try:
                held = self._redis.eval(self.RENEW, 1, self.key, self.token,
                                        int(self.seconds * 1000))
            except redis.exceptions.RedisError:
                continue  # Redis out of reach for a moment: the key may still be ours
            if not held:
                self._lost.set()
                return


class RedisHostLimits:
    """The per-host bound across every worker: a sorted set of holders per host in Redis.

    A holder's score is the Redis server's time of its last renewal, so clocks of the
    machines do not matter; places of a dead process expire after `seconds`.
    """

    ACQUIRE = """
local now = redis.call('time')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('zremrangebyscore', KEYS[1], '-inf', ms - tonumber(ARGV[1]))
if redis.call('zcard', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('zadd', KEYS[1], ms, ARGV[3])
  redis.call('pexpire', KEYS[1], ARGV[1])
  return 1
end
return 0
"""
    RENEW = """
local now = redis.call('time')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
for i = 1, #KEYS do
  redis.call('zadd', KEYS[i], 'XX', ms, ARGV[i + 1])
  redis.call('pexpire', KEYS[i], ARGV[1])
end
return 1
"""

    def __init__(self, client: redis.Redis, seconds: int, prefix: str = "handoff:host:") -> None:
        self._redis, self.seconds, self.prefix = client, seconds, prefix
        self._held: dict[str, str] = {}  # token -> key
        self._lock = threading.Lock()
        self._renewer: threading.Thread | None = None

    @contextmanager
    def hold(self, host: str, limit: int) -> Iterator[None]:
        key, token = self.prefix + host, uuid.uuid4().hex
        ttl = int(self.seconds * 1000)
        while not self._redis.eval(self.ACQUIRE, 1, key, ttl, max(1, limit), token):
            time.sleep(random.uniform(0.01, 0.05))
        self._track(token, key)
        try:
            yield
        finally:
            with self._lock:
                self._held.pop(token, None)
            with suppress(redis.exceptions.RedisError):  # else the place expires on its own
                self._redis.zrem(key, token)

    def _track(self, token: str, key: str) -> None:
        with self._lock:
            self._held[token] = key
            if self._renewer is None or not self._renewer.is_alive():
                self._renewer = threading.Thread(target=self._renew, daemon=True,
                                                 name="handoff-host-limits")
                self._renewer.start()

    def _renew(self) -> None:
        while True:
            time.sleep(self.seconds / 3)
            with self._lock:
                held = dict(self._held)
                if not held:
                    self._renewer = None
                    return
            try:
                self._redis.eval(self.RENEW, len(held), *held.values(),
                                 int(self.seconds * 1000), *held.keys())
            except redis.exceptions.RedisError:
                continue


class RqRunner:
    """Queues jobs for `handoff worker` processes through Redis (RQ)."""

    name = "rq"

    def __init__(self, url: str, queue: str = "handoff", lease_seconds: int = 30) -> None:
        self.url, self.queue_name, self.lease_seconds = url, queue, lease_seconds
        self.redis = connect(url)
        self.queue = Queue(queue, connection=self.redis)
        self.host_limits = RedisHostLimits(self.redis, lease_seconds)

    def ping(self) -> None:
        """Raise QueueError unless Redis answers."""
        with talking_to(self.url):
            self.redis.ping()

    def enqueue(self, jobs: Jobs, job_id: str) -> None:
        """Queue the parts of a stored job (a new generation of them)."""
        with jobs.store.session() as session:
            job = session.get(Job, job_id)
        pending = Progress(jobs.store, job_id, _targets(job)).pending()
        marker = f"rq:{uuid.uuid4().hex[:12]}:{parts_for(len(pending))}"
        if jobs.requeue(job, marker, job.error if job.status == QUEUED else ""):
            self._enqueue_parts(job_id, marker)

    def lease(self, job_id: str, part: int) -> Lease:
        return Lease(self.redis, f"handoff:lease:{job_id}:{part}", self.lease_seconds)

    def check(self, jobs: Jobs, job: Job) -> None:
        """Re-queue or fail an unfinished job none of whose parts is alive or waiting."""
        try:
            if not self._alive(job):
                self._give_again(jobs, job)
        except redis.exceptions.RedisError:
            return  # cannot tell now; a later look will

    def _give_again(self, jobs: Jobs, job: Job) -> None:
        pending = Progress(jobs.store, job.id, _targets(job)).pending()
        if not pending and job.status == RUNNING:
            jobs.complete(job)
            return
        reason = self._why_gone(job)
        if job.status == QUEUED and reason.startswith("a worker failed"):
            # It failed before claiming the job (e.g. no store there): again would fail too.
            jobs.abandon(job, f"Not started: {reason}. Fix the worker, then: handoff jobs "
                              f"retry {job.id}")
            return
        if job.attempts >= MAX_ATTEMPTS:
            jobs.abandon(job, f"Interrupted: {reason}, {job.attempts} times. Sites with a "
                              "result were done; start the job again for the rest.")
            return
        when = datetime.now(UTC).strftime("%H:%M:%S UTC")
        note = (f"{reason[0].upper()}{reason[1:]} at {when}; queued again for the sites "
                f"without a result (attempt {job.attempts + 1} of {MAX_ATTEMPTS}).")
        marker = f"rq:{uuid.uuid4().hex[:12]}:{parts_for(len(pending))}"
        if jobs.requeue(job, marker, note):
            # If Redis fails now, the parts are missing from the queue: the next look
            # sees that and queues them.
            with suppress(QueueError):
                self._enqueue_parts(job.id, marker)

    # Internals ------------------------------------------------------------------------

    def _enqueue_parts(self, job_id: str, marker: str) -> None:
        ids = part_ids(job_id, marker)
        with talking_to(self.url), self.redis.pipeline() as pipe:
            for part, rq_id in enumerate(ids):
                self.queue.enqueue_call(
                    run_part, args=(job_id, marker, part, len(ids)), job_id=rq_id,
                    timeout=JOB_TIMEOUT, result_ttl=RESULT_TTL, failure_ttl=FAILURE_TTL,
                    description=f"handoff job {job_id} part {part + 1}/{len(ids)}",
                    pipeline=pipe)
            pipe.execute()

    def _alive(self, job: Job) -> bool:
        """True while a part holds its lease or waits in the queue (or was just queued)."""
        if not is_marker(job.runner):
            # Claimed by Jobs.run in some process (one part), or about to be queued.
            if self.redis.exists(f"handoff:lease:{job.id}:0"):
                return True
            return job.status == QUEUED and _age(job) < self.lease_seconds
        ids = part_ids(job.id, job.runner)
        leases = [f"handoff:lease:{job.id}:{part}" for part in range(len(ids))]
        if self.redis.exists(*leases):
            return True
        parts = RqJob.fetch_many(ids, connection=self.redis)
        return any(part is not None and self._waiting_or_starting(part) for part in parts)

    def _waiting_or_starting(self, part: RqJob) -> bool:
        """Queued, or taken by a worker so recently that it may not hold its lease yet."""
        status = part.get_status(refresh=False)
        if status in WAITING:
            return True
        started = part.started_at
        if status != JobStatus.STARTED or started is None:
            return False
        started = started if started.tzinfo else started.replace(tzinfo=UTC)
        return (datetime.now(UTC) - started).total_seconds() < self.lease_seconds

    def _why_gone(self, job: Job) -> str:
        if not is_marker(job.runner):
            return "the process running this job stopped"
        for part in RqJob.fetch_many(part_ids(job.id, job.runner), connection=self.redis):
            if part is not None and part.get_status(refresh=False) == JobStatus.FAILED:
                result = part.latest_result()
                lines = ((result.exc_string if result else "") or "").strip().splitlines()
                return f"a worker failed ({lines[-1][:200] if lines else 'no detail'})"
        if job.status == QUEUED:
            return "the queue lost this job's parts (was Redis restarted?)"
        return "the worker running this job stopped"


def _targets(job: Job) -> list[str]:
    return json.loads(job.targets)


def _age(job: Job) -> float:
    created = job.created_at if job.created_at.tzinfo else job.created_at.replace(tzinfo=UTC)
    return (datetime.now(UTC) - created).total_seconds()


# -- the worker side -------------------------------------------------------------------

_backend: Handoff | None = None
_backend_lock = threading.Lock()


def use_backend(handoff: Handoff | None) -> None:
    """The backend `run_part` uses in this process (`handoff worker` sets its own)."""
    global _backend
    _backend = handoff


def backend() -> Handoff:
    """This process's backend, built once from the environment (HANDOFF_*)."""
    global _backend
    with _backend_lock:
        if _backend is None:
            from handoff.app import Handoff
            _backend = Handoff()
        return _backend


def run_part(job_id: str, marker: str, part: int, parts: int) -> str:
    """What an RQ job runs: one part of a stored job, by the same job functions as
    in-process. Returns the job's status afterwards."""
    return backend().jobs.run_part(job_id, marker, part, parts)


class HandoffWorker(SimpleWorker):
    """RQ's worker without fork: parts run in this process, which keeps its backend
    (store connections, HTTP sessions) from one part to the next, and killing the
    process stops its work at once (its leases then run out)."""


def serve(handoff: Handoff, queues: list[str], *, burst: bool = False,
          name: str | None = None, ready: Callable[[], None] | None = None) -> bool:
    """Work on the queues until stopped (or, with `burst`, until they are empty).

    A reaper thread re-queues or fails jobs whose workers died, every half lease.
    `ready` is called once Redis answered. Returns whether any part was worked on.
    """
    jobs = handoff.jobs
    runner = jobs.runner
    if not isinstance(runner, RqRunner):
        raise QueueError("No queue is configured: HANDOFF_REDIS_URL is not set (or "
                         "HANDOFF_JOBS_IN_PROCESS asks for in-process jobs).",
                         "set HANDOFF_REDIS_URL=redis://HOST:6379/0 (docs/workers.md) and "
                         "unset HANDOFF_JOBS_IN_PROCESS", code="no_queue")
    runner.ping()
    if ready is not None:
        ready()
    use_backend(handoff)
    jobs.reap_unfinished()
    stop = threading.Event()
    reaper = threading.Thread(target=_reap_every, args=(jobs, runner.lease_seconds / 2, stop),
                              name="handoff-reaper", daemon=True)
    reaper.start()
    try:
        with talking_to(runner.url):
            worker = HandoffWorker([Queue(q, connection=runner.redis) for q in queues],
                                   connection=runner.redis, name=name)
            return worker.work(burst=burst, logging_level="INFO")
    finally:
        stop.set()


def _reap_every(jobs: Jobs, seconds: float, stop: threading.Event) -> None:
    while not stop.wait(seconds):
        try:
            jobs.reap_unfinished()
        except Exception:  # a store or Redis hiccup must not end the reaper
            log.exception("reaping unfinished jobs failed; trying again in %s s", seconds)
