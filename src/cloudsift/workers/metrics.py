"""The workers' figures in /metrics: the queue's tasks per state, their retries and the workers alive,
read from procrastinate's tables (the same on every server of the store), and this worker's own task
durations (a histogram per process: Prometheus adds up the workers it scrapes)."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from cloudsift.store.base import Store

# procrastinate's job status -> the state shown
TASK_STATES = {
    "todo": "queued",
    "doing": "running",
    "succeeded": "succeeded",
    "failed": "failed",
    "cancelled": "cancelled",
    "aborted": "aborted",
}
# procrastinate counts an attempt when a task is retried and when it ends: a task's retries are its
# attempts, less the one that ended it (one table, no read of the events; a failed task retried by
# hand, which cloudsift never does, counts one retry more)
ENDED = ("succeeded", "failed", "aborted")
# One row per queue and state, read from the index queue.JOBS_BY_STATE (an index-only scan: a
# scrape reads no job's arguments, however many jobs the table keeps).
QUEUE_COUNTS = (
    "SELECT queue_name, status::text, count(*), coalesce(sum(attempts), 0) FROM procrastinate_jobs "
    "GROUP BY queue_name, status"  # the column, not its text: the index's order serves the grouping
)
# from an account's task (a second) to a large finish (minutes)
DURATION_BUCKETS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800)


def queue_metrics(store: Store, queues: list[str], stalled_after_seconds: float) -> Iterator[Metric]:
    """Tasks per queue and state, retries per queue, workers alive and stalled; nothing on a store
    without the queue (the embedded DuckDB, or a PostgreSQL no worker has used)."""
    from cloudsift.store.postgres import PostgresStore

    if not isinstance(store, PostgresStore):
        return
    if not store.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")[0][0]:
        return
    rows = store.execute(QUEUE_COUNTS)
    counts: dict[tuple[str, str], int] = {}
    retries: dict[str, int] = dict.fromkeys(queues, 0)
    for queue, status, count, attempts in rows:
        counts[(queue, status)] = int(count)
        retries[queue] = retries.get(queue, 0) + int(attempts) - (int(count) if status in ENDED else 0)
    tasks = GaugeMetricFamily(
        "cloudsift_tasks", "Tasks on the workers' queue, by queue and state.", labels=["queue", "state"]
    )
    for queue in sorted(retries):
        for status, state in TASK_STATES.items():
            tasks.add_metric([queue, state], counts.get((queue, status), 0))
    yield tasks
    retried = CounterMetricFamily(
        "cloudsift_task_retries",
        "Tasks run again (after an error or a stalled worker), by queue.",
        labels=["queue"],
    )
    for queue in sorted(retries):
        retried.add_metric([queue], retries[queue])
    yield retried
    alive, stalled = store.execute(
        "SELECT count(*) FILTER (WHERE last_heartbeat >= now() - ? * interval '1 second'), "
        "count(*) FILTER (WHERE last_heartbeat < now() - ? * interval '1 second') FROM procrastinate_workers",
        [stalled_after_seconds, stalled_after_seconds],
    )[0]
    workers = GaugeMetricFamily(
        "cloudsift_workers",
        "Worker processes by heartbeat: alive, or stalled (silent past [workers] stalled_after_seconds).",
        labels=["state"],
    )
    workers.add_metric(["alive"], int(alive))
    workers.add_metric(["stalled"], int(stalled))
    yield workers


class TaskDurations:
    """How long this process's tasks took, by queue, task and outcome (succeeded, failed)."""

    def __init__(self) -> None:
        self.histogram = Histogram(
            "cloudsift_task_duration_seconds",
            "How long this worker's tasks took, by queue, task and outcome.",
            labelnames=["queue", "task", "outcome"],
            buckets=DURATION_BUCKETS,
            registry=None,  # one per worker, shown by its own /metrics
        )

    def observe(self, queue: str, task: str, outcome: str, seconds: float) -> None:
        self.histogram.labels(queue, task, outcome).observe(seconds)

    def collect(self) -> Iterator[Metric]:
        yield from self.histogram.collect()
