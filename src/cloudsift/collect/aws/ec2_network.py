"""EC2 beyond instances: snapshots, network ACLs, internet gateways, network interfaces, elastic IPs."""

from __future__ import annotations

from cloudsift.collect.aws.accounts import Account
from cloudsift.collect.aws.service import Region, service
from cloudsift.collect.aws.values import name_of, pages, tags_of
from cloudsift.collect.graph import GraphBuilder


@service(
    "ec2_network",
    api_calls=(
        "ec2:DescribeSnapshots",
        "ec2:DescribeNetworkAcls",
        "ec2:DescribeInternetGateways",
        "ec2:DescribeAddresses",
    ),
    kinds=("aws_ec2_snapshot", "aws_ec2_network_acl", "aws_ec2_internet_gateway", "aws_ec2_elastic_ip"),
)
def collect_ec2_network(account: Account, region: Region, graph: GraphBuilder) -> None:
    client = account.client("ec2", region.name)
    arn = f"arn:aws:ec2:{region.name}:{account.id}"
    for snap in pages(client, "describe_snapshots", "Snapshots", OwnerIds=["self"]):
        if snap.get("OwnerId", account.id) != account.id:  # shared or public ones belong to their owner
            continue
        snap_id = snap["SnapshotId"]
        node = graph.add(region.node(snap_id), "aws_ec2_snapshot", {
            "id": snap_id, "name": name_of(snap, snap_id), "tags": tags_of(snap), "arn": f"{arn}:snapshot/{snap_id}",
            "ctime": snap.get("StartTime"), "snapshot_status": snap.get("State"), "snapshot_progress": snap.get("Progress"),
            "description": snap.get("Description"), "volume_id": snap.get("VolumeId"), "encrypted": snap.get("Encrypted"),
            "volume_size": snap.get("VolumeSize"), "owner_id": snap.get("OwnerId"), "owner_alias": snap.get("OwnerAlias"),
            "snapshot_kms_key_id": snap.get("KmsKeyId"),
        })  # fmt: skip
        if snap.get("VolumeId"):
            graph.edge(region.node(snap["VolumeId"]), node)
    for acl in pages(client, "describe_network_acls", "NetworkAcls"):
        acl_id = acl["NetworkAclId"]
        graph.add(region.node(acl_id), "aws_ec2_network_acl", {
            "id": acl_id, "name": name_of(acl, acl_id), "tags": tags_of(acl), "arn": f"{arn}:network-acl/{acl_id}",
            "is_default": acl.get("IsDefault"),
            "acl_entries": [{
                "rule_number": e.get("RuleNumber"), "protocol": e.get("Protocol"), "rule_action": e.get("RuleAction"),
                "egress": e.get("Egress"), "cidr_block": e.get("CidrBlock"), "ipv6_cidr_block": e.get("Ipv6CidrBlock"),
            } for e in acl.get("Entries", [])],
        }, parent=region.node(acl["VpcId"]) if acl.get("VpcId") else None)  # fmt: skip
    for gateway in pages(client, "describe_internet_gateways", "InternetGateways"):
        gateway_id = gateway["InternetGatewayId"]
        attached = [a["VpcId"] for a in gateway.get("Attachments", []) if a.get("VpcId")]
        graph.add(region.node(gateway_id), "aws_ec2_internet_gateway", {
            "id": gateway_id, "name": name_of(gateway, gateway_id), "tags": tags_of(gateway),
            "arn": f"{arn}:internet-gateway/{gateway_id}",
        }, parent=region.node(attached[0]) if attached else None)  # fmt: skip
    for address in client.describe_addresses().get("Addresses", []):
        allocation = address.get("AllocationId") or address.get("PublicIp", "")
        node = graph.add(region.node(allocation), "aws_ec2_elastic_ip", {
            "id": allocation, "name": name_of(address, address.get("PublicIp") or allocation), "tags": tags_of(address),
            "arn": f"{arn}:elastic-ip/{allocation}", "ip_address": address.get("PublicIp") or address.get("PrivateIpAddress"),
            "ip_address_family": "ipv4", "public_ip": address.get("PublicIp"),
            "private_ip_address": address.get("PrivateIpAddress"), "ip_allocation_id": address.get("AllocationId"),
            "ip_association_id": address.get("AssociationId"), "ip_domain": address.get("Domain"),
            "ip_network_interface_id": address.get("NetworkInterfaceId"),
        })  # fmt: skip
        if address.get("InstanceId"):
            graph.edge(region.node(address["InstanceId"]), node)


@service(
    "ec2_network_interfaces",
    api_calls=("ec2:DescribeNetworkInterfaces",),
    kinds=("aws_ec2_network_interface",),
)
def collect_network_interfaces(account: Account, region: Region, graph: GraphBuilder) -> None:
    client = account.client("ec2", region.name)
    arn = f"arn:aws:ec2:{region.name}:{account.id}"
    for nic in pages(client, "describe_network_interfaces", "NetworkInterfaces"):
        nic_id = nic["NetworkInterfaceId"]
        node = graph.add(region.node(nic_id), "aws_ec2_network_interface", {
            "id": nic_id, "name": name_of(nic, nic_id), "tags": tags_of(nic), "arn": f"{arn}:network-interface/{nic_id}",
            "network_interface_status": nic.get("Status"), "network_interface_type": nic.get("InterfaceType"),
            "mac": nic.get("MacAddress"), "description": nic.get("Description"),
            "private_ips": [a["PrivateIpAddress"] for a in nic.get("PrivateIpAddresses", []) if a.get("PrivateIpAddress")],
            "public_ips": [a["Association"]["PublicIp"] for a in nic.get("PrivateIpAddresses", [])
                           if (a.get("Association") or {}).get("PublicIp")],
            "nic_private_ip_address": nic.get("PrivateIpAddress"), "nic_subnet_id": nic.get("SubnetId"),
            "nic_availability_zone": nic.get("AvailabilityZone"), "nic_source_dest_check": nic.get("SourceDestCheck"),
        }, parent=region.node(nic["SubnetId"]) if nic.get("SubnetId") else None)  # fmt: skip
        instance = (nic.get("Attachment") or {}).get("InstanceId")
        if instance:
            graph.edge(region.node(instance), node)
