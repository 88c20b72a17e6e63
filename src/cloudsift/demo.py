"""`cloudsift demo`: the seed's story on an emulated AWS, each step printed as the command line it runs.

Two accounts and two regions in moto (no AWS account needed), the seed's job, a collection that pages,
a fix, a collection that updates the alert, another fix, and the resolve. Alerts go to PagerDuty when
PAGERDUTY_ROUTING_KEY is set; otherwise a local endpoint shows the exact Events v2 JSON.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, TextIO

SEED_QUERY = (
    'is(aws_ec2_security_group) and group_ip_permissions[*].{ip_protocol="-1" and '
    '(ip_ranges[*].cidr_ip="0.0.0.0/0" or ipv6_ranges[*].cidr_ipv6="::/0")}'
)
SEED_ALERT = (
    'pagerduty --summary "Security groups allow ingress from 0.0.0.0/0 or ::/0 to any port." '
    "--dedup-key allow_ingress_from_internet_to_any_port"
)
SEED_JOB = (
    "jobs add --id sec_network_open_ingress_from_internet --wait-for-event post_collect "
    f"'search {SEED_QUERY} | {SEED_ALERT}'"
)
MARKER = ".demo-estate"


def _home(args: Any) -> Path:
    """The demo writes into the user's inventory only when that is empty or was made by the demo."""
    home = _default_home(args)
    if not (home / "inventory.duckdb").exists() or (home / MARKER).exists():
        return home
    return Path(tempfile.mkdtemp(prefix="cloudsift-demo-"))


def run_demo(args: Any, out: TextIO) -> int:
    from cloudsift.cli import make_context, run_one
    from cloudsift.demo_aws import (
        DEMO_KEY,
        REGIONS,
        SECOND_ACCOUNT,
        build_estate,
        fix,
        start_moto,
        start_printing_pagerduty,
    )

    home = _home(args)
    home.mkdir(parents=True, exist_ok=True)
    for stale in ("inventory.duckdb", "inventory.duckdb.wal"):
        (home / stale).unlink(missing_ok=True)
    (home / MARKER).write_text("this inventory holds the demo estate\n")

    def say(text: str) -> None:
        out.write(text + "\n")
        out.flush()

    say(
        "Starting an emulated AWS (moto on 127.0.0.1): 2 accounts x 2 regions, with a few open security groups."
    )
    _, stop_moto = start_moto()
    stop_printer = None
    try:
        estate = build_estate()
        routing_key = os.environ.get("PAGERDUTY_ROUTING_KEY")
        ctx = make_context(args.config, home)
        ctx.config.store.url = ""
        ctx.config.aws.regions = list(REGIONS)
        ctx.config.aws.role = "cloudsift"
        ctx.config.aws.accounts = [SECOND_ACCOUNT]
        from cloudsift.config import Secret

        if routing_key:
            say("Alerts go to PagerDuty (PAGERDUTY_ROUTING_KEY is set).")
            ctx.config.pagerduty.routing_key = Secret(routing_key)
        else:
            url, stop_printer = start_printing_pagerduty(say)
            say("PAGERDUTY_ROUTING_KEY is not set: alerts go to a local endpoint that shows their JSON.")
            ctx.config.pagerduty.routing_key = Secret(DEMO_KEY)
            ctx.config.pagerduty.events_url = url
        first, second = estate["open_groups"]
        steps: list[tuple[str, str, Any]] = [
            ("Page when a security group lets anybody in on any port (the seed's job):", SEED_JOB, None),
            ("Collect every account and region; the job runs after it:", "workflows run collect", None),
            ("Search the inventory the same way:", f"search {SEED_QUERY} | list name, account, region", None),
            ("One group gets fixed; the next collection updates the alert:", "collect", first),
            ("The last one gets fixed; the alert resolves:", "collect", second),
            ("The alert's state:", "alerts list", None),
        ]
        status = 0
        for title, line, to_fix in steps:
            if to_fix is not None:
                fix(to_fix)
            say(f"\n# {title}\n> {line}")
            status = run_one(ctx, line, out, out, args.debug) or status
        if "--keep" in (getattr(args, "rest", None) or []):
            from cloudsift.shell import run_shell

            say(
                "\nThe emulated AWS keeps running while you explore: try `collect`, `alerts list`, the seed's search."
            )
            run_shell(ctx, args.debug)
        ctx.close()
    finally:
        if stop_printer:
            stop_printer()
        stop_moto()
    program = _program()
    explore = program if home == _default_home(args) else f"{program} --home {home}"
    say(f"\nThe demo inventory is in {home}. Explore it: {explore}")
    say("  then type, for instance:")
    say(f"    search {SEED_QUERY}")
    say("      (it finds nothing now: the demo fixed every open group)")
    say("    history --change updated is(aws_ec2_security_group)")
    say("    search is(aws_ec2_security_group) | list name, account, region")
    return status


def _program() -> str:
    """How to call cloudsift from here: on PATH, or the venv's script relative to the working directory."""
    import shutil
    import sys

    if shutil.which("cloudsift"):
        return "cloudsift"
    script = Path(sys.executable).parent / "cloudsift"
    try:
        return os.path.relpath(script)
    except ValueError:
        return str(script)


def _default_home(args: Any) -> Path:
    from cloudsift.config import load_config

    return load_config(args.config, args.home).home
