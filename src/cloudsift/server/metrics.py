"""GET /metrics: the inventory and the server's work in Prometheus' text format, read from the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from cloudsift.context import Context
from cloudsift.store.base import Store


class StoreCollector(Collector):
    """Every scrape reads the store: the figures are the inventory's, not a cache's."""

    def __init__(self, open_context: Callable[[], Context]) -> None:
        self.open_context = open_context

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
            duration = GaugeMetricFamily(
                "cloudsift_collect_duration_seconds", "How long the last collection took."
            )
            last = store.execute(
                "SELECT seconds FROM workflow_runs WHERE workflow = 'collect' ORDER BY started_at DESC LIMIT 1"
            )
            if last:
                duration.add_metric([], float(last[0][0]))
            yield duration
            runs = CounterMetricFamily(
                "cloudsift_collect_runs", "Collections, by outcome.", labels=["outcome"]
            )
            for outcome, count in store.execute(
                "SELECT outcome, count(*) FROM workflow_runs WHERE workflow = 'collect' GROUP BY outcome ORDER BY 1"
            ):
                runs.add_metric([outcome], count)
            yield runs
            errors = GaugeMetricFamily(
                "cloudsift_collect_errors", "(account, region) partitions whose last collection failed."
            )
            errors.add_metric([], sum(1 for p in store.partitions() if p.error is not None))
            yield errors
            jobs = CounterMetricFamily("cloudsift_job_runs", "Job runs, by outcome.", labels=["outcome"])
            for outcome, count in store.execute(
                "SELECT outcome, count(*) FROM job_runs GROUP BY outcome ORDER BY 1"
            ):
                jobs.add_metric([outcome], count)
            yield jobs
            outbox = GaugeMetricFamily(
                "cloudsift_outbox_events", "Alert events in the outbox, by state.", labels=["state"]
            )
            states = dict(store.execute("SELECT state, count(*) FROM outbox GROUP BY state"))
            for state in ("pending", "delivered", "failed"):
                outbox.add_metric([state], states.get(state, 0))
            yield outbox
            yield from _sink_metrics(store)
        finally:
            ctx.close()


def render_metrics(open_context: Callable[[], Context]) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StoreCollector(open_context))
    return generate_latest(registry)


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
