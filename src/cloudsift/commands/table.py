"""Every command's name, the module that registers it and its one-line summary, without importing it:
a line imports only the commands it names, and `help` and the shell's completion read this table.
tests/test_imports.py checks it against the commands the modules register (it prints the table to
paste when a command is added, renamed or its summary changes)."""

from __future__ import annotations

COMMAND_TABLE: dict[str, tuple[str, str]] = {
    "aggregate": (
        "cloudsift.commands.search",
        "Group the nodes of a search and compute sum, count, min, max or avg per group.",
    ),
    "alertmanager": (
        "cloudsift.alerts.alertmanager",
        "Fire an alert in Prometheus Alertmanager (API v2) for the resources of a search; end it once they are gone.",
    ),
    "alerts": (
        "cloudsift.commands.alerts",
        "Alert state and the outbox: `alerts list`, `alerts outbox`, `alerts deliver` (retry what is pending).",
    ),
    "ancestors": (
        "cloudsift.commands.graph",
        "Every node above the found nodes, up to the cloud (`<-[1:]-`).",
    ),
    "aws": (
        "cloudsift.commands.aws",
        "`aws policy`: the least-privilege IAM policy for the role the collector uses, as JSON.",
    ),
    "chunk": ("cloudsift.commands.output", "Group elements into lists of N (default 100)."),
    "clear": (
        "cloudsift.commands.session",
        "Clear the terminal screen (in the shell; elsewhere it prints nothing).",
    ),
    "collect": (
        "cloudsift.commands.workflows",
        "Collect the configured AWS accounts and regions now (the `collect` workflow).",
    ),
    "count": ("cloudsift.commands.search", "Count elements, or group them by a property's value."),
    "descendants": (
        "cloudsift.commands.graph",
        "Every node below the found nodes, all the way down (`-[1:]->`).",
    ),
    "discord": (
        "cloudsift.alerts.discord",
        "Post the resources of a search to a Discord channel (webhook, embed); say when they are fixed.",
    ),
    "detect-secrets": (
        "cloudsift.commands.secret_scan",
        "Find secrets in properties with Yelp's detect-secrets; `--with-secrets` keeps only those elements.",
    ),
    "dump": ("cloudsift.commands.output", "Print each node whole, as indented JSON."),
    "echo": ("cloudsift.commands.output", "Emit the text as it is."),
    "env": (
        "cloudsift.commands.session",
        "Where this session works: its home, its store, whether it runs in the server (secrets never shown).",
    ),
    "flatten": ("cloudsift.commands.output", "Open lists into their elements."),
    "format": (
        "cloudsift.commands.output",
        "Format each node: a template with {path} placeholders, or --json / --ndjson / --yaml.",
    ),
    "head": (
        "cloudsift.commands.search",
        "The first N elements (default 100). After search it becomes the query's limit.",
    ),
    "help": ("cloudsift.commands.inventory", "Show the commands, or one command's help."),
    "history": (
        "cloudsift.commands.workflows",
        "What collections and imports changed: created, updated (which properties) and deleted nodes.",
    ),
    "http": (
        "cloudsift.alerts.webhook",
        "Send what the line found to an HTTP endpoint as a JSON list, durably: `http [METHOD] URL [Header:Value …]`.",
    ),
    "import": (
        "cloudsift.commands.inventory",
        "Import a graph in Resoto's merge format (JSON Lines): node and edge lines; a Fix Inventory export too.",
    ),
    "jobs": (
        "cloudsift.commands.jobs",
        "Jobs: command lines that run on a schedule, after a workflow's event, or both.",
    ),
    "jq": (
        "cloudsift.commands.jq",
        "Transform each element with a jq filter; on nodes `.name` means `.reported.name`.",
    ),
    "json": ("cloudsift.commands.output", "Emit a JSON value; a list emits its elements."),
    "kind": (
        "cloudsift.commands.inventory",
        "Show one kind: its base kinds and every property with its type; for a collected kind, the API call",
    ),
    "kinds": (
        "cloudsift.commands.inventory",
        "List the kinds of the data model with their base kinds, each AWS service's kinds below its name.",
    ),
    "limit": (
        "cloudsift.commands.search",
        "Keep N nodes of a search (`limit N` or `limit OFFSET, N`): it becomes the query's limit.",
    ),
    "list": (
        "cloudsift.commands.output",
        "Show nodes as a table: a table in a terminal, one `key=value` line per node otherwise.",
    ),
    "opsgenie": (
        "cloudsift.alerts.opsgenie",
        "Open an Opsgenie alert (Alert API v2) for the resources of a search; close it once they are gone.",
    ),
    "pagerduty": (
        "cloudsift.alerts.pagerduty",
        "Alert PagerDuty (Events API v2) about the nodes of a search; resolve the alert once they are gone.",
    ),
    "predecessors": (
        "cloudsift.commands.graph",
        "The nodes one edge above each found node (`<--`); `--with-origin` keeps the found nodes too.",
    ),
    "report": ("cloudsift.commands.report", "Run security checks and benchmarks over the inventory."),
    "search": ("cloudsift.commands.search", "Search the inventory."),
    "slack": (
        "cloudsift.alerts.slack",
        "Post the resources of a search to a Slack channel (incoming webhook, Block Kit); say when they are fixed.",
    ),
    "sleep": (
        "cloudsift.commands.session",
        "Wait SECONDS (up to an hour; fractions allowed) before the next statement of the line.",
    ),
    "sort": (
        "cloudsift.commands.search",
        "Sort the nodes of a search: it becomes the query's sort (nulls first ascending, last descending).",
    ),
    "successors": (
        "cloudsift.commands.graph",
        "The nodes one edge below each found node (`-->`); `--with-origin` keeps the found nodes too.",
    ),
    "tail": ("cloudsift.commands.search", "The last N elements (default 100)."),
    "teams": (
        "cloudsift.alerts.teams",
        "Post the resources of a search to a Microsoft Teams channel (Workflows webhook, Adaptive Card); say when they are fixed.",
    ),
    "uniq": ("cloudsift.commands.output", "Drop elements seen before."),
    "workflows": (
        "cloudsift.commands.workflows",
        "Workflows: `workflows list`, `workflows show collect` (last result per partition), `workflows run collect`,",
    ),
}
