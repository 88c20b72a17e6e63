"""The pagerduty sink and the alert state: `search … | pagerduty …`, `alerts list|outbox|deliver`."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import orjson

from cloudsift.alerts import pagerduty as pd
from cloudsift.alerts.outbox import Delivery, Outbox
from cloudsift.alerts.state import AlertStates, unclean
from cloudsift.commands.base import RESOURCES, Command, Context, Option, command
from cloudsift.commands.output import doc_value, is_node
from cloudsift.commands.search import open_nodes
from cloudsift.errors import UsageError

SINK = "pagerduty"

# What a sink may be fed: the nodes of a search. A producer of other findings (a report's check
# results) adds its kind here; anything else in front of a sink is a usage error, found at parse time.
SINK_INPUTS: set[str] = {RESOURCES}


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


@command
class PagerDutyCommand(Command):
    """Alert PagerDuty (Events API v2) about the nodes of a search; resolve the alert once they are gone.

    Every matching resource goes into `custom_details` (cloud, account, region, resource), up to 512 KB.
    No result sends nothing, unless this dedup key is open: then one resolve is sent, but only when the
    last collection covered cleanly every account and region where its resources lived (no false clears).
    Events go through a durable outbox: a 429 or 5xx is retried now and by later runs, never lost.
    Defaults come from [pagerduty] in the config, so `--summary` and `--dedup-key` are enough.

    Example: `search is(aws_ec2_security_group) and name =~ open | pagerduty --summary "Open groups" --dedup-key open_groups --routing-key 0123456789abcdefABCDEF0123456789 --dry-run`
    """

    name = "pagerduty"
    formatter = True
    options = (
        Option("--summary", "The alert's text (up to 1024 characters).", str, None, required=True),
        Option(
            "--dedup-key", "Names the alert: the same key updates and resolves it.", str, None, required=True
        ),
        Option(
            "--routing-key", "Events API v2 integration key (default: [pagerduty] routing_key).", str, None
        ),
        Option("--severity", "critical, error, warning or info.", str, None, pd.SEVERITIES),
        Option("--source", "payload.source (default: [pagerduty] source).", str, None),
        Option("--component", "payload.component.", str, None),
        Option("--group", "payload.group.", str, None),
        Option("--class", "payload.class.", str, None),
        Option(
            "--event-action", "trigger (default with results), acknowledge or resolve.", str, None, pd.ACTIONS
        ),
        Option("--client", "The sender's name shown in PagerDuty.", str, None),
        Option("--client-url", "The sender's link shown in PagerDuty.", str, None),
        Option("--webhook-url", "Where events go (default: [pagerduty] events_url).", str, None),
        Option(
            "--group-resources",
            "true: resources grouped by cloud, account, region; false: one flat map.",
            str,
            "true",
            ("true", "false"),
        ),
        Option("--resource-id", "The property that keys each resource (default id; e.g. arn).", str, "id"),
        Option(
            "--resource-properties",
            "name=path pairs shown per resource (default id=id,name=name,kind=kind).",
            str,
            None,
        ),
        Option("--no-resolve", "Do not resolve when nothing matches.", bool, False),
        Option("--dry-run", "Print the event instead of sending it.", bool, False),
    )

    def check_input(self, given: str | None) -> None:
        check_sink_input(self.name, given)

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        config = ctx.config.pagerduty
        if not self.args["summary"] or not self.args["dedup_key"]:
            raise UsageError("pagerduty needs --summary and --dedup-key")
        if len(self.args["dedup_key"]) > 255:
            raise UsageError("pagerduty: --dedup-key is longer than 255 characters")
        key = self.args["routing_key"] or (
            config.routing_key.get_secret_value() if config.routing_key else None
        )
        # A dry run shows the event before there is a key to send it with.
        routing_key = NO_KEY if self.args["dry_run"] and not key else pd.check_routing_key(key)
        options = pd.EventOptions(
            routing_key=routing_key,
            summary=self.args["summary"],
            dedup_key=self.args["dedup_key"],
            severity=self.args["severity"] or config.severity,
            source=self.args["source"] or config.source,
            component=self.args["component"],
            group=self.args["group"],
            class_=self.args["class"],
            client=self.args["client"] or config.client or None,
            client_url=self.args["client_url"] or config.client_url or None,
        )
        if options.severity not in pd.SEVERITIES:
            raise UsageError(f"pagerduty: severity must be one of {', '.join(pd.SEVERITIES)}")
        url = self.args["webhook_url"] or config.events_url
        nodes = [n for n in open_nodes(stream) if is_node(n)]
        action = self.args["event_action"] or ("trigger" if nodes else "resolve")
        states = AlertStates(ctx.store)
        current = states.get(SINK, routing_key, options.dedup_key)
        if action == "resolve" and self.args["event_action"] is None:
            if current is None or current.state != "triggered" or self.args["no_resolve"]:
                yield f"pagerduty {options.dedup_key}: nothing matches, nothing to send."
                return
            problems = unclean(ctx.store, current.partitions)
            if problems:
                yield (
                    f"pagerduty {options.dedup_key}: nothing matches, but the alert stays open: the last collection "
                    f"did not cover cleanly {'; '.join(problems)}"
                )
                return
        if action == "trigger":
            body = pd.trigger(options, nodes, ctx.now, self._shape(ctx))
        else:
            body = {"routing_key": routing_key, "event_action": action, "dedup_key": options.dedup_key}
        if self.args["dry_run"]:
            shown = {**body, "routing_key": routing_key if routing_key == NO_KEY else pd.mask(routing_key)}
            yield orjson.dumps(shown, option=orjson.OPT_INDENT_2).decode()
            return
        outbox = Outbox(ctx.store)
        own = outbox.put(SINK, url, options.dedup_key, body, ctx.now)
        if action in ("trigger", "resolve"):
            state = "triggered" if action == "trigger" else "resolved"
            states.put(
                SINK,
                routing_key,
                options.dedup_key,
                state,
                options.summary,
                len(nodes),
                pd.partitions_of(nodes),
                ctx.now,
            )
        yield from _deliver(ctx, outbox, own)

    def _shape(self, ctx: Context) -> pd.Shape:
        properties = pd.DEFAULT_PROPERTIES
        if self.args["resource_properties"]:
            pairs = []
            for item in self.args["resource_properties"].split(","):
                name, sep, path = item.strip().partition("=")
                if not sep or not name or not path:
                    raise UsageError(
                        f"pagerduty: --resource-properties takes name=path pairs, not {item.strip()!r}"
                    )
                pairs.append((name.strip(), path.strip()))
            properties = tuple(pairs)
        return pd.Shape(
            lambda node, path: doc_value(node, path, ctx.now),
            self.args["group_resources"] == "true",
            self.args["resource_id"],
            properties,
        )


NO_KEY = "(not set)"


def deliver_pending(ctx: Context, sleep: Callable[[float], None] = time.sleep) -> list[Delivery]:
    """Send what the outbox holds, with the configured retries (`sleep` waits between them)."""
    config = ctx.config.pagerduty
    with ctx.runner.delivery_lock:  # one delivery at a time per process: each event once, in order
        return Outbox(ctx.store).deliver(tries=config.retries, base=config.retry_base_seconds, sleep=sleep)


def _deliver(ctx: Context, outbox: Outbox, own: str | None = None) -> list[str]:
    """Send what is pending; `own` is the event this run made, reported even when another delivery
    (the server's loop) took it first."""
    results = deliver_pending(ctx)
    if own is not None and all(r.item.id != own for r in results):
        item = next(i for i in outbox.items() if i.id == own)
        results.append(Delivery(item, item.state, item.last_error or ""))
    return [_describe(result) for result in results]


def _describe(result: Delivery) -> str:
    body = result.item.body
    what = f"{body.get('event_action')} {result.item.dedup_key}"
    if result.outcome == "delivered":
        count = ((body.get("payload") or {}).get("custom_details") or {}).get("total")
        return f"pagerduty: {what} sent" + (f" ({count} resources)." if count is not None else ".")
    if result.outcome == "failed":
        return f"pagerduty: {what} refused by PagerDuty: {result.detail}"
    return f"pagerduty: {what} not delivered yet ({result.detail}); it stays in the outbox and is retried."


@command
class AlertsCommand(Command):
    """Alert state and the outbox: `alerts list`, `alerts outbox`, `alerts deliver` (retry what is pending).

    Example: `alerts list`
    """

    name = "alerts"
    source = True
    formatter = True
    positional = "list|outbox|deliver"

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        action = self.rest[0] if self.rest else "list"
        if action == "list":
            states = AlertStates(ctx.store).all()
            if not states:
                yield "No alerts yet."
            for s in states:
                why = ""
                if s.state == "triggered":
                    problems = unclean(ctx.store, s.partitions)
                    why = (
                        f"; will not resolve until collected cleanly: {'; '.join(problems)}"
                        if problems
                        else ""
                    )
                yield (
                    f"{s.sink} {s.dedup_key}: {s.state}, {s.resources} resources, since "
                    f"{s.updated_at.isoformat()}{why}"
                )
        elif action == "outbox":
            items = Outbox(ctx.store).items()
            if not items:
                yield "The outbox is empty."
            for item in items:
                error = f", last error: {item.last_error}" if item.last_error else ""
                yield (
                    f"{item.created_at.isoformat()} {item.sink} {item.body.get('event_action')} {item.dedup_key}: "
                    f"{item.state} after {item.attempts} attempts{error}"
                )
        elif action == "deliver":
            yield from _deliver(ctx, Outbox(ctx.store)) or ["Nothing to deliver."]
        else:
            raise UsageError("alerts list | alerts outbox | alerts deliver")
