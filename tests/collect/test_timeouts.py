"""An AWS endpoint that accepts connections and never answers (the fault proxy's `hang`: a local server
that takes the connection and sends nothing) fails its partition in bounded time: the others are collected
and stored, the hung one keeps its last good data, the collection exits with the partial-failure code and
names what it waited for. moto over HTTP, the CLI in a process; in one process on both engines, and split
over a worker process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from cloudsift.store.base import Store
from cloudsift.store.postgres import PostgresStore
from tests.collect.aws_fixture import AwsEmulator
from tests.collect.fault_proxy import Fault
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.conftest import POSTGRES_URL
from tests.workers.workers_fixture import ACCOUNTS, Setup, setups  # noqa: F401  (the fixture)

PARTIAL = 4
CALLER = "123456789012"
# Short timeouts, three tries: a hung call gives up after about 3 x 3 s (plus backoffs of a few seconds)
# instead of botocore's 8 x 60 s, while a moto call slower than 3 s on a loaded machine is tried again.
TIMEOUTS = {"connect_timeout": 2, "read_timeout": 3, "max_attempts": 3}
BOUND = 60  # seconds a collection with a hung region may take here
KINDS = "aws_sns_topic,aws_sqs_queue"  # two services: sns (which hangs) first, then sqs
GROUPS = "aws_ec2_security_group,aws_sns_topic,aws_sqs_queue"  # three services: a region's hang stops all


def configure(home: Path, store: Store, settings: dict[str, int] | None = None) -> None:
    """Regions us-east-1 and eu-central-1, these [aws] settings, the engine of `store` (DuckDB: a file in
    home)."""
    engine = (f'[store]\nurl = "{POSTGRES_URL}"\nschema = "{store.schema}"\n'
              if isinstance(store, PostgresStore) else "")  # fmt: skip
    lines = "".join(f"{key} = {value}\n" for key, value in (settings or {}).items())
    (home / "config.toml").write_text(
        f'{engine}[aws]\nregions = ["us-east-1", "eu-central-1"]\n{lines}[workflows.collect]\nschedule = ""\n'
    )


def cloudsift(home: Path, line: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLOUDSIFT_HOME": str(home), "CLOUDSIFT_CONFIG": str(home / "config.toml")}
    return subprocess.run([sys.executable, "-m", "cloudsift.cli", "-c", line], env=env, capture_output=True,
                          text=True, timeout=300)  # fmt: skip


def _group(region: str, name: str) -> str:
    ec2 = boto3.client("ec2", region_name=region)
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    return str(ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"])


def _groups(home: Path, region: str) -> list[str]:
    found = cloudsift(home, f"search is(aws_ec2_security_group) and /ancestors.region.reported.name == {region} "
                            "| list --csv id")  # fmt: skip
    assert found.returncode == 0, found.stderr
    return found.stdout.splitlines()[1:]


def _warm(regions: tuple[str, ...] = ("us-east-1", "eu-central-1")) -> None:
    """moto makes a service's backend in a region at its first call, which may take longer than the short
    timeouts on a loaded machine."""
    for region in regions:
        boto3.client("sns", region_name=region).list_topics()
        boto3.client("sqs", region_name=region).list_queues()


def _hung_line(out: str, account: str = CALLER) -> str:
    [line] = [s for s in out.splitlines() if s.startswith(f"aws {account} eu-central-1: ")]
    return line


def test_a_hung_region_fails_in_bounded_time_and_keeps_its_data(
    aws: AwsEmulator,  # noqa: F811
    store: Store,
    tmp_path: Path,
) -> None:
    configure(tmp_path, store)  # the defaults for the first, clean collection
    old = _group("eu-central-1", "collected-before-the-hang")
    first = cloudsift(tmp_path, f"collect --kinds {GROUPS}")
    assert first.returncode == 0, first.stdout + first.stderr
    assert old in _groups(tmp_path, "eu-central-1")
    configure(tmp_path, store, TIMEOUTS)
    new = _group("us-east-1", "created-during-the-hang")
    aws.add(Fault("hang", region="eu-central-1"))
    started = time.monotonic()
    hung = cloudsift(tmp_path, f"collect --kinds {GROUPS}")
    seconds = time.monotonic() - started
    aws.clear()
    assert hung.returncode == PARTIAL, hung.stdout + hung.stderr
    assert seconds < BOUND, f"a hung region took {seconds:.0f} s with 3 s timeouts"
    line = _hung_line(hung.stdout)
    assert re.search(rf"timed out after \d+ s waiting for \w+ in {CALLER}/eu-central-1", line), line
    assert line.endswith("(kept the previous data)"), line
    assert any(
        s.startswith(f"aws {CALLER} us-east-1: ") and s.endswith(", ok") for s in hung.stdout.splitlines()
    ), hung.stdout
    assert "1 part of the collection failed" in hung.stderr
    assert new in _groups(tmp_path, "us-east-1")  # the others went on and were stored
    assert old in _groups(tmp_path, "eu-central-1")  # the hung one kept its last good data
    shown = cloudsift(tmp_path, "workflows show collect").stdout
    assert "timed out after " in shown and "eu-central-1" in shown


def test_a_timed_out_step_cancels_the_steps_of_its_partition_not_started(
    aws: AwsEmulator,  # noqa: F811
    store: Store,
    tmp_path: Path,
) -> None:
    # one thread: each step waits for the one before, so the hung region's sqs step has not started
    configure(tmp_path, store, {**TIMEOUTS, "max_workers": 1})
    _warm()
    aws.add(Fault("hang", region="eu-central-1", service="sns"))
    aws.seen.clear()
    hung = cloudsift(tmp_path, f"collect --kinds {KINDS}")
    aws.clear()
    assert hung.returncode == PARTIAL, hung.stdout + hung.stderr
    line = _hung_line(hung.stdout)
    assert re.search(rf"timed out after \d+ s waiting for sns in {CALLER}/eu-central-1; "
                     "not collected after the timeout: sqs", line), line  # fmt: skip
    assert {s.service for s in aws.seen if s.region == "eu-central-1"} == {"sns"}  # sqs never asked there
    assert "sqs" in {s.service for s in aws.seen if s.region == "us-east-1"}
    run_id = cloudsift(tmp_path, "workflows history").stdout.split()[0]
    log = cloudsift(tmp_path, f"workflows log {run_id}").stdout.splitlines()  # the log says the same per step
    assert any(
        re.match(rf"error: {CALLER} eu-central-1 sns: timed out after \d+ s waiting for sns", s) for s in log
    ), log
    assert f"error: {CALLER} eu-central-1 sqs: not collected after the timeout: sqs" in log


@pytest.fixture
def hung_worker(
    aws: AwsEmulator,  # noqa: F811
    setups: list[Setup],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Setup]:
    """A worker process on a schema of its own, the short timeouts in its and the CLI's environment, one
    task per (account, region); sns hangs in eu-central-1."""
    for key, value in TIMEOUTS.items():
        monkeypatch.setenv(f"CLOUDSIFT_AWS__{key.upper()}", str(value))
    monkeypatch.setenv("CLOUDSIFT_WORKERS__SERVICE_GROUPS", "1")  # one task per region: sns, then sqs
    setup = Setup(tmp_path)
    setups.append(setup)
    setup.config()
    setup.start_worker("w")
    _warm()
    aws.add(Fault("hang", region="eu-central-1", service="sns"))
    yield setup
    aws.clear()


def test_a_worker_part_that_hangs_ends_in_bounded_time_and_the_others_are_stored(hung_worker: Setup) -> None:
    setup = hung_worker
    for region in ("us-east-1", "eu-central-1"):
        boto3.client("sqs", region_name=region).create_queue(QueueName=f"queue-{region}")
    started = time.monotonic()
    hung = setup.cli(f"collect --kinds {KINDS}")
    seconds = time.monotonic() - started
    assert hung.returncode == PARTIAL, hung.stdout + hung.stderr + setup.log("w")
    assert seconds < BOUND, f"a hung region took {seconds:.0f} s with 3 s timeouts"
    for account in [CALLER, *ACCOUNTS]:
        line = _hung_line(hung.stdout, account)
        assert re.search(rf"timed out after \d+ s waiting for sns in {account}/eu-central-1; "
                         "not collected after the timeout: sqs", line), line  # fmt: skip
        assert re.search(rf"^aws {account} us-east-1: \d+ resources, ok$", hung.stdout, re.MULTILINE)
    assert "3 parts of the collection failed" in hung.stderr
    # the store holds the regions collected cleanly (ids are aws/ACCOUNT/REGION/…)
    stored = setup.sql("SELECT DISTINCT split_part(id, '/', 3) FROM nodes WHERE kind = 'aws_sqs_queue'")
    assert stored == [("us-east-1",)], stored
