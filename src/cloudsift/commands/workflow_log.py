"""`workflows history` and `workflows log RUN_ID`: the runs kept in the store, and one run's steps
(account, region, service, start, duration, outcome), the failed ones' errors, secrets masked."""

from __future__ import annotations

from typing import Any

from cloudsift.collect.run_log import Step, steps_of
from cloudsift.errors import UsageError
from cloudsift.redact import mask_secrets
from cloudsift.store.base import Store

_RUN_COLUMNS = "id, workflow, started_at, seconds, outcome, summary"


def history_lines(store: Store) -> list[str]:
    rows = store.execute(f"SELECT {_RUN_COLUMNS} FROM workflow_runs ORDER BY started_at")
    return [f"{r[0]} {r[1]} {r[2].isoformat()}: {r[4]} in {r[3]:.1f}s; {mask_secrets(str(r[5]).splitlines()[-1])}"
            for r in rows] or ["No workflow has run yet."]  # fmt: skip


def run_ids(store: Store) -> list[str]:
    """The ids of the kept runs, newest first (for completion)."""
    return [str(r[0]) for r in store.execute("SELECT id FROM workflow_runs ORDER BY started_at DESC")]


def run_log(store: Store, run_id: str) -> list[Any]:
    """The log of one run: what it was, a table of its steps, the counts, then its summary."""
    from cloudsift.commands.output import Table

    rows = store.execute(
        f"SELECT {_RUN_COLUMNS} FROM workflow_runs WHERE starts_with(id, ?) ORDER BY started_at", [run_id]
    )
    exact = [r for r in rows if r[0] == run_id]
    if exact or len(rows) == 1:
        rows = exact or rows
    elif rows:
        raise UsageError(f"workflows log: {run_id!r} starts several run ids ({', '.join(r[0] for r in rows)}); "
                         "give more of it")  # fmt: skip
    else:
        raise UsageError(
            f"workflows log: no run has the id {run_id!r}; `workflows history` lists the runs and their ids"
        )
    rid, workflow, started_at, seconds, outcome, summary = rows[0]
    steps = steps_of(store, rid)
    out: list[Any] = [f"Run {rid}: {workflow}, started {started_at.isoformat(timespec='seconds')}, "
                      f"{seconds:.1f}s, {outcome}."]  # fmt: skip
    if steps:
        out.append(Table(["account", "region", "service", "started", "seconds", "resources", "outcome"],
                         [_step_row(step) for step in steps]))  # fmt: skip
        failed = [step for step in steps if step.error is not None]
        # whole lines below the table, where a long error is not wrapped into a column
        out += [f"error: {s.account} {s.region} {s.service}: {mask_secrets(s.error or '')}" for s in failed]
        out.append(f"{len(steps)} steps: {len(steps) - len(failed)} ok, {len(failed)} failed; "
                   f"{sum(step.resources for step in steps)} resources found.")  # fmt: skip
    else:
        out.append("No steps were kept for this run (it ran before cloudsift kept them).")
    out += [mask_secrets(line) for line in str(summary or "").splitlines()]
    return out


def _step_row(step: Step) -> list[str]:
    started = step.started_at.strftime("%H:%M:%S") if step.started_at else "-"
    outcome = "ok" if step.error is None else "error"
    return [
        step.account,
        step.region,
        step.service,
        started,
        f"{step.seconds:.2f}",
        str(step.resources),
        outcome,
    ]
