"""A kind is one declaration: where its resources are listed, how their properties map, their edges.

A service module is a table of `AwsKind`s handed to `aws_service`, which registers one collecting task per
(account, region) for them. The same declarations give the IAM policy (`Call.action`) and `kind NAME`'s
"where each property comes from" (`AwsKind.sources`). docs/../notes/KIND-API.md walks through adding one.

Paths are dotted keys into one listed item (`Status.IsLogging`); a `Detail` call made per item puts its
answer into the item under its own `into` key, so the mapping reads it like any other field.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from botocore import xform_name
from botocore.exceptions import ClientError

from cloudsift.collect.aws.accounts import Account
from cloudsift.collect.aws.convert import Convert, Field, Source, map_item, path_value, value_of
from cloudsift.collect.aws.service import SERVICES, Region, Service
from cloudsift.collect.graph import GraphBuilder
from cloudsift.model import MODEL

# Per-resource calls of one service task run side by side: AWS answers each in 50-200 ms, so a region with
# 300 buckets or trails is bound by latency, not CPU. Bounded so one service cannot flood an API's rate limit.
DETAIL_WORKERS = 8
GLOBAL = "global"

# The IAM action of an API call is `prefix:Operation`, except where the two names differ.
IAM_PREFIX = {
    "elb": "elasticloadbalancing",
    "elbv2": "elasticloadbalancing",
    "s3control": "s3",
    "opensearch": "es",
    "accessanalyzer": "access-analyzer",
}
IAM_ACTION = {
    ("s3", "ListBuckets"): "ListAllMyBuckets",
    ("s3", "GetBucketEncryption"): "GetEncryptionConfiguration",
    ("s3", "GetPublicAccessBlock"): "GetBucketPublicAccessBlock",
    ("s3", "GetBucketLifecycleConfiguration"): "GetLifecycleConfiguration",
    ("s3control", "GetPublicAccessBlock"): "GetAccountPublicAccessBlock",
}
# API Gateway's IAM actions are the HTTP verbs of its REST paths: every read is apigateway:GET
IAM_SERVICE_ACTION = {"apigateway": "GET"}


@dataclass(frozen=True)
class Call:
    """One API operation of one boto3 service, by its AWS name (`DescribeTrails`)."""

    service: str
    operation: str

    @property
    def method(self) -> str:
        return str(xform_name(self.operation))

    @property
    def action(self) -> str:
        prefix = IAM_PREFIX.get(self.service, self.service)
        action = IAM_SERVICE_ACTION.get(self.service) or IAM_ACTION.get((self.service, self.operation))
        return f"{prefix}:{action or self.operation}"

    def __str__(self) -> str:
        return f"{self.service} {self.operation}"


@dataclass(frozen=True)
class Scope:
    """What is being collected: the account and the region (the pseudo-region "global" for IAM, S3)."""

    account: Account
    region: Region
    # answers the kinds of one task share (the credential report, the APIs whose stages are listed):
    # computed once, under a lock of their own, so that other kinds' lists go on meanwhile
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _locks: dict[str, threading.Lock] = field(default_factory=dict, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def once(self, name: str, compute: Callable[[], Any]) -> Any:
        with self._lock:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            if name not in self._memo:
                self._memo[name] = compute()
            return self._memo[name]

    @property
    def region_name(self) -> str | None:
        return None if self.region.name == GLOBAL else self.region.name

    def client(self, service: str) -> Any:
        return self.account.client(service, self.region_name)


@dataclass(frozen=True)
class Listing:
    """The call that lists a kind: its result key (None: the answer is the one item) and fixed parameters.

    A parameter may be a function of the scope (the account id, the region). `read` replaces the call for
    the few kinds whose list is not a plain answer (the credential report is a CSV); `also` names the
    other calls it makes, for the IAM policy, and `fills` the keys it adds to each item with the call each
    comes from (a VPC's `in_use`: DescribeNetworkInterfaces), for `kind NAME`. With `per`, the call is made
    once per item of another listing (an API's stages)."""

    service: str
    operation: str
    key: str | None
    params: Mapping[str, Any] = field(default_factory=dict)
    read: Callable[[Any, Scope], Iterable[dict[str, Any]]] | None = None
    also: tuple[str, ...] = ()
    per: Per | None = None
    fills: Mapping[str, str] = field(default_factory=dict)

    @property
    def calls(self) -> tuple[Call, ...]:
        others = dict.fromkeys((*self.also, *self.fills.values()))
        own = (Call(self.service, self.operation), *(Call(self.service, op) for op in others))
        return own if self.per is None else (*self.per.listing.calls, *own)

    def listed(self, client: Any, scope: Scope) -> list[dict[str, Any]]:
        """The items, listed once per scope however many kinds read them (each gets its own copies)."""
        items = scope.once(f"listing {id(self)}", lambda: list(self.items(client, scope)))
        return [dict(item) for item in items]

    def items(
        self, client: Any, scope: Scope, more: Mapping[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        if self.read is not None:
            yield from self.read(client, scope)
            return
        params = {k: v(scope) if callable(v) else v for k, v in self.params.items()} | dict(more or {})
        method = Call(self.service, self.operation).method
        if client.can_paginate(method):
            pages: Iterable[dict[str, Any]] = client.get_paginator(method).paginate(**params)
        else:
            pages = [getattr(client, method)(**params)]
        for page in pages:
            if self.key is None:
                page.pop("ResponseMetadata", None)
                yield page
            else:
                found = path_value(page, self.key)
                if isinstance(found, dict):  # one object (the account's password policy): one item
                    yield found
                    continue
                # a list of names or URLs (EKS clusters, SQS queues): each is {"item": "<the string>"}
                yield from (i if isinstance(i, dict) else {"item": i} for i in found or [])


@dataclass(frozen=True)
class Per:
    """A listing made once per item of `listing` (the stages of each REST API): `params` are paths into
    that item; each listed item carries it under `into`, so a mapping reads `api.id`."""

    listing: Listing
    params: Mapping[str, str]
    into: str = "parent"

    def items(
        self, own: Listing, client: Any, scope: Scope, pool: ThreadPoolExecutor
    ) -> list[dict[str, Any]]:
        def below(parent: dict[str, Any]) -> list[dict[str, Any]]:
            more = {k: path_value(parent, v) for k, v in self.params.items()}
            return [{**item, self.into: parent} for item in own.items(client, scope, more)]

        parents = self.listing.listed(client, scope)
        return [item for future in [pool.submit(below, p) for p in parents] for item in future.result()]


@dataclass(frozen=True)
class Batch:
    """A detail call that takes several items at once (DescribeServices: up to ten services of one cluster).

    Its parameter `param` gets the distinct values of up to `size` items (each item's value at the path the
    detail's params give it); its other parameters are the same for the items of one call (items are
    grouped by them). Each element of the answer's list goes to the items whose value is at its `match`
    path; an item AWS did not describe gets null."""

    param: str
    size: int
    match: str


@dataclass(frozen=True)
class Detail:
    """A second call per listed item; its answer (or the part at the dotted path `key`) goes into the
    item as `into`.

    `params` maps the call's parameters to paths into the item (or to functions of the item). An error code
    in `missing` means "there is none" (the item gets null); any other error fails the service's task.
    With `after`, the call is made once the item's other details are in (its `when` reads them). With
    `batch`, one call describes several items. With `paged`, every page is read (botocore's paginator) and
    the lists at `key` are joined (a load balancer's listeners, a stack's resources)."""

    operation: str
    into: str
    params: Mapping[str, str | Callable[[dict[str, Any]], Any]]
    key: str | None = None
    missing: tuple[str, ...] = ()
    when: Callable[[dict[str, Any]], bool] | None = None
    service: str | None = None  # another boto3 service than the listing's
    after: bool = False
    batch: Batch | None = None
    paged: bool = False

    def __post_init__(self) -> None:
        if self.paged and self.key is None:
            raise ValueError(
                f"detail {self.operation}: a paged call needs the key of the list its pages join"
            )

    def call(self, listing: Listing) -> Call:
        return Call(self.service or listing.service, self.operation)

    def groups(self, items: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        """The items each call is made for: one each, or (batched) those sharing the other parameters, up
        to `size` distinct values a call."""
        if self.batch is None:
            yield from ([item] for item in items)
            return
        batch = self.batch
        by_params: dict[str, list[dict[str, Any]]] = {}
        for item in items:
            others = repr([self._param(item, k) for k in self.params if k != batch.param])
            by_params.setdefault(others, []).append(item)
        for group in by_params.values():
            chunk: list[dict[str, Any]] = []
            values: set[Any] = set()
            for item in group:
                value = self._param(item, batch.param)
                if value not in values and len(values) == batch.size:
                    yield chunk
                    chunk, values = [], set()
                chunk.append(item)
                values.add(value)
            if chunk:
                yield chunk

    def fetch(self, client: Any, items: list[dict[str, Any]]) -> list[Any]:
        """The answers for a group of `groups`, in its order."""
        if self.batch is None:
            return [self._ask(client, {k: self._param(items[0], k) for k in self.params})]
        batch = self.batch
        values = [self._param(item, batch.param) for item in items]
        params = {k: self._param(items[0], k) for k in self.params} | {
            batch.param: list(dict.fromkeys(values))
        }
        found = {path_value(one, batch.match): one for one in self._ask(client, params) or []}
        return [found.get(value) for value in values]

    def _param(self, item: dict[str, Any], name: str) -> Any:
        source = self.params[name]
        return source(item) if callable(source) else path_value(item, source)

    def _ask(self, client: Any, params: dict[str, Any]) -> Any:
        method = xform_name(self.operation)
        try:
            if self.paged and self.key is not None:
                pages = client.get_paginator(method).paginate(**params)
                return [one for page in pages for one in path_value(page, self.key) or []]
            answer = getattr(client, method)(**params)
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") in self.missing:
                return None
            raise
        answer.pop("ResponseMetadata", None)
        return answer if self.key is None else path_value(answer, self.key)


@dataclass(frozen=True)
class Edge:
    """An edge to (or, `reverse`, from) the resource of `kind` named by the value at `path`.

    By default the value is the other resource's id and the edge may cross services and regions (a trail
    and its global bucket); an edge to a resource that was not collected is dropped. With `by`, the value
    (a tuple for several properties) is matched against those properties of the `kind` resources the same
    service collected (a metric filter and the alarms on its metric)."""

    kind: str
    path: str
    convert: Convert | None = None
    by: tuple[str, ...] = ()
    reverse: bool = False
    # the other one's region, when not this one's (CloudFront's web ACLs live in us-east-1)
    region: str | None = None

    def values(self, item: dict[str, Any]) -> list[Any]:
        value = path_value(item, self.path)
        if self.convert is not None:
            value = self.convert(value)
        values = value if isinstance(value, list) else [value]
        return [v for v in values if v not in (None, "")]


@dataclass(frozen=True)
class AwsKind:
    """One kind's declaration. Its model class (cloudsift.model) names and types the same properties."""

    kind: str
    listing: Listing
    id: Source
    props: Mapping[str, Source] = field(default_factory=dict)
    name: Source | None = None  # default: the id
    arn: Source | None = None
    # "arn:aws:ec2:{region}:{account}:vpc/{id}" when AWS sends no ARN ({item[stageName]}: a field of the item)
    arn_format: str | None = None
    ctime: Source | None = None
    mtime: Source | None = None
    atime: Source | None = None
    tags: Source | None = None
    details: tuple[Detail, ...] = ()
    parent: tuple[
        Edge, ...
    ] = ()  # the first whose node is known, else the first with a value, else the region
    edges: tuple[Edge, ...] = ()
    node: str = ""  # the node id's prefix below its region: "trail/" gives aws/<account>/<region>/trail/<id>
    key: Source | None = None  # what names the node when the id is unique only within a parent
    where: Callable[[Scope, dict[str, Any]], bool] | None = None  # keep only these items

    @property
    def untyped(self) -> tuple[str, ...]:
        """Properties kept as AWS wrote them (policy documents): named, not typed, in the model."""
        return MODEL.kinds[self.kind].untyped

    @property
    def calls(self) -> tuple[Call, ...]:
        return (*self.listing.calls, *(d.call(self.listing) for d in self.details))

    def sources(self) -> dict[str, str]:
        """Each property and where it comes from, for `kind NAME`."""
        named: dict[str, Source | None] = {
            "id": self.id, "name": self.name or self.id, "arn": self.arn, "ctime": self.ctime,
            "mtime": self.mtime, "atime": self.atime, "tags": self.tags, **self.props,
        }  # fmt: skip
        out = {prop: self._describe(src) for prop, src in named.items() if src is not None}
        if self.arn is None and self.arn_format:
            out["arn"] = f"made as {self.arn_format}"
        return out

    def _describe(self, source: Source) -> str:
        spec = source if isinstance(source, Field) else Field(source)
        first = spec.path.split(".", 1)[0]
        detail = next((d for d in self.details if d.into == first), None)
        if detail is not None:
            return describe_source(
                detail.call(self.listing), Field(spec.path[len(first) + 1 :], spec.convert)
            )
        filled = self.listing.fills.get(first)
        if filled is not None and self.listing.read is not None:
            rest = spec.path[len(first) + 1 :] or first  # a field of that answer, or what was made of it
            made = describe_source(Call(self.listing.service, filled), Field(rest, spec.convert))
            return f"{made} (made by {self.listing.read.__name__})"
        return describe_source(self.listing.calls[0], spec)

    def fetch(self, scope: Scope, pool: ThreadPoolExecutor) -> list[dict[str, Any]]:
        """The listed items with their details (fetched on `pool`, side by side)."""
        client = scope.client(self.listing.service)
        listing = self.listing
        listed = (
            listing.listed(client, scope)
            if listing.per is None
            else listing.per.items(listing, client, scope, pool)
        )
        items = [i for i in listed if self.where is None or self.where(scope, i)]
        for after in (False, True):
            pending: list[tuple[list[dict[str, Any]], str, Future[list[Any]]]] = []
            for detail in (d for d in self.details if d.after == after):
                own = client if detail.service is None else scope.client(detail.service)
                wanted = [i for i in items if detail.when is None or detail.when(i)]
                pending += [(group, detail.into, pool.submit(detail.fetch, own, group))
                            for group in detail.groups(wanted)]  # fmt: skip
            for group, into, future in pending:
                for item, answer in zip(group, future.result(), strict=True):
                    item[into] = answer
        return items

    def add(self, scope: Scope, item: dict[str, Any], graph: GraphBuilder, matches: list[Match]) -> None:
        rid = value_of(self.id, item)
        if rid in (None, ""):
            return
        node_id = node_of(self.kind, scope, str(rid if self.key is None else value_of(self.key, item)))
        optional = {
            "arn": self.arn,
            "ctime": self.ctime,
            "mtime": self.mtime,
            "atime": self.atime,
            "tags": self.tags,
        }
        reported: dict[str, Any] = {
            "id": str(rid), "name": value_of(self.name or self.id, item), "arn": self._made_arn(scope, str(rid), item),
            **{prop: value_of(source, item) for prop, source in optional.items() if source is not None},
            **map_item(self.props, item),
        }  # fmt: skip
        graph.add(node_id, self.kind, reported, parent=self._parent(scope, item, graph))
        for edge in self.edges:
            if edge.by:
                matches.append(Match(node_id, edge, edge.values(item)))
                continue
            for target in edge.values(item):
                other = node_of(edge.kind, scope, str(target), edge.region)
                graph.edge(*((other, node_id) if edge.reverse else (node_id, other)))

    def _made_arn(self, scope: Scope, rid: str, item: dict[str, Any]) -> str | None:
        if not self.arn_format:
            return None
        return self.arn_format.format(
            region=scope.region_name or "", account=scope.account.id, id=rid, item=item
        )

    def _parent(self, scope: Scope, item: dict[str, Any], graph: GraphBuilder) -> str:
        candidates = [node_of(e.kind, scope, str(v)) for e in self.parent for v in e.values(item)[:1]]
        known = [c for c in candidates if c in graph.nodes]
        return (known or candidates or [scope.region.id])[0]


def describe_source(call: Call, source: Source) -> str:
    """Where a property comes from, for `kind NAME`: the call, the answer's field, the converter."""
    spec = source if isinstance(source, Field) else Field(source)
    where = f"{call}: {spec.path or '(the answer)'}"
    return where if spec.convert is None else f"{where} as {spec.convert.__name__}"


@dataclass(frozen=True)
class AccountProperties:
    """Properties a global service writes on its account's node (the password policy), mapped from the one
    item its listing gives.

    An error code in `missing` means the account has none set: then `absent` is written (what Fix Inventory
    writes for such an account), so "none set" reads apart from "never read" (none of them written). When
    the service's partition fails, the account keeps the values it had (collect/account_node.py)."""

    listing: Listing
    props: Mapping[str, Source]
    missing: tuple[str, ...] = ()
    absent: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not set(self.absent) <= set(self.props):
            raise ValueError(
                f"absent names properties that are not mapped: {sorted(set(self.absent) - set(self.props))}"
            )

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.props)

    def sources(self) -> dict[str, str]:
        return {prop: describe_source(self.listing.calls[0], src) for prop, src in self.props.items()}

    def fetch(self, scope: Scope) -> dict[str, Any]:
        """The properties (those with a value): from the answer, or `absent` when the account has none."""
        try:
            items = self.listing.listed(scope.client(self.listing.service), scope)
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") in self.missing:
                return dict(self.absent)
            raise
        found = map_item(self.props, items[0]) if items else {}
        return {prop: value for prop, value in found.items() if value is not None}


@dataclass(frozen=True)
class Match:
    """An edge found by matching properties, resolved once the service's kinds are all collected."""

    node: str
    edge: Edge
    values: list[Any]


# kind -> (node id prefix, collected once per account): where an edge to a kind finds its node
NODES: dict[str, tuple[str, bool]] = {}  # filled by aws_service
DECLARED: dict[str, tuple[AwsKind, str]] = {}  # kind -> (declaration, its service's name)
ACCOUNT_DECLARED: list[tuple[AccountProperties, str]] = []  # what services write on the account node


def declared_kinds() -> dict[str, tuple[AwsKind, str]]:
    """Every declared kind, once the service modules are imported (they register themselves)."""
    import cloudsift.collect.aws  # noqa: F401

    return DECLARED


def node_of(kind: str, scope: Scope, rid: str, region_name: str | None = None) -> str:
    """The node id of a resource of `kind` in the scope's account (in "global" for a global kind, in
    `region_name` when given)."""
    if kind == "aws_account":
        return f"aws/{rid}"
    prefix, global_ = NODES.get(kind, ("", False))
    region = Region(scope.account.id, GLOBAL if global_ else region_name or scope.region.name)
    return region.node(prefix + rid)


def aws_service(
    name: str, *kinds: AwsKind, global_: bool = False, on_account: AccountProperties | None = None
) -> Service:
    """Register one collecting task per (account, region) for these kinds: they list side by side, then
    each item becomes a node (in the order given: a parent kind comes before its children). A global
    service's `on_account` properties go on its account's node."""
    if on_account is not None and not global_:
        raise ValueError(f"AWS service {name}: only a global service writes properties on the account")
    for declared in kinds:
        NODES[declared.kind] = (declared.node, global_)
        DECLARED[declared.kind] = (declared, name)
    if on_account is not None:
        ACCOUNT_DECLARED.append((on_account, name))

    def collect(account: Account, region: Region, graph: GraphBuilder) -> None:
        scope = Scope(account, region)
        with ThreadPoolExecutor(DETAIL_WORKERS, thread_name_prefix=f"{name}-detail") as pool:
            own = None if on_account is None else pool.submit(on_account.fetch, scope)
            if len(kinds) <= 1:  # none: a service that only writes on the account (organizations)
                fetched = [k.fetch(scope, pool) for k in kinds]
            else:
                with ThreadPoolExecutor(len(kinds), thread_name_prefix=f"{name}-list") as lists:
                    fetched = list(lists.map(lambda k: k.fetch(scope, pool), kinds))
            if own is not None:
                graph.account.update(own.result())
        matches: list[Match] = []
        for declared, items in zip(kinds, fetched, strict=True):
            for item in items:
                declared.add(scope, item, graph, matches)
        _resolve(matches, graph)

    calls = [c for k in kinds for c in k.calls] + (
        [] if on_account is None else list(on_account.listing.calls)
    )
    actions = tuple(dict.fromkeys(c.action for c in calls))
    service = Service(name, collect, actions, global_, tuple(dict.fromkeys(k.kind for k in kinds)),
                      () if on_account is None else on_account.names)  # fmt: skip
    SERVICES.add(name, service)
    return service


def _resolve(matches: list[Match], graph: GraphBuilder) -> None:
    index: dict[tuple[str, tuple[Any, ...]], list[str]] = {}
    wanted = {(m.edge.kind, m.edge.by) for m in matches}
    for node_id, reported in graph.nodes.items():
        for kind, by in wanted:
            if reported["kind"] == kind:
                index.setdefault((kind, tuple(reported.get(p) for p in by)), []).append(node_id)
    for match in matches:
        for value in match.values:
            key = value if isinstance(value, tuple) else (value,)
            for other in index.get((match.edge.kind, key), []):
                graph.edge(*((other, match.node) if match.edge.reverse else (match.node, other)))
