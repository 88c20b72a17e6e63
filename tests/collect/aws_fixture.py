"""A moto server on 127.0.0.1, reached over HTTP through the fault proxy (tests/collect/fault_proxy.py)."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from moto.server import ThreadedMotoServer

import cloudsift.collect.aws.accounts as accounts
from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, Config
from cloudsift.demo_aws import serve_missing_apis
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.fault_proxy import Fault, FaultProxy


@dataclass
class AwsEmulator(FaultProxy):
    """moto behind the fault proxy; `failing` holds region names whose requests are refused with 403."""

    moto_url: str = ""
    failing: set[str] = field(default_factory=set)
    # signing names of services refused with 403 in every region ("logs", "monitoring", "cloudtrail", ...)
    failing_services: set[str] = field(default_factory=set)

    def fault_for(self, region: str, service: str, action: str) -> Fault | None:
        if region in self.failing or service in self.failing_services:
            return Fault("403", region=region, service=service)
        return super().fault_for(region, service, action)


def start_aws() -> Iterator[AwsEmulator]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto logs every request otherwise
    serve_missing_apis()  # the APIs a full collection calls that moto lacks
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    emulator = AwsEmulator(target=f"http://{host}:{port}", moto_url=f"http://{host}:{port}")
    emulator.start()
    try:
        yield emulator
    finally:
        emulator.stop()
        moto.stop()


def collected_region(home: Path, region: str = "eu-west-1") -> DuckDBStore:
    """A new store holding one clean collection of the region (and the account's global partition)."""
    store = DuckDBStore()
    summary = collect_aws(store, Config(home=home, aws=AwsConfig(regions=[region])))
    assert summary.ok, list(summary.lines())
    return store


Recorded = Counter[tuple[str | None, str, str]]


def record_calls(monkeypatch: pytest.MonkeyPatch) -> Recorded:
    """How often each (client's region, boto3 service, operation) is called by the collector's sessions
    from now on (botocore's event hooks; the collector's threads call side by side)."""
    calls: Recorded = Counter()
    lock = threading.Lock()
    made = accounts.new_session

    def recording(*args: Any, **kwargs: Any) -> Any:
        session = made(*args, **kwargs)

        def record(model: Any, context: dict[str, Any], **_: Any) -> None:
            with lock:
                calls[(context.get("client_region"), model.service_model.service_name, model.name)] += 1

        session.events.register("before-call", record)
        return session

    monkeypatch.setattr(accounts, "new_session", recording)
    return calls
