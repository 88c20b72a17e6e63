"""Every registered sink as a command: `search … | SINK --summary … --dedup-key …` with the options all
sinks share declared once, the sink's own after them; the line delivers its own events within the budget."""

from __future__ import annotations

import itertools
import re
import shlex
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

import orjson

from cloudsift.alerts.lifecycle import Decision, Wording, decide
from cloudsift.alerts.outbox import Delivery, Outbox, RetryPolicy
from cloudsift.alerts.per_resource import MAX_PARENT_KEY, PerResource, decide_each
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
    Option(
        "--per-resource",
        "One alert per resource found (dedup key KEY:<node id>), each resolving on its own.",
        bool,
        False,
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


_FIX_OPTION = re.compile(r"([a-z][a-z_-]*)=(.*)\Z", re.DOTALL)


def fix_options(name: str, raw: str, options: tuple[Option, ...]) -> str:
    """Fix's spelling of a sink's options, `pagerduty summary="…" dedup_key="…"`, as ours: a word
    `key=value` naming a declared option (dedup_key or dedup-key) is `--key value`; a flag takes true or
    false (`dry_run=true`). Both spellings may be mixed in one line and mean the same."""
    try:
        words = shlex.split(raw)
    except ValueError:
        return raw  # the option parser names the problem
    by_dest = {o.dest: o for o in options}
    takes_value = {o.name for o in options if o.kind is not bool} | {
        o.short for o in options if o.short and o.kind is not bool
    }
    out: list[str] = []
    for i, word in enumerate(words):
        match = _FIX_OPTION.match(word)
        option = by_dest.get(match.group(1).replace("-", "_")) if match else None
        if match is None or option is None or (i > 0 and words[i - 1] in takes_value):  # --summary a=b
            out.append(word)
        elif option.kind is bool:
            value = match.group(2).lower()
            if value not in ("true", "false"):
                raise UsageError(f"{name}: {match.group(1)} takes true or false, not {match.group(2)!r}")
            out += [option.name] if value == "true" else []
        else:
            out += [option.name, match.group(2)]
    return shlex.join(out)


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
        super().parse(fix_options(self.name, raw, self.options))
        if self.args["dedup_key"] and len(self.args["dedup_key"]) > 255:
            raise UsageError(f"{self.name}: --dedup-key is longer than 255 characters")
        if (
            self.args["per_resource"]
            and self.args["dedup_key"]
            and len(self.args["dedup_key"]) > MAX_PARENT_KEY
        ):
            raise UsageError(
                f"{self.name}: with --per-resource, --dedup-key may have at most {MAX_PARENT_KEY} characters "
                "(each resource's key adds its id)"
            )
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
        if self.args["per_resource"]:
            yield from per_resource_lines(ctx, sink, wording, decide_each(ctx.store, sink, wording, nodes,
                                                                          lambda: ctx.now, dry_run))  # fmt: skip
            return
        decision = decide(ctx.store, sink, wording, nodes, lambda: ctx.now, dry_run)
        if decision.action is None:
            yield f"{self.name} {wording.dedup_key}: {decision.reason}"
        elif dry_run:
            yield _shown(sink, decision)
        else:
            deliveries = deliver_own(ctx, self.name, [wording.dedup_key], [decision.event_id])
            yield from [describe(d, ctx.served) for d in deliveries]


def _shown(sink: Sink, decision: Decision) -> str:
    assert decision.request is not None
    text = orjson.dumps(decision.request.body, option=orjson.OPT_INDENT_2).decode()
    for secret in sink.secrets():
        text = text.replace(secret, mask(secret))
    return text


def deliver_own(
    ctx: Context, sink: str, dedup_keys: list[str], event_ids: list[str | None]
) -> list[Delivery]:
    """Deliver this line's dedup keys (their events, after any older one of the same key) within the
    budget; other keys are left to the server's loop and `alerts deliver`."""
    outbox = Outbox(ctx.store)
    results = outbox.deliver(keys=[(sink, key) for key in dedup_keys], policy=retry_policy(ctx.config))
    seen = {r.item.id for r in results}
    missing = [i for i in event_ids if i is not None and i not in seen]
    # Another delivery (the server's loop, another process) took them first: report how it went.
    for item in outbox.items(ids=missing) if missing else []:
        outcome = "delivered" if item.state == "delivered" else item.state
        results.append(Delivery(item, outcome, item.last_error or ""))
    return results


def per_resource_lines(ctx: Context, sink: Sink, wording: Wording, decided: PerResource) -> Iterator[str]:
    """A line per outcome, not per alert (a run may decide a thousand): how many were sent of each
    action, and each one refused or left pending by itself; then the alerts held open, and why."""
    name, key = sink.name, wording.dedup_key
    if decided.decisions and sink.dry_run:
        yield from [_shown(sink, d) for d in decided.decisions]
    elif decided.decisions:
        deliveries = deliver_own(ctx, name, decided.dedup_keys, [d.event_id for d in decided.decisions])
        sent: dict[str, list[str]] = {}
        for d in deliveries:
            if d.outcome == "delivered":
                sent.setdefault(d.item.action, []).append(str(d.item.dedup_key))
        for action, keys in sorted(sent.items(), key=lambda pair: pair[0] != "trigger"):
            yield f"{name} {key}: {action} sent for {_count(keys)} ({_named(key, keys)})."
        yield from [describe(d, ctx.served) for d in deliveries if d.outcome != "delivered"]
    for why, keys in decided.held.items():
        yield f"{name} {key}: {_count(keys)} no longer found, still open ({_named(key, keys)}): {why}."
    if not decided.decisions and not decided.held:
        yield f"{name} {key}: nothing matches, no alert of it is open, nothing to send."


def _count(keys: list[str]) -> str:
    return f"{len(keys)} resource" + ("" if len(keys) == 1 else "s")


def _named(parent: str, keys: list[str], shown: int = 3) -> str:
    ids = [k.removeprefix(f"{parent}:") for k in sorted(keys)]
    return ", ".join(ids[:shown]) + (f" and {len(ids) - shown} more" if len(ids) > shown else "")


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
