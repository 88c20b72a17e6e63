"""What a worker runs: an account's task (open it, list its regions, queue its parts), a part's task
(call AWS for one account x region x service group) and a run's finish (one import, post_collect).

Every task ends by writing its row in one transaction, once: a task killed before that wrote nothing
(but the service it was waiting on, for `collect`'s progress bar) and runs again; a twin of an ended
task does nothing. No stored node changes before the finish.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

import boto3
import orjson

import cloudsift.collect.aws  # noqa: F401  (registers the services)
from cloudsift.collect.aws.accounts import Account, AccountRef, assume_error, open_account, regions_of
from cloudsift.collect.aws.service import SERVICES, Service, services_for
from cloudsift.collect.run_log import Step, done_step, failed_step, not_run_step, steps_json
from cloudsift.collect.runner import GLOBAL, Gathered, gather
from cloudsift.collect.steps import StepFailed, not_run, short_error
from cloudsift.config import Config
from cloudsift.store.postgres import PostgresStore
from cloudsift.workers.queue import COLLECT_PART, FINISH_COLLECTION, defer

log = logging.getLogger("cloudsift.worker")
WORKER = f"{socket.gethostname()}:{os.getpid()}"


class TaskState:
    """A worker process's config, one store handle per task thread, and the accounts it opened."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._local = threading.local()
        self._guard = threading.Lock()
        self._accounts: dict[str, Account] = {}
        self._bases: dict[str | None, boto3.Session] = {}

    @contextlib.contextmanager
    def store(self) -> Iterator[PostgresStore]:
        store: PostgresStore | None = getattr(self._local, "store", None)
        if store is None or store.conn.closed:
            store = self._local.store = PostgresStore(self.config.store.url, self.config.store.schema)
        try:
            yield store
        except Exception:
            store.close()  # a broken connection is not reused
            self._local.store = None
            raise

    def account(self, ref: AccountRef) -> Account:
        """The account's session, opened once per process (assumed roles refresh themselves)."""
        with self._guard:
            found = self._accounts.get(ref.id)
        if found is None:
            found = open_account(ref, self.config.aws, self._bases)
            with self._guard:
                self._accounts[ref.id] = found
        return found


STATE: TaskState | None = None


def state() -> TaskState:
    assert STATE is not None, "the worker sets its TaskState before it takes tasks"
    return STATE


def part_key(account: str, region: str, group: int) -> str:
    return f"part:{account}:{region}:{group}"


def service_groups(services: list[Service], regions: list[str], groups: int) -> list[tuple[str, list[str]]]:
    """(region, service names) of each part task: each region's services dealt into `groups` groups,
    the account-wide ones into the global pseudo-region."""
    regional = [s.name for s in services if not s.global_]
    parts = [(region, regional[i::groups]) for region in regions for i in range(groups)]
    parts.append((GLOBAL, [s.name for s in services if s.global_]))
    return [(region, names) for region, names in parts if names]


def ended(store: PostgresStore, run_id: str, key: str) -> bool:
    rows = store.execute(
        "SELECT ended_at IS NOT NULL FROM collect_tasks WHERE run_id = ? AND key = ?", [run_id, key]
    )
    return not rows or bool(rows[0][0])  # a task of a run that is gone has nothing to do


def end_task(store: PostgresStore, run_id: str, key: str, **values: Any) -> None:
    """Write the task's row and end it, once; the task that ends a run's last open one queues its finish."""
    columns = ["ended_at = now()", "worker = ?", *(f"{name} = ?" for name in values)]
    params = [WORKER, *values.values(), run_id, key]
    with store.transaction():
        store.lock(f"collect-run:{run_id}")  # serialises the ends of one run: one of them sees the last
        done = store.execute(
            f"UPDATE collect_tasks SET {', '.join(columns)} WHERE run_id = ? AND key = ? AND ended_at IS NULL "
            "RETURNING key",
            params,
        )
        left = store.execute(
            "SELECT count(*) FROM collect_tasks WHERE run_id = ? AND ended_at IS NULL", [run_id]
        )
    if done and not left[0][0]:
        queue_finish(state().config, run_id)


def queue_finish(config: Config, run_id: str) -> None:
    defer(config, FINISH_COLLECTION, lock=f"finish:{run_id}", queueing_lock=f"finish:{run_id}", run_id=run_id)


def collect_account(run_id: str, ref: dict[str, Any], kinds: list[str] | None) -> None:
    """Open the account (assume its role), list its regions, queue one task per region and service group."""
    account_ref = AccountRef(**ref)
    key = f"account:{account_ref.id}"
    cfg = state().config
    with state().store() as store:
        if ended(store, run_id, key):
            return
        try:
            account = state().account(account_ref)
        except Exception as e:  # the account keeps what it had; the others go on
            end_task(
                store, run_id, key, errors=orjson.dumps([assume_error(cfg.aws, e)]).decode(), opened=False
            )
            return
        try:
            regions, unknown = regions_of(account, cfg.aws)
        except Exception as e:
            end_task(store, run_id, key, errors=orjson.dumps([f"cannot list regions: {short_error(e)}"]).decode(),
                     opened=True, alias=account.alias)  # fmt: skip
            return
        parts = service_groups(services_for(kinds), regions, cfg.workers.service_groups)
        with store.transaction():
            for group, (region, names) in enumerate(parts):
                store.execute(
                    "INSERT INTO collect_tasks (run_id, key, account, region, services) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT DO NOTHING",
                    [
                        run_id,
                        part_key(account.id, region, group),
                        account.id,
                        region,
                        orjson.dumps(names).decode(),
                    ],
                )
        for group, (region, names) in enumerate(parts):
            # Tasks of one account share `per_account` locks: AWS throttles per account and API.
            defer(cfg, COLLECT_PART, lock=f"account:{account.id}:{group % cfg.workers.per_account}",
                  run_id=run_id, ref=ref, region=region, group=group, services=names)  # fmt: skip
        end_task(store, run_id, key, opened=True, alias=account.alias, regions=orjson.dumps(regions).decode(),
                 problems=orjson.dumps(unknown).decode())  # fmt: skip


def collect_part(run_id: str, ref: dict[str, Any], region: str, group: int, services: list[str]) -> None:
    """Call AWS for these services in one (account, region); its row holds what they found."""
    account_ref = AccountRef(**ref)
    key = part_key(account_ref.id, region, group)
    with state().store() as store:
        if ended(store, run_id, key):
            return
        found: list[Gathered] = []
        steps: list[Step] = []
        try:
            account = state().account(account_ref)
        except Exception as e:
            errors = [f"session: {short_error(e)}"]
        else:
            found, errors, steps = _gather_services(store, run_id, key, account, region, services)
        ids = [i for f in found for i in f.ids]
        edges = [e for f in found for e in f.edges]
        own = sum(f.own_resources for f in found)
        # by service, what each writes on the account's node (the iam service: the password policy)
        written = {name: props for f in found for name, props in f.account_props.items()}
        end_task(store, run_id, key, errors=orjson.dumps(errors).decode(), lines=b"".join(f.lines for f in found),
                 found=orjson.dumps({"ids": ids, "edges": edges, "own": own, "account": written}),
                 seconds=sum(f.seconds for f in found), steps=steps_json(steps))  # fmt: skip


def _gather_services(
    store: PostgresStore, run_id: str, key: str, account: Account, region: str, services: list[str]
) -> tuple[list[Gathered], list[str], list[Step]]:
    """What each service found, the errors (the other services go on) and the steps for the run's log;
    the task's row names the service waited on. After a timeout the services left are not called: they
    would wait as long."""
    found: list[Gathered] = []
    errors: list[str] = []
    steps: list[Step] = []
    for at, name in enumerate(services):
        store.execute("UPDATE collect_tasks SET waiting = ?, waiting_since = now() WHERE run_id = ? AND key = ?",
                      [name, run_id, key])  # fmt: skip
        try:
            found.append(gather(account, region, SERVICES.get(name)))
            steps.append(done_step(account.id, region, name, found[-1].seconds, len(found[-1].ids)))
        except StepFailed as failed:
            errors.append(failed.describe(name, account.id, region))
            steps.append(failed_step(account.id, region, name, failed))
            if failed.timed_out:
                if services[at + 1 :]:
                    errors.append(not_run(services[at + 1 :]))
                    steps += [not_run_step(account.id, region, left) for left in services[at + 1 :]]
                break
    return found, errors, steps


def finish_collection(run_id: str) -> None:
    from cloudsift.workers.finish import finish

    with state().store() as store:
        finish(store, state().config, run_id)


def account_ref_args(ref: AccountRef) -> dict[str, Any]:
    return asdict(ref)
