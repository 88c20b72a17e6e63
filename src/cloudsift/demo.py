"""`cloudsift demo`: a sample estate, the seed's search, each step printed as the command line it runs."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, TextIO

from cloudsift.sample import EstateSize, estate_lines

SEED_QUERY = (
    'is(aws_ec2_security_group) and group_ip_permissions[*].{ip_protocol="-1" and '
    '(ip_ranges[*].cidr_ip="0.0.0.0/0" or ipv6_ranges[*].cidr_ipv6="::/0")}'
)
MARKER = ".demo-estate"


def _home(args: Any) -> Path:
    """The demo writes into the user's inventory only when that is empty or was made by the demo."""
    from cloudsift.config import load_config

    home = load_config(args.config, args.home).home
    store_file = home / "inventory.duckdb"
    if not store_file.exists() or (home / MARKER).exists():
        return home
    return Path(tempfile.mkdtemp(prefix="cloudsift-demo-"))


def run_demo(args: Any, out: TextIO) -> int:
    from cloudsift.cli import make_context, run_one

    home = _home(args)
    home.mkdir(parents=True, exist_ok=True)
    estate = home / "sample-estate.jsonl"
    with estate.open("wb") as f:
        f.writelines(estate_lines(EstateSize(accounts=2, regions=2, security_groups=4)))
    (home / MARKER).write_text("this inventory holds the demo estate\n")
    ctx = make_context(args.config, home)
    ctx.config.store.url = ""  # the demo always uses the embedded store
    steps = [
        (
            "Import a sample AWS estate (2 accounts x 2 regions) in Resoto's format:",
            f"import {estate} --replace",
        ),
        ("What is in it:", "search all | count kind"),
        (
            "Security groups that allow every protocol from anywhere (the seed's baseline check):",
            f"search {SEED_QUERY}",
        ),
        (
            "The same, grouped by account and region:",
            f"search {SEED_QUERY} | count /ancestors.account.reported.name",
        ),
        (
            "A group whose '-1' rule and 0.0.0.0/0 range are in different permissions does not match:",
            'search is(aws_ec2_security_group) and name =~ "split" | list name, account, region',
        ),
        (
            "Instances with more than 4 cores, biggest first:",
            "search is(instance) and instance_cores > 4 sort instance_cores desc | list name, instance_type, "
            "instance_cores, account, region",
        ),
    ]
    status = 0
    try:
        for title, line in steps:
            out.write(f"\n# {title}\n> {line}\n")
            out.flush()
            status = run_one(ctx, line, out, out, args.debug) or status
    finally:
        ctx.close()
    out.write(f"\nThe demo inventory is in {home}.\n")
    program = _program()
    explore = program if home == _default_home(args) else f"{program} --home {home}"
    out.write(f"Explore it: {explore}   (then type: search {SEED_QUERY})\n")
    return status


def _program() -> str:
    """How to call cloudsift from here: on PATH, or the venv's script relative to the working directory."""
    import os
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
