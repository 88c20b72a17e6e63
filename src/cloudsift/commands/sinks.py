"""Every registered sink as a command: `search … | SINK --summary … --dedup-key …` with the options all
sinks share declared once, the sink's own after them; the line delivers its own events within the budget."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

import orjson

from cloudsift.alerts.lifecycle import Decision, Wording, decide
from cloudsift.alerts.outbox import Delivery, Outbox, RetryPolicy
from cloudsift.alerts.sink import SEVERITIES, SINKS, Sink, mask
from cloudsift.commands.base import RESOURCES, Command, Context, Option
from cloudsift.commands.output import is_node
from cloudsift.commands.search import open_nodes
from cloudsift.config import Config
from cloudsift.errors import UsageError

SHARED_OPTIONS = (
    Option("--summary", "The alert's text (cut at the sink's limit).", str, None, required=True),
    Option("--dedup-key", "Names the alert: the same key updates and resolves it.", str, None, required=True),
    Option("--severity", "critical, error, warning or info.", str, None, SEVERITIES),
    Option("--no-resolve", "Do not resolve when nothing matches.", bool, False),
    Option(
        "--resolve-after",
        "Resolve only after N runs in a row that find nothing over a clean collection.",
        int,
        1,
        minimum=1,
        maximum=1000,
    ),
    Option("--dry-run", "Print the event instead of sending it.", bool, False),
)

# What a sink may be fed: the nodes of a search. A producer of other findings (a report's check
# results) adds its kind here; anything else in front of a sink is a usage error, found at parse time.
SINK_INPUTS: set[str] = {RESOURCES}
# Producers of other findings say how a sink alerts on them: the element they hand it, and the function
# that decides and delivers (a report: one alert per failing check).
FINDINGS: dict[type, Callable[[SinkCommand, Context, Any], Iterator[str]]] = {}


def check_sink_input(sink: str, given: str | None) -> None:
    """A sink must know that what it gets is the result of a search (and so that nothing found means
    fixed): a line without one, or whose input is not resources, would page or resolve on nonsense."""
    if given is None:
        raise UsageError(
            f"{sink} needs the result of a search in front of it: `search QUERY | {sink} …` "
            "(count, jq, echo, aggregates and the like give no resources); nothing was sent"
        )
    if given not in SINK_INPUTS:
        raise UsageError(
            f"{sink} cannot alert on {given}: it needs the resources of a search; nothing was sent"
        )


def retry_policy(config: Config) -> RetryPolicy:
    """The delivery budget every sink shares ([pagerduty] deliver_within, retries, retry_base_seconds)."""
    section = config.pagerduty
    return RetryPolicy(
        within=section.deliver_within, retries=section.retries, base=section.retry_base_seconds
    )


class SinkCommand(Command):
    """The command a registered sink becomes (sink_command); its help is the sink's docstring."""

    sink: ClassVar[type[Sink]]
    formatter = True

    def parse(self, raw: str) -> None:
        super().parse(raw)
        if self.args["dedup_key"] and len(self.args["dedup_key"]) > 255:
            raise UsageError(f"{self.name}: --dedup-key is longer than 255 characters")
        self.sink.check_args(self.args)

    def check_required(self) -> None:
        return None  # in check_input: findings other than resources name their own alerts

    def check_input(self, given: str | None) -> None:
        check_sink_input(self.name, given)
        if given == RESOURCES:
            super().check_required()

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        elements = iter(stream)
        first = next(elements, None)
        handler = FINDINGS.get(type(first))
        if handler is not None:
            yield from handler(self, ctx, first)
            return
        stream = itertools.chain([] if first is None else [first], elements)
        dry_run = bool(self.args["dry_run"])
        sink = self.sink(self.args, ctx.config, dry_run)
        nodes = [n for n in open_nodes(stream) if is_node(n)]
        wording = Wording(self.args["summary"], self.args["dedup_key"],
                          self.args["severity"] or sink.default_severity(), bool(self.args["no_resolve"]),
                          int(self.args["resolve_after"]))  # fmt: skip
        if wording.severity not in SEVERITIES:
            raise UsageError(f"{self.name}: severity must be one of {', '.join(SEVERITIES)}")
        decision = decide(ctx.store, sink, wording, nodes, lambda: ctx.now, dry_run)
        if decision.action is None:
            yield f"{self.name} {wording.dedup_key}: {decision.reason}"
        elif dry_run:
            yield _shown(sink, decision)
        else:
            yield from deliver_own(ctx, self.name, wording.dedup_key, decision.event_id)


def _shown(sink: Sink, decision: Decision) -> str:
    assert decision.request is not None
    text = orjson.dumps(decision.request.body, option=orjson.OPT_INDENT_2).decode()
    for secret in sink.secrets():
        text = text.replace(secret, mask(secret))
    return text


def deliver_own(ctx: Context, sink: str, dedup_key: str, event_id: str | None) -> list[str]:
    """Deliver this line's dedup key (its event, after any older one of the same key) within the
    budget; other keys are left to the server's loop and `alerts deliver`."""
    results = Outbox(ctx.store).deliver(keys=[(sink, dedup_key)], policy=retry_policy(ctx.config))
    if event_id is not None and all(r.item.id != event_id for r in results):
        # Another delivery (the server's loop, another process) took it first: report how it went.
        [item] = Outbox(ctx.store).items(ids=[event_id])
        outcome = "delivered" if item.state == "delivered" else item.state
        results.append(Delivery(item, outcome, item.last_error or ""))
    return [describe(result, ctx.served) for result in results]


def describe(result: Delivery, served: bool) -> str:
    item = result.item
    what = f"{item.sink}: {item.action} {item.dedup_key}"
    if result.outcome == "delivered":
        return f"{what} sent" + (f" ({item.resources} resources)." if item.resources is not None else ".")
    if result.outcome == "failed":
        receiver = SINKS.get(item.sink).receiver if item.sink in SINKS else ""
        return f"{what} refused by {receiver or item.sink}: {result.detail}"
    if result.outcome == "superseded":
        return f"{what} not sent: {result.detail}."
    later = "the server retries it" if served else "`cloudsift serve` or `alerts deliver` retries it"
    return f"{what} not delivered yet ({result.detail}); it stays in the outbox: {later}."


def sink_command(cls: type[Sink]) -> type[SinkCommand]:
    """The command of a sink: its name, its help, the shared options then its own."""
    return type(
        f"{cls.__name__}Command",
        (SinkCommand,),
        {
            "name": cls.name,
            "sink": cls,
            "options": SHARED_OPTIONS + cls.options,
            "__doc__": cls.__doc__,
            "__module__": cls.__module__,
        },
    )
