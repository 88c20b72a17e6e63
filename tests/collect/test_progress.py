"""In a terminal, `collect` shows a progress bar while it runs, then the summary."""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pexpect

from tests.collect.aws_fixture import AwsEmulator
from tests.collect.fault_proxy import Fault
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.collect.test_timeouts import hung_worker  # noqa: F401  (the fixture)
from tests.workers.workers_fixture import Setup, setups  # noqa: F401  (the fixture)

HANG = "collect --kinds aws_sns_topic,aws_sqs_queue\r"  # sns hangs in eu-central-1


def _terminal(env: dict[str, str]) -> pexpect.spawn:
    """The shell in a terminal, with this environment."""
    return pexpect.spawn(sys.executable, ["-m", "cloudsift.cli"], env={**env, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"},
                         encoding="utf-8", timeout=90, dimensions=(40, 200))  # fmt: skip


def _shell(home: Path, config: str) -> pexpect.spawn:
    """The shell in a terminal, with this config."""
    (home / "config.toml").write_text(config)
    return _terminal(
        {**os.environ, "CLOUDSIFT_HOME": str(home), "CLOUDSIFT_CONFIG": str(home / "config.toml")}
    )


def test_collect_in_the_shell_shows_a_progress_bar(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    aws.delay = 0.2  # slow enough for the bar to be drawn a few times
    child = _shell(tmp_path, '[aws]\nregions = ["us-east-1", "eu-central-1"]\n')
    try:
        child.expect("Ctrl-D to leave")
        time.sleep(0.3)
        child.send("collect\r")
        child.expect(r"collecting.*\d+/\d+")  # the bar: done/total of (account, region, service) steps
        child.expect(r"Collected \d+ resources in 3 partitions")
        # Ctrl-D only once the next prompt reads keys (bracketed paste on): sent earlier, the terminal
        # itself would take it as an end of input that nobody reads
        child.expect(re.escape("\x1b[?2004h"))
        time.sleep(0.3)
        child.send("\x04")
        child.expect(pexpect.EOF)
    finally:
        child.terminate(force=True)


def test_the_progress_bar_names_the_step_it_waits_on(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    aws.add(Fault("hang", region="eu-central-1", service="sns"))
    child = _shell(
        tmp_path, '[aws]\nregions = ["us-east-1", "eu-central-1"]\nread_timeout = 3\nmax_attempts = 3\n'
    )
    try:
        child.expect("Ctrl-D to leave")
        time.sleep(0.3)
        child.send(HANG)
        # the hung endpoint is named while it is waited on, with how long so far
        child.expect(r"collecting, waiting on sns in 123456789012/eu-central-1 \(\d+s\)")
        child.expect(r"timed out after \d+ s waiting for sns in 123456789012/eu-central-1")
        child.expect(r"Collected \d+ resources in 3 partitions")
    finally:
        aws.clear()
        child.terminate(force=True)


def test_with_workers_the_bar_names_the_service_a_task_waits_on(hung_worker: Setup) -> None:  # noqa: F811
    child = _terminal(hung_worker.env("cli"))
    try:
        child.expect("Ctrl-D to leave")
        time.sleep(0.3)
        child.send(HANG)
        # the shell polls the run's tasks: the one a worker waits on longest is named, with how long so far
        child.expect(r"collecting, waiting on sns in \d{12}/eu-central-1 \(\d+s\).*tasks \(account, region")
        child.expect(r"timed out after \d+ s waiting for sns in \d{12}/eu-central-1")
        child.expect(r"Collected \d+ resources in 9 partitions")
    finally:
        child.terminate(force=True)
