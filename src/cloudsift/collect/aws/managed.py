"""Managed services of one region: Lambda functions, KMS keys, ELB/ALB, EKS."""

from __future__ import annotations

from functools import partial
from typing import Any

from cloudsift.collect.aws.accounts import Account
from cloudsift.collect.aws.service import Region, service
from cloudsift.collect.aws.values import optional, pages, timestamp
from cloudsift.collect.graph import GraphBuilder


@service("lambda", api_calls=("lambda:ListFunctions",), kinds=("aws_lambda_function",))
def collect_lambda(account: Account, region: Region, graph: GraphBuilder) -> None:
    client = account.client("lambda", region.name)
    for fn in pages(client, "list_functions", "Functions"):
        name = fn["FunctionName"]
        graph.add(region.node(f"lambda/{name}"), "aws_lambda_function", {
            "id": name, "name": name, "arn": fn.get("FunctionArn"), "mtime": timestamp(fn.get("LastModified")),
            "function_runtime": fn.get("Runtime"), "function_handler": fn.get("Handler"),
            "function_memory_size": fn.get("MemorySize"), "function_timeout": fn.get("Timeout"),
            "function_role": fn.get("Role"),
        })  # fmt: skip


@service(
    "kms", api_calls=("kms:ListKeys", "kms:DescribeKey", "kms:GetKeyRotationStatus"), kinds=("aws_kms_key",)
)
def collect_kms(account: Account, region: Region, graph: GraphBuilder) -> None:
    client = account.client("kms", region.name)
    for key in pages(client, "list_keys", "Keys"):
        meta = client.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
        rotation: Any = None
        if (
            meta.get("KeyManager") == "CUSTOMER"
            and meta.get("KeySpec", "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT"
        ):
            rotation = optional(
                partial(client.get_key_rotation_status, KeyId=key["KeyId"]), "AccessDeniedException"
            )
        graph.add(region.node(f"kms/{key['KeyId']}"), "aws_kms_key", {
            "id": key["KeyId"], "name": meta.get("Description") or key["KeyId"], "arn": meta.get("Arn"),
            "ctime": meta.get("CreationDate"), "kms_key_manager": meta.get("KeyManager"),
            "access_key_status": meta.get("KeyState"), "kms_enabled": meta.get("Enabled"),
            "kms_description": meta.get("Description"), "kms_key_usage": meta.get("KeyUsage"),
            "kms_key_spec": meta.get("KeySpec"),
            "kms_key_rotation_enabled": None if rotation is None else rotation.get("KeyRotationEnabled"),
        })  # fmt: skip


@service("elb", api_calls=("elasticloadbalancing:DescribeLoadBalancers",), kinds=("aws_elb", "aws_alb"))
def collect_elb(account: Account, region: Region, graph: GraphBuilder) -> None:
    classic = account.client("elb", region.name)
    for lb in pages(classic, "describe_load_balancers", "LoadBalancerDescriptions"):
        name = lb["LoadBalancerName"]
        backends = [i["InstanceId"] for i in lb.get("Instances", []) if i.get("InstanceId")]
        node = graph.add(region.node(f"elb/{name}"), "aws_elb", {
            "id": lb.get("DNSName") or name, "name": name,  # Fix's id of a classic load balancer is its DNS name
            "arn": f"arn:aws:elasticloadbalancing:{region.name}:{account.id}:loadbalancer/{name}",
            "ctime": lb.get("CreatedTime"), "lb_type": "elb", "scheme": lb.get("Scheme"), "backends": backends,
        }, parent=region.node(lb["VPCId"]) if lb.get("VPCId") else None)  # fmt: skip
        for instance_id in backends:
            graph.edge(node, region.node(instance_id))
    modern = account.client("elbv2", region.name)
    for lb in pages(modern, "describe_load_balancers", "LoadBalancers"):
        graph.add(region.node(f"alb/{lb['LoadBalancerName']}"), "aws_alb", {
            "id": lb["LoadBalancerName"], "name": lb["LoadBalancerName"], "arn": lb.get("LoadBalancerArn"),
            "ctime": lb.get("CreatedTime"), "lb_type": "alb", "alb_type": lb.get("Type"),
            "alb_dns_name": lb.get("DNSName"), "alb_scheme": lb.get("Scheme"),
            "alb_ip_address_type": lb.get("IpAddressType"), "alb_security_groups": lb.get("SecurityGroups") or [],
        }, parent=region.node(lb["VpcId"]) if lb.get("VpcId") else None)  # fmt: skip


@service("eks", api_calls=("eks:ListClusters", "eks:DescribeCluster"), kinds=("aws_eks_cluster",))
def collect_eks(account: Account, region: Region, graph: GraphBuilder) -> None:
    client = account.client("eks", region.name)
    for name in pages(client, "list_clusters", "clusters"):
        cluster = client.describe_cluster(name=name)["cluster"]
        vpc = (cluster.get("resourcesVpcConfig") or {}).get("vpcId")
        graph.add(region.node(f"eks/{name}"), "aws_eks_cluster", {
            "id": name, "name": name, "arn": cluster.get("arn"), "tags": cluster.get("tags") or {},
            "ctime": cluster.get("createdAt"), "cluster_status": cluster.get("status"),
            "version": cluster.get("version"), "endpoint": cluster.get("endpoint"),
            "cluster_role_arn": cluster.get("roleArn"),
        }, parent=region.node(vpc) if vpc else None)  # fmt: skip
