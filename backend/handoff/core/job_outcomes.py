"""Recording the outcomes of a job's sites: one writer thread, in batches.

Dozens of threads finishing sites at once would otherwise each open a transaction, and
SQLite lets one write at a time: they queue behind its lock, and past the busy timeout
an outcome (of a site that answered) is lost, or the job aborted. Here the threads only
hand their outcome over; one thread writes them, many per transaction, and a store that
is busy or briefly away delays the records — it never fails a site or the job.

An outcome handed over but not yet written when the process dies is not lost work: the
site has no outcome, so the next run of the job does it again (writes carry the job's
idempotency key, so nothing is applied twice).
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from datetime import UTC, datetime

from sqlalchemy.dialects import postgresql, sqlite

from handoff.storage import JobItem, Store

log = logging.getLogger(__name__)

BATCH = 500  # outcomes per transaction at most
PAUSE = 0.2  # seconds the writer gathers outcomes before a write
PATIENCE = 600.0  # seconds a failing store is tried again before the job gives up


class OutcomeWriter:
    """Takes outcomes from any thread (`put`) and writes them in batches (`close` waits)."""

    def __init__(self, store: Store, job_id: str, *, pause: float = PAUSE,
                 patience: float = PATIENCE) -> None:
        self._store, self.job_id = store, job_id
        self._pause, self._patience = pause, patience
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._failure: Exception | None = None
        self.written = 0
        self._thread = threading.Thread(target=self._run, name="handoff-outcomes", daemon=True)
        self._thread.start()

    def put(self, target: str, ok: bool, message: str = "", detail: dict | None = None) -> None:
        """Hand one site's outcome over; it is written within a moment."""
        self._queue.put({"job_id": self.job_id, "target": target, "ok": ok,
                         "message": message, "detail": json.dumps(detail or {}),
                         "finished_at": datetime.now(UTC)})

    def close(self) -> None:
        """Write everything handed over; raise the store's error if it never took them."""
        self._queue.put(None)
        self._thread.join()
        if self._failure is not None:
            raise self._failure

    def __enter__(self) -> OutcomeWriter:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _run(self) -> None:
        done = False
        while not done:
            rows = [self._queue.get()]
            time.sleep(self._pause if rows[0] is not None else 0)  # let a batch gather
            while len(rows) < BATCH:
                try:
                    rows.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            done = None in rows
            rows = [row for row in rows if row is not None]
            if rows and self._failure is None:
                self._write(rows)

    def _write(self, rows: list[dict]) -> None:
        """One transaction for the batch; tried again while the store fails, for a while."""
        started, wait = time.monotonic(), 0.1
        while True:
            try:
                with self._store.session() as session:
                    session.execute(_insert_new(session.get_bind().dialect.name), rows)
                self.written += len(rows)
                return
            except Exception as error:  # StoreError mostly; whatever it is, try again
                if time.monotonic() - started > self._patience:
                    self._failure = error
                    return
                log.warning("recording %d outcomes of job %s failed (%s); trying again",
                            len(rows), self.job_id, error)
                time.sleep(wait)
                wait = min(wait * 2, 5.0)


def _insert_new(dialect: str):
    """INSERT of job items that leaves out targets already recorded (never twice)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(JobItem).on_conflict_do_nothing(index_elements=["job_id", "target"])
