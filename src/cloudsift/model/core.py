"""The cloud-neutral kinds every collector builds on."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

KIND_CLASSES: list[type] = []


def kind_class(cls: type) -> type:
    """Register a class as a kind of the model (its `kind` attribute names it)."""
    KIND_CLASSES.append(cls)
    return cls


@kind_class
class GraphRoot:
    """The implied root of the graph; clouds hang below it."""

    kind: ClassVar[str] = "graph_root"
    abstract: ClassVar[bool] = True


@kind_class
class Resource:
    """Every node of the inventory is a resource."""

    kind: ClassVar[str] = "resource"
    abstract: ClassVar[bool] = True
    id: str
    name: str
    tags: dict[str, str]
    ctime: dt.datetime
    mtime: dt.datetime
    atime: dt.datetime
    prop_docs: ClassVar[dict[str, str]] = {
        "id": "The provider's identifier of the resource.",
        "name": "The resource's name (its Name tag or identifier when it has none).",
        "tags": "Tags as a map of string to string.",
        "ctime": "When the resource was created.",
        "mtime": "When the resource was last modified.",
        "atime": "When the resource was last accessed.",
    }


@kind_class
class Cloud(Resource):
    """A cloud provider: the top of each provider's tree."""

    kind: ClassVar[str] = "cloud"


@kind_class
class Account(Resource):
    """An account (AWS account, GCP project, ...) inside a cloud."""

    kind: ClassVar[str] = "account"
    abstract: ClassVar[bool] = True


@kind_class
class Region(Resource):
    """A region inside an account."""

    kind: ClassVar[str] = "region"
    abstract: ClassVar[bool] = True


@kind_class
class Zone(Resource):
    """An availability zone inside a region."""

    kind: ClassVar[str] = "zone"
    abstract: ClassVar[bool] = True


@kind_class
class Network(Resource):
    """A virtual network."""

    kind: ClassVar[str] = "network"
    abstract: ClassVar[bool] = True


@kind_class
class Subnet(Resource):
    """A subnet of a virtual network."""

    kind: ClassVar[str] = "subnet"
    abstract: ClassVar[bool] = True


@kind_class
class SecurityGroup(Resource):
    """A set of firewall rules attached to resources."""

    kind: ClassVar[str] = "security_group"
    abstract: ClassVar[bool] = True


@kind_class
class Instance(Resource):
    """A virtual machine."""

    kind: ClassVar[str] = "instance"
    abstract: ClassVar[bool] = True
    instance_cores: float
    instance_memory: float
    instance_type: str
    instance_status: str
    prop_docs: ClassVar[dict[str, str]] = {
        "instance_cores": "Number of virtual CPUs.",
        "instance_memory": "Memory in GiB.",
        "instance_type": "The provider's instance type.",
        "instance_status": "running, stopped, terminated, ...",
    }


@kind_class
class Volume(Resource):
    """A block storage volume."""

    kind: ClassVar[str] = "volume"
    abstract: ClassVar[bool] = True
    volume_size: int
    volume_type: str
    volume_status: str
    volume_iops: int
    volume_throughput: int
    volume_encrypted: bool


@kind_class
class Snapshot(Resource):
    """A snapshot of a volume."""

    kind: ClassVar[str] = "snapshot"
    abstract: ClassVar[bool] = True
    snapshot_status: str
    description: str
    volume_id: str
    volume_size: int
    encrypted: bool
    owner_id: str
    owner_alias: str


@kind_class
class Bucket(Resource):
    """An object storage bucket."""

    kind: ClassVar[str] = "bucket"
    abstract: ClassVar[bool] = True
    encryption_enabled: bool
    versioning_enabled: bool


@kind_class
class User(Resource):
    """A user of the cloud's identity system."""

    kind: ClassVar[str] = "user"
    abstract: ClassVar[bool] = True


@kind_class
class Database(Resource):
    """A managed database."""

    kind: ClassVar[str] = "database"
    abstract: ClassVar[bool] = True
    db_type: str
    db_status: str
    db_endpoint: str
    db_version: str
    db_publicly_accessible: bool
    instance_type: str
    volume_size: int
    volume_iops: int
    volume_encrypted: bool
    prop_docs: ClassVar[dict[str, str]] = {"db_type": "The database engine (mysql, postgres, ...)."}


@kind_class
class LoadBalancer(Resource):
    """A load balancer."""

    kind: ClassVar[str] = "load_balancer"
    abstract: ClassVar[bool] = True
    lb_type: str
    public_ip_address: str
    backends: list[str]
    prop_docs: ClassVar[dict[str, str]] = {"backends": "The ids of the instances behind it."}


@kind_class
class NetworkInterface(Resource):
    """A network interface."""

    kind: ClassVar[str] = "network_interface"
    abstract: ClassVar[bool] = True
    network_interface_status: str
    network_interface_type: str
    mac: str
    private_ips: list[str]
    public_ips: list[str]
    description: str


@kind_class
class IpAddress(Resource):
    """A public or private IP address."""

    kind: ClassVar[str] = "ip_address"
    abstract: ClassVar[bool] = True
    ip_address: str
    ip_address_family: str


@kind_class
class AccessKey(Resource):
    """A key that grants access (an IAM access key, a KMS key)."""

    kind: ClassVar[str] = "access_key"
    abstract: ClassVar[bool] = True
    access_key_status: str


@kind_class
class Role(Resource):
    """A role of the cloud's identity system."""

    kind: ClassVar[str] = "role"
    abstract: ClassVar[bool] = True


@kind_class
class Policy(Resource):
    """A policy of the cloud's identity system."""

    kind: ClassVar[str] = "policy"
    abstract: ClassVar[bool] = True


@kind_class
class ManagedKubernetesClusterProvider(Resource):
    """A managed Kubernetes cluster."""

    kind: ClassVar[str] = "managed_kubernetes_cluster_provider"
    abstract: ClassVar[bool] = True
    version: str
    endpoint: str
    prop_docs: ClassVar[dict[str, str]] = {
        "version": "The Kubernetes version.",
        "endpoint": "The Kubernetes API endpoint.",
    }
