"""GET /metrics: the inventory and the server's work in Prometheus' text format, read from the store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from cloudsift.context import Context
from cloudsift.store.base import Store
from cloudsift.store.retention import pruned_runs
from cloudsift.workers.metrics import queue_metrics
from cloudsift.workers.queue import QUEUE

if TYPE_CHECKING:
    from cloudsift.workers.worker import Worker


class StoreCollector(Collector):
    """Every scrape reads the store: the figures are the inventory's, not a cache's."""

    def __init__(self, open_context: Callable[[], Context], worker: Worker | None = None) -> None:
        self.open_context = open_context
        self.worker = worker

    def collect(self) -> Iterator[Metric]:
        ctx = self.open_context()
        try:
            store = ctx.store
            resources = GaugeMetricFamily(
                "cloudsift_resources", "Resources in the inventory.", labels=["kind"]
            )
            for kind, count in store.execute("SELECT kind, count(*) FROM nodes GROUP BY kind ORDER BY kind"):
                resources.add_metric([kind], count)
            yield resources
            yield from _last_collection(store)
            runs = CounterMetricFamily(
                "cloudsift_collect_runs", "Collections, by outcome.", labels=["outcome"]
            )
            pruned = pruned_runs(store, "collect")  # before the runs kept: a prune between the two reads
            live = store.execute(  # then makes this scrape low, never a later one lower (a counter reset)
                "SELECT outcome, count(*) FROM workflow_runs WHERE workflow = 'collect' GROUP BY 1"
            )
            for outcome, count in _counted(live, pruned):
                runs.add_metric([outcome], count)
            yield runs
            errors = GaugeMetricFamily(
                "cloudsift_collect_errors", "(account, region) partitions whose last collection failed."
            )
            errors.add_metric([], sum(1 for p in store.partitions() if p.error is not None))
            yield errors
            jobs = CounterMetricFamily("cloudsift_job_runs", "Job runs, by outcome.", labels=["outcome"])
            pruned = pruned_runs(store, "jobs")  # first, as for collections
            live = store.execute("SELECT outcome, count(*) FROM job_runs GROUP BY 1")
            for outcome, count in _counted(live, pruned):
                jobs.add_metric([outcome], count)
            yield jobs
            outbox = GaugeMetricFamily(
                "cloudsift_outbox_events", "Alert events in the outbox, by state.", labels=["state"]
            )
            states = dict(store.execute("SELECT state, count(*) FROM outbox GROUP BY state"))
            for state in ("pending", "delivered", "failed"):
                outbox.add_metric([state], states.get(state, 0))
            yield outbox
            yield from _oldest_pending(store)
            yield from _sink_metrics(store)
            yield from queue_metrics(store, [QUEUE], ctx.config.workers.stalled_after_seconds)
            if self.worker is not None:
                yield from self.worker.durations.collect()
        finally:
            ctx.close()


def _counted(live: list[tuple[Any, ...]], pruned: dict[str, int]) -> list[tuple[str, int]]:
    """A run counter by outcome: the runs kept and those retention deleted (it never goes down)."""
    counts = dict(pruned)
    for outcome, count in live:
        counts[str(outcome)] = counts.get(str(outcome), 0) + int(count)
    return sorted(counts.items())


def render_metrics(open_context: Callable[[], Context], worker: Worker | None = None) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StoreCollector(open_context, worker))
    return generate_latest(registry)


def _age(at: dt.datetime) -> float:
    return (dt.datetime.now(dt.UTC) - (at if at.tzinfo else at.replace(tzinfo=dt.UTC))).total_seconds()


def _last_collection(store: Store) -> Iterator[Metric]:
    """How long the last collection took, and how long ago it ended (a schedule that stopped firing
    shows as a growing age)."""
    duration = GaugeMetricFamily("cloudsift_collect_duration_seconds", "How long the last collection took.")
    age = GaugeMetricFamily("cloudsift_collect_age_seconds", "Seconds since the last collection ended.")
    last = store.execute(
        "SELECT started_at, seconds FROM workflow_runs WHERE workflow = 'collect' ORDER BY started_at DESC LIMIT 1"
    )
    if last:
        started_at, seconds = last[0]
        duration.add_metric([], float(seconds or 0))
        age.add_metric([], max(0.0, _age(started_at) - float(seconds or 0)))
    yield duration
    yield age


def _oldest_pending(store: Store) -> Iterator[Metric]:
    oldest = GaugeMetricFamily(
        "cloudsift_outbox_oldest_pending_seconds", "Age of the oldest alert event still to deliver (0: none)."
    )
    first = store.execute("SELECT min(created_at) FROM outbox WHERE state = 'pending'")
    oldest.add_metric([], _age(first[0][0]) if first and first[0][0] is not None else 0.0)
    yield oldest


def _sink_metrics(store: Store) -> Iterator[Metric]:
    """Per registered sink (every one, with zeros): events sent, failed, pending, and retries made."""
    from cloudsift.alerts.outbox import Outbox
    from cloudsift.alerts.sink import SINKS

    counts = Outbox(store).counts()
    events = GaugeMetricFamily(
        "cloudsift_sink_events",
        "Alert events in the outbox, by sink and outcome.",
        labels=["sink", "outcome"],
    )
    retries = CounterMetricFamily(
        "cloudsift_sink_retries", "Retries alert events took, by sink.", labels=["sink"]
    )
    for sink in sorted(set(SINKS) | set(counts)):
        figures = counts.get(sink, {})
        for outcome in ("sent", "failed", "pending", "superseded"):
            events.add_metric([sink, outcome], figures.get(outcome, 0))
        retries.add_metric([sink], figures.get("retried", 0))
    yield events
    yield retries
