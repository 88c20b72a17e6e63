"""In a terminal, `collect` shows a progress bar while it runs, then the summary."""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pexpect

from tests.collect.aws_fixture import AwsEmulator
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)


def test_collect_in_the_shell_shows_a_progress_bar(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    (tmp_path / "config.toml").write_text('[aws]\nregions = ["us-east-1", "eu-central-1"]\n')
    env = {**os.environ, "CLOUDSIFT_HOME": str(tmp_path), "CLOUDSIFT_CONFIG": str(tmp_path / "config.toml"),
           "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}  # fmt: skip
    aws.delay = 0.2  # slow enough for the bar to be drawn a few times
    child = pexpect.spawn(sys.executable, ["-m", "cloudsift.cli"], env=env, encoding="utf-8", timeout=60,
                          dimensions=(40, 160))  # fmt: skip
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
