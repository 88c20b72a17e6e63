"""One alert per failing check: `report benchmark run ID | SINK` decides, for every evaluated check, a
trigger (it fails) or a resolve (it passes), through the lifecycle every sink shares: dedup key = the
check id (or check id and account with `--dedup-by account`), and a resolve only after a clean collection
of every place its resources were in (no false clear). Checks not evaluated, manual or in error decide
nothing: their alerts stay as they are."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from cloudsift.alerts.lifecycle import Wording, decide
from cloudsift.errors import UsageError
from cloudsift.report.result import CheckResult, Report, Resource

if TYPE_CHECKING:
    from cloudsift.commands.base import Context
    from cloudsift.commands.sinks import SinkCommand

# A check's severity in the words every sink understands.
_SEVERITY = {"critical": "critical", "high": "error", "medium": "warning", "low": "info", "info": "info"}


def node_of(resource: Resource) -> dict[str, Any]:
    """A failing resource as the node document sinks group by cloud, account and region."""
    ancestors = {
        "cloud": {"reported": {"id": resource.cloud, "name": resource.cloud}},
        "account": {"reported": {"id": resource.account, "name": resource.account_name or resource.account}},
        "region": {"reported": {"id": resource.region, "name": resource.region}},
    }
    reported = {"id": resource.id, "name": resource.name, "kind": resource.kind}
    return {"id": resource.node_id, "reported": reported, "ancestors": ancestors}


def _alerts(
    result: CheckResult, by_account: bool, accounts: list[str]
) -> Iterator[tuple[str, list[Resource]]]:
    """(dedup key, failing resources) per alert of a check; per account, every account seen gets one."""
    if not by_account:
        yield result.check.id, list(result.failed)
        return
    for account in accounts:
        yield f"{result.check.id}:{account}", [r for r in result.failed if r.account == account]


def alert_per_check(cmd: SinkCommand, ctx: Context, report: Report) -> Iterator[str]:
    from cloudsift.commands.sinks import _shown, deliver_own, describe

    if cmd.args.get("per_resource"):
        raise UsageError(
            f"report … | {cmd.name} opens one alert per failing check; --per-resource is for a search"
        )
    dry_run = bool(cmd.args["dry_run"])
    sink = cmd.sink(cmd.args, ctx.config, dry_run)
    by_account = report.dedup_by == "account"
    accounts = sorted({p.account for p in ctx.store.partitions()}) if by_account else []
    for result in report.check_results():
        if not result.evaluated:
            continue
        for dedup_key, failing in _alerts(result, by_account, accounts):
            check = result.check
            summary = cmd.args["summary"] or f"{check.title}: {len(failing)} failing ({check.id})"
            severity = cmd.args["severity"] or _SEVERITY[check.severity]
            wording = Wording(summary, dedup_key, severity, bool(cmd.args["no_resolve"]))
            nodes = [node_of(r) for r in failing]
            decision = decide(ctx.store, sink, wording, nodes, lambda: ctx.now, dry_run)
            if decision.action is None:
                if failing or decision.reason.startswith("nothing matches, but"):
                    yield f"{cmd.name} {dedup_key}: {decision.reason}"
            elif dry_run:
                yield _shown(sink, decision)
            else:
                deliveries = deliver_own(ctx, cmd.name, [dedup_key], [decision.event_id])
                yield from [describe(d, ctx.served) for d in deliveries]
