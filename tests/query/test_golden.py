"""Every construct of the search language on a hand-made estate, in the reference and in each store."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cloudsift.query.binder import bind
from cloudsift.query.parser import parse_query
from cloudsift.store.base import Store
from tests.estate import Edge, frame, lines, node, reference_graph, reference_ids

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
SEED = (
    'is(aws_ec2_security_group) and group_ip_permissions[*].{ip_protocol="-1" and '
    '(ip_ranges[*].cidr_ip="0.0.0.0/0" or ipv6_ranges[*].cidr_ipv6="::/0")}'
)


def perm(
    protocol: str, cidr: str | None = None, cidr6: str | None = None, port: int | None = None
) -> dict[str, Any]:
    return {
        "ip_protocol": protocol,
        "from_port": port,
        "to_port": port,
        "ip_ranges": [{"cidr_ip": cidr}] if cidr else [],
        "ipv6_ranges": [{"cidr_ipv6": cidr6}] if cidr6 else [],
    }


def golden_estate() -> tuple[list[dict[str, Any]], list[Edge]]:
    nodes, edges = frame()
    extra = [
        node(
            "sg-open",
            "aws_ec2_security_group",
            group_ip_permissions=[perm("-1", cidr="0.0.0.0/0")],
            tags={"owner": "alice"},
            x_size=None,
            ctime="2026-11-27T00:00:00Z",
        ),
        node(
            "sg-v6",
            "aws_ec2_security_group",
            group_ip_permissions=[perm("tcp", cidr="10.0.0.0/8", port=22), perm("-1", cidr6="::/0")],
            tags={"owner": "Bob"},
            ctime="2026-01-01T00:00:00Z",
        ),
        node(
            "sg-split",
            "aws_ec2_security_group",
            group_ip_permissions=[perm("-1", cidr="10.0.0.0/8"), perm("tcp", cidr="0.0.0.0/0", port=443)],
            tags={},
            ctime="2020-01-01T00:00:00Z",
            x_size=[],
        ),
        node("sg-empty", "aws_ec2_security_group", group_ip_permissions=[], description="no rules"),
        node("sg-missing", "aws_ec2_security_group", name="Web-Server", x_size=[1e16, {"a": 1}]),
        node(
            "i-big",
            "aws_ec2_instance",
            instance_cores=16.0,
            instance_type="r5.4xlarge",
            instance_private_ip_address="10.1.2.3",
            labels=["a", "b"],
            x_size=12,
        ),
        node(
            "i-small",
            "aws_ec2_instance",
            instance_cores=2.0,
            instance_type="t3.micro",
            instance_private_ip_address="192.168.0.1",
            labels=[],
            x_size="12",
        ),
        node("vol-1", "aws_ec2_volume", volume_size=100, volume_encrypted=True, x_size=[2.0, 4]),
        node("vol-2", "aws_ec2_volume", volume_size=8, volume_encrypted=False, x_size=7.25),
    ]
    nodes += extra
    for sg in ("sg-open", "sg-v6", "sg-split", "sg-empty", "sg-missing", "i-big", "i-small"):
        edges.append(("reg", sg, "default"))
    edges += [
        ("i-big", "vol-1", "default"),
        ("i-small", "vol-2", "default"),
        ("sg-open", "i-big", "default"),
        ("i-big", "vol-2", "delete"),
    ]
    return nodes, edges


CASES = [
    # the seed: the "-1" rule and the 0.0.0.0/0 range must be in the same permission
    (SEED, ["sg-open", "sg-v6"]),
    # no precedence: a or b and c == (a or b) and c
    ("is(aws_ec2_volume) or is(aws_ec2_instance) and instance_cores > 4", ["i-big"]),
    ("is(aws_ec2_instance) and instance_cores > 4 or is(aws_ec2_volume)", ["i-big", "vol-1", "vol-2"]),
    # not binds to the next term only
    ("not is(aws_ec2_security_group) and is(instance)", ["i-big", "i-small"]),
    ("not (is(aws_ec2_security_group) or is(resource)) and is(aws_ec2_volume)", []),
    # != matches a missing property; == null matches it too
    ('is(security_group) and description != "no rules"', ["sg-missing", "sg-open", "sg-split", "sg-v6"]),
    ("is(security_group) and description == null", ["sg-missing", "sg-open", "sg-split", "sg-v6"]),
    ("is(security_group) and description != null", ["sg-empty"]),
    # in / not in with null
    ("is(security_group) and tags.owner in [alice, null]", ["sg-empty", "sg-missing", "sg-split", "sg-open"]),
    ("is(security_group) and tags.owner not in [alice]", ["sg-v6"]),
    ("is(security_group) and tags.owner in [alice, Bob]", ["sg-open", "sg-v6"]),
    # =~ is a case-insensitive search; !~ its negation for present values
    ('name =~ "^web"', ["sg-missing"]),
    ('is(security_group) and tags.owner !~ "^b"', ["sg-open"]),
    # durations against datetimes: relative to now
    ("ctime > -3d", ["sg-open"]),
    ("is(security_group) and age > 1y", ["sg-split"]),
    # the property's type decides: ip_protocol = -1 compares the string "-1"
    ("group_ip_permissions[*].ip_protocol = -1", ["sg-open", "sg-split", "sg-v6"]),
    ('instance_cores > "4"', ["i-big"]),
    # array modifiers; vacuous all on an empty array
    (
        'is(security_group) and group_ip_permissions[*].ip_protocol all == "-1"',
        ["sg-empty", "sg-missing", "sg-open"],
    ),
    ('is(security_group) and group_ip_permissions[*].ip_protocol none == "-1"', ["sg-empty", "sg-missing"]),
    (
        "is(security_group) and not group_ip_permissions[*].ip_protocol == tcp",
        ["sg-empty", "sg-missing", "sg-open"],
    ),
    ("labels == a", ["i-big"]),
    ("is(instance) and labels all == a", ["i-small"]),
    ("group_ip_permissions[1].from_port == 443", ["sg-split"]),
    # a kind's base kind in is()
    ("is(volume)", ["vol-1", "vol-2"]),
    ("is(aws_ec2_volume, instance)", ["i-big", "i-small", "vol-1", "vol-2"]),
    ('id("vol-2", "sg-open")', ["sg-open", "vol-2"]),
    # full text, tags included, case-insensitive
    ('"BOB"', ["sg-v6"]),
    ('"R5.4x"', ["i-big"]),
    # functions
    ("has_key(tags, owner)", ["sg-open", "sg-v6"]),
    ('in_subnet(instance_private_ip_address, "10.0.0.0/8")', ["i-big"]),
    # ancestors and their shortcuts
    ("account == prod and region == us-east-1 and is(volume)", ["vol-1", "vol-2"]),
    ("/ancestors.account.reported.id == acc and is(instance)", ["i-big", "i-small"]),
    # navigation with depths and edge types
    ("is(aws_region) -[0:2]-> is(volume)", ["vol-1", "vol-2"]),
    (
        "is(aws_region) -[0:2]-> all",
        [
            "i-big",
            "i-small",
            "reg",
            "sg-empty",
            "sg-missing",
            "sg-open",
            "sg-split",
            "sg-v6",
            "vol-1",
            "vol-2",
        ],
    ),
    ('id("vol-1") <-- all', ["i-big"]),
    ('id("vol-1") <-[1:]- is(account)', ["acc"]),
    ('id("i-big") -delete-> all', ["vol-2"]),
    ('id("i-big") -default,delete-> is(volume)', ["vol-1", "vol-2"]),
    ('id("i-big") <--> all', ["reg", "sg-open", "vol-1"]),
    # two-way: a walk inwards and a walk outwards, no zig-zag to siblings; edge types on either side
    ('id("sg-open") <-[1:2]-> all', ["acc", "i-big", "reg", "vol-1"]),
    ('id("i-big") <-default[1]delete-> all', ["reg", "sg-open", "vol-2"]),
    ('id("i-big") <-delete[1]default-> all', ["vol-1"]),
    ('id("i-big") <-default[1:]default-> is(account)', ["acc"]),
    ('id("i-big") -[1]delete-> all', ["vol-2"]),
    # iam edges exist in Fix, not in the store: nothing is reached
    ('id("i-big") -iam-> all', []),
    ('id("i-big") <-iam[0:]iam-> all', ["i-big"]),
    # edge filters: the edges carry no properties, so a filter keeps every edge or none
    ('id("i-big") -{foo == bar}-> all', []),
    ('id("i-big") -{foo != bar}-> all', ["vol-1"]),
    ('id("i-big") -[0:1]{foo == null and not a.b == 1}-> all', ["i-big", "vol-1"]),
    ('id("i-big") -[0:1]{foo == bar}-> all', []),
    ('id("vol-1") <-[1:]{permissions[*].{level == read}}- all', []),
    ("is(instance) with(empty, -{foo == bar}-> is(volume))", ["i-big", "i-small"]),
    # with(): what a traversal reaches
    ("is(instance) with(empty, <-- is(security_group))", ["i-small"]),
    ("is(security_group) with(any, --> is(instance))", ["sg-open"]),
    ("is(aws_region) with(count > 6, --> all)", ["reg"]),
    ("is(aws_region) with(count == 7, --> all)", ["reg"]),
    ("is(instance) with(any, --> is(volume) with(empty, <-[2]- is(security_group)))", ["i-small"]),
    # sort and limit, in any part
    ("is(security_group) sort name desc limit 2", ["sg-v6", "sg-split"]),
    ("is(security_group) sort ctime asc", ["sg-missing", "sg-empty", "sg-split", "sg-v6", "sg-open"]),
    ("is(security_group) sort ctime desc limit 1, 2", ["sg-v6", "sg-split"]),
    ("is(instance) sort instance_cores desc limit 1 --> all", ["vol-1"]),
    # merge: attach what a nested query reaches, then filter on it
    ("is(instance) {vols[]: --> is(volume)} vols[*].reported.volume_size > 50", ["i-big"]),
    ("is(instance) {vol: --> is(volume)} vol.reported.volume_encrypted == false", ["i-small"]),
    ("is(instance) {sg: <-- is(security_group)} sg.reported.tags.owner == alice", ["i-big"]),
    ("is(instance) {sg: <-- is(security_group)} sg == null", ["i-small"]),
    ("is(instance) {vols[]: --> is(volume)} vols[*].reported.volume_size all > 50", ["i-big"]),
    ("is(instance) {vols[]: -default,delete-> is(volume)} vols[*].reported.volume_size all > 50", []),
    ("is(security_group) {i[]: --> is(instance) --> is(volume)} i[*].id == vol-1", ["sg-open"]),
    ("is(instance) {s[]: <-- all} s[*].reported.age < 3d", ["i-big"]),
    # merge names that are paths: in reported (a.b) or beside it (/sg)
    ("is(instance) {/sg: <-- is(security_group)} /sg.reported.tags.owner == alice", ["i-big"]),
    ("is(instance) {a.vols[]: --> is(volume)} a.vols[*].reported.volume_size > 50", ["i-big"]),
    ("is(instance) {/reported.sg: <-- is(security_group)} sg.reported.tags.owner == alice", ["i-big"]),
    ("is(instance) {/s[]: <-- all} /s[*].reported.age < 3d", ["i-big"]),
    ("is(instance) {/sg: <-- is(security_group)} /sg == null", ["i-small"]),
    # ancestors.<kind>: the stored levels, and any other kind through an implied merge
    ("ancestors.account.reported.name == prod and is(volume)", ["vol-1", "vol-2"]),
    ("is(volume) and ancestors.aws_ec2_security_group.reported.tags.owner == alice", ["vol-1"]),
    ("ancestors.aws_ec2_instance.reported.instance_cores < 4", ["vol-2"]),
    # the empty list and object compare with the whole value; missing is neither
    ("is(security_group) and group_ip_permissions == []", ["sg-empty"]),
    ("is(security_group) and group_ip_permissions != []", ["sg-missing", "sg-open", "sg-split", "sg-v6"]),
    ("is(security_group) and group_ip_permissions in [null, []]", ["sg-empty", "sg-missing"]),
    ("is(security_group) and group_ip_permissions not in [[]]", ["sg-open", "sg-split", "sg-v6"]),
    ("is(security_group) and group_ip_permissions[*].ip_ranges == []", ["sg-v6"]),
    (
        "is(security_group) and group_ip_permissions[*].ip_ranges all != []",
        ["sg-empty", "sg-missing", "sg-open", "sg-split"],
    ),
    ("is(security_group) and tags == {}", ["sg-split"]),
    ("is(security_group) and tags != {}", ["sg-empty", "sg-missing", "sg-open", "sg-v6"]),
    ("is(instance) and labels == []", ["i-small"]),
    ("is(instance) and labels in [{}, []]", ["i-small"]),
    # a non-empty list in an in-list stands for its values (Fix's checks: Action in ["*", ["*"]])
    ("labels in [x, [a]]", ["i-big"]),
    ('x_size in ["12", [4, 7.25]]', ["i-small", "vol-1", "vol-2"]),
    ("is(instance) and labels not in [[a, b]]", []),
    # an unquoted pattern is the text as written, numbers included
    ("instance_type ~ 5.4", ["i-big"]),
    ("is(instance) and instance_type !~ micro", ["i-big"]),
    # reversed: the part's nodes after sort and limit, backwards
    ("is(security_group) sort name desc limit 2 reversed", ["sg-split", "sg-v6"]),
    (
        "is(security_group) sort ctime asc reversed",
        ["sg-open", "sg-v6", "sg-split", "sg-empty", "sg-missing"],
    ),
    ("is(security_group) sort ctime desc limit 1, 3 reversed", ["sg-missing", "sg-split", "sg-v6"]),
    ("is(instance) sort instance_cores desc limit 1 reversed --> all", ["vol-1"]),
    (
        "is(instance) {v: --> is(volume) sort volume_size limit 2 reversed} v.reported.volume_size > 50",
        ["i-big"],
    ),
    # a tag on the last part only marks it; a preamble names the edge types of every navigation
    ("is(volume) #red", ["vol-1", "vol-2"]),
    ('(edge_type=delete): id("i-big") --> all', ["vol-2"]),
    ("(edge_type=delete): is(instance) with(any, --> is(volume))", ["i-big"]),
    # ... in nested with() too, but not in a merge's query (as in Fix): i-big's merge walks default edges
    (
        "(edge_type=delete): is(instance) with(any, --> is(volume) with(empty, <-- is(instance) and "
        "instance_cores < 4))",
        ["i-big"],
    ),
    ("(edge_type=delete): is(instance) {v[]: --> all} v[*].id == vol-1", ["i-big"]),
    ("(edge_type=delete): is(instance) {v[]: --> all} --> all", ["vol-2"]),
    # a two-way navigation's unnamed inward side walks the preamble's edges; its unnamed outward side the
    # inward side's, as in Fix
    ("is(volume) <-[1]default-> all", ["i-big", "i-small"]),
    ("(edge_type=delete): is(volume) <-[1]default-> all", ["i-big"]),
    ("(edge_type=delete): is(instance) <-default[1]-> all", ["reg", "sg-open", "vol-1", "vol-2"]),
    ("(edge_type=delete): is(instance) <--> all", ["vol-2"]),
    # [*] on an untyped value (x_size): a list's elements; a scalar (or an object) is a list of itself, as in
    # Fix; null (sg-open), [] (sg-split) and a missing value have no element
    ("x_size[*] == 12", ["i-big"]),
    ('x_size[*] == "12"', ["i-small"]),
    ("x_size[*] != null", ["i-big", "i-small", "sg-missing", "vol-1", "vol-2"]),
    ("is(volume) and x_size[*] all > 5", ["vol-2"]),
    ("is(security_group) and x_size[*] all > 5", ["sg-empty", "sg-open", "sg-split", "sg-v6"]),
    ("is(volume) and not x_size[*] == 2", ["vol-2"]),
    ("x_size[*] none == 12 and is(instance)", ["i-small"]),
    ("x_size[*].a == 1", ["sg-missing"]),
    ("x_size[*].{a == null}", ["i-big", "i-small", "sg-missing", "vol-1", "vol-2"]),
    ("x_size[0] == 12 or x_size[0] == 10000000000000000", ["sg-missing"]),
    # /metadata: Fix's descendant counts of a cloud, account, region or zone (itself included); what nothing
    # fills is null
    ("/metadata.descendant_count == 12", ["c"]),
    ("/metadata.descendant_count in [11, 10]", ["acc", "reg"]),
    ("/metadata.descendant_count == null and is(aws_ec2_volume)", ["vol-1", "vol-2"]),
    ("/metadata.descendant_summary.aws_ec2_security_group == 5 and not is(cloud)", ["acc", "reg"]),
    (
        "/metadata.descendant_summary.aws_region == 1 and /metadata.descendant_summary.cloud == null",
        ["acc", "reg"],
    ),
    ("/metadata.descendant_summary.aws_vpc != null", []),
    ("is(resource) sort /metadata.descendant_count desc limit 2", ["c", "acc"]),
    # sections nothing fills: every path into them is null
    ("/metadata.cleaned == true", []),
    ("/metadata.descendant_summary_x == null and is(volume)", ["vol-1", "vol-2"]),
    ("is(volume) and /desired.clean == null and /usage.cpu.avg != 1", ["vol-1", "vol-2"]),
    ("with_usage(3d, [cpu]) is(volume)", ["vol-1", "vol-2"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:60] for c in CASES])
def test_reference_evaluator(text: str, expected: list[str]) -> None:
    nodes, edges = golden_estate()
    bound = bind(parse_query(text), extra={"labels", "x_size"}, now=NOW)
    result = reference_ids(bound, reference_graph(nodes, edges))
    assert (sorted(result) if "sort" not in text else result) == (
        sorted(expected) if "sort" not in text else expected
    )


def test_every_engine_agrees_with_the_reference(store: Store) -> None:
    nodes, edges = golden_estate()
    store.import_lines(lines(nodes, edges))
    graph = reference_graph(nodes, edges)
    for text, _ in CASES:
        bound = store.bind(text, now=NOW)
        expected = reference_ids(bound, graph)
        assert [d["id"] for d in store.search(bound)] == expected, text
        assert store.count(bound) == len(expected), text


def test_aggregate(store: Store) -> None:
    nodes, edges = golden_estate()
    store.import_lines(lines(nodes, edges))
    bound = store.bind(
        "aggregate(kind, account.name as account: sum(1) as count, max(instance_cores) as cores): "
        "is(instance) or is(volume)"
    )
    assert store.aggregate(bound) == [
        {"group": {"kind": "aws_ec2_instance", "account": "prod"}, "count": 2, "cores": 16},
        {"group": {"kind": "aws_ec2_volume", "account": "prod"}, "count": 2, "cores": None},
    ]
    total = store.bind(
        "aggregate(sum(volume_size) as size, count(volume_size) as n, avg(volume_size) as avg): all"
    )
    assert store.aggregate(total) == [{"size": 108, "n": 2, "avg": 54}]


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ('ctime > "-3d"', "ctime > -3d"),
        ('is(security_group) and age > "1y"', "is(security_group) and age > 1y"),
        ("has_key(tags, owner, app)", 'has_key(tags, ["owner", "app"])'),
    ],
)
def test_fix_spellings_mean_the_same(store: Store, text: str, same_as: str) -> None:
    nodes, edges = golden_estate()
    store.import_lines(lines(nodes, edges), replace=True)
    graph = reference_graph(nodes, edges)
    got = [d["id"] for d in store.search(bind(parse_query(text), now=NOW))]
    want = reference_ids(bind(parse_query(same_as), now=NOW), graph)
    assert got == want and got == reference_ids(bind(parse_query(text), now=NOW), graph)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("is(security_group) sort ctime asc reversed | head 2", ["sg-open", "sg-v6"]),
        ("is(security_group) sort ctime asc reversed | tail 2", ["sg-empty", "sg-missing"]),
        ("is(security_group) sort ctime desc limit 1, 3 reversed | head 2", ["sg-missing", "sg-split"]),
        ("is(security_group) sort ctime desc limit 1, 3 reversed | tail 2", ["sg-split", "sg-v6"]),
    ],
)
def test_head_and_tail_of_a_reversed_part(store: Store, line: str, expected: list[str]) -> None:
    from cloudsift import run

    nodes, edges = golden_estate()
    store.import_lines(lines(nodes, edges), replace=True)
    assert run(f"search {line} | format {{id}}", store) == expected


GROUPED = [
    # a group name template: text and values, a missing value empty, whole numbers without a fraction
    'aggregate("{kind}/{account.name}-{volume_size}{not_there}" as k: sum(1) as n): is(volume) or is(instance)',
    # a template named by its text, as Fix names it
    'aggregate("x_{volume_encrypted}": sum(1) as n): is(volume)',
    # one group per element of a list (a missing or empty list: no row), its element's properties shared
    "aggregate(group_ip_permissions[*].ip_protocol as p, group_ip_permissions[*].from_port as port: "
    "sum(1) as n): is(security_group)",
    "aggregate(labels[*] as label: sum(1) as n, max(instance_cores) as cores): is(instance)",
    'aggregate("{group_ip_permissions[*].ip_protocol}:{group_ip_permissions[*].ip_ranges[*].cidr_ip}" as r: '
    "sum(1) as n): is(security_group)",
    # an untyped value shows its text: a number as a typed one, a string, a list or object nothing
    'aggregate("x{x_size}" as k: sum(1) as n): is(instance) or is(volume)',
    'aggregate("x{x_size[*]}" as k: sum(1) as n): all',
    # a function of a path through lists: per node (or per row, from the elements it shares with the
    # groups) the function of the values, then the function of those; a count adds them up
    "aggregate(sum(group_ip_permissions[*].from_port) as s, count(group_ip_permissions[*].from_port) as c, "
    "avg(group_ip_permissions[*].from_port) as a, max(group_ip_permissions[*].ip_ranges[*].cidr_ip) as m): "
    "is(security_group)",
    "aggregate(group_ip_permissions[*].ip_protocol as p: sum(group_ip_permissions[*].from_port) as s, "
    "count(group_ip_permissions[*].ip_ranges[*].cidr_ip) as c): is(security_group)",
    "aggregate(kind: sum(x_size[*]) as s, avg(x_size[*]) as a, count(x_size[*]) as c, min(labels[*]) as m): "
    "is(volume) or is(instance)",
]


@pytest.mark.parametrize("text", GROUPED)
def test_grouped_aggregates_agree_with_the_reference(store: Store, text: str) -> None:
    from cloudsift.query import reference

    nodes, edges = golden_estate()
    store.import_lines(lines(nodes, edges), replace=True)
    graph = reference_graph(nodes, edges)
    bound = store.bind(text, now=NOW)
    assert bound.aggregate is not None
    expected = reference.aggregate(bound.aggregate, reference.search(bound, graph))
    assert store.aggregate(bound) == expected


def test_group_templates_and_lists(store: Store) -> None:
    nodes, edges = golden_estate()
    store.import_lines(lines(nodes, edges), replace=True)

    def rows(text: str) -> list[dict[str, Any]]:
        return store.aggregate(store.bind(text, now=NOW))

    assert rows(GROUPED[0]) == [
        {"group": {"k": "aws_ec2_instance/prod-"}, "n": 2},
        {"group": {"k": "aws_ec2_volume/prod-100"}, "n": 1},
        {"group": {"k": "aws_ec2_volume/prod-8"}, "n": 1},
    ]
    assert rows(GROUPED[1]) == [
        {"group": {'"x_{volume_encrypted}"': "x_false"}, "n": 1},
        {"group": {'"x_{volume_encrypted}"': "x_true"}, "n": 1},
    ]
    # sg-open and sg-split have one "-1" rule each, sg-v6 one; sg-empty and sg-missing give no row
    assert rows(GROUPED[2]) == [
        {"group": {"p": "-1", "port": None}, "n": 3},
        {"group": {"p": "tcp", "port": 22}, "n": 1},
        {"group": {"p": "tcp", "port": 443}, "n": 1},
    ]
    assert rows(GROUPED[5]) == [
        {"group": {"k": "x"}, "n": 1},  # a list
        {"group": {"k": "x12"}, "n": 2},  # an untyped 12 and "12"
        {"group": {"k": "x7.25"}, "n": 1},
    ]
    # [*] opens a list, a scalar is a list of itself; null, [] and missing give no row
    assert rows(GROUPED[6]) == [
        {"group": {"k": "x"}, "n": 1},
        {"group": {"k": "x12"}, "n": 2},
        {"group": {"k": "x1e+16"}, "n": 1},
        {"group": {"k": "x2"}, "n": 1},
        {"group": {"k": "x4"}, "n": 1},
        {"group": {"k": "x7.25"}, "n": 1},
    ]
    # sg-v6 has ports 22 and none, sg-split none and 443: per group, the ports of its own rules
    assert rows(GROUPED[7]) == [{"s": 465, "c": 2, "a": 232.5, "m": "10.0.0.0/8"}]
    assert rows(GROUPED[8]) == [
        {"group": {"p": "-1"}, "s": 0, "c": 2},
        {"group": {"p": "tcp"}, "s": 465, "c": 2},
    ]
    # vol-1's [2.0, 4] averages 3, vol-2's 7.25: the volumes' average is 5.125 (Fix's), not 13.25 / 3
    assert rows(GROUPED[9]) == [
        {"group": {"kind": "aws_ec2_instance"}, "s": 12, "a": 12, "c": 2, "m": "a"},  # 12 and "12"
        {"group": {"kind": "aws_ec2_volume"}, "s": 13.25, "a": 5.125, "c": 3, "m": None},
    ]
    assert rows('aggregate("{instance_cores}" as c: sum(1) as n): is(instance)') == [
        {"group": {"c": "16"}, "n": 1},
        {"group": {"c": "2"}, "n": 1},
    ]


MERGED = [
    ("is(instance) {n: aggregate(sum(1) as c): --> is(volume)} n[*].c == 1", ["i-big", "i-small"]),
    # without groups a node that reaches nothing has the row of an aggregate over nothing
    ("is(security_group) {n[]: aggregate(sum(1) as c): --> is(volume)} n[0].c == 0", None),
    (
        "is(instance) {n: aggregate(kind: sum(1) as c, min(volume_size) as v): -[0:]-> all} "
        "n[*].group.kind == aws_ec2_volume and n[*].v >= 8",
        ["i-big", "i-small"],
    ),
    (
        'is(region) {n: aggregate(max(ctime) as t): --> is(security_group)} n[*].t == "2026-11-27T00:00:00Z"',
        ["reg"],
    ),
    (
        'is(region) {n: aggregate("{kind}" as k: sum(1) as c): --> all} n[1].group.k = aws_ec2_security_group',
        ["reg"],
    ),
    ("is(region) {n: aggregate(kind: sum(1) as c): --> all} n[*].c == 5 sort n[0].c", ["reg"]),
]


@pytest.mark.parametrize(("text", "expected"), MERGED)
def test_aggregates_inside_a_merge(store: Store, text: str, expected: list[str] | None) -> None:
    nodes, edges = golden_estate()
    store.import_lines(lines(nodes, edges), replace=True)
    bound = store.bind(text, now=NOW)
    want = reference_ids(bound, reference_graph(nodes, edges))
    assert [d["id"] for d in store.search(bound)] == want
    if expected is not None:
        assert sorted(want) == sorted(expected)
