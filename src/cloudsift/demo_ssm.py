"""The one API the emulated AWS adds to moto: SSM's DescribeInstanceInformation, which moto does not
implement (it answers HTTP 500).

As SSM does for an agent that registered, every running EC2 instance with an instance profile is a managed
node, Online; an instance without one is not managed. It is served by moto's own server over HTTP, from
moto's EC2 state, so the collector and boto3 talk to it as to the other APIs.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

AGENT_VERSION = "3.3.40.0"
OPERATION = "describe_instance_information"  # moto's response method, named after the API's operation


def _managed_nodes(account: str, region: str) -> list[dict[str, Any]]:
    from moto.ec2.models import ec2_backends

    backend = ec2_backends[account][region]
    nodes = []
    for instance in backend.all_running_instances():
        if not (instance.iam_instance_profile or instance.id in backend.iam_instance_profile_associations):
            continue
        nodes.append({
            "InstanceId": instance.id, "PingStatus": "Online", "LastPingDateTime": instance.launch_time.replace(tzinfo=dt.UTC).timestamp(),
            "AgentVersion": AGENT_VERSION, "IsLatestVersion": True,
            "PlatformType": "Windows" if instance.platform == "windows" else "Linux",
            "PlatformName": "Amazon Linux" if instance.platform != "windows" else "Microsoft Windows Server",
            "ResourceType": "EC2Instance", "IPAddress": instance.private_ip,
            "ComputerName": f"ip-{str(instance.private_ip).replace('.', '-')}.{region}.compute.internal",
            "AssociationStatus": "Success", "SourceId": instance.id, "SourceType": "AWS::EC2::Instance",
        })  # fmt: skip
    return nodes


def describe_instance_information(self: Any) -> str:
    return json.dumps({"InstanceInformationList": _managed_nodes(self.current_account, self.region)})


def serve_managed_instances(served: bool = True) -> None:
    """Make moto answer DescribeInstanceInformation (or, `served` False, answer it as moto does: 500)."""
    from moto.ssm.responses import SimpleSystemManagerResponse

    if served:
        setattr(SimpleSystemManagerResponse, OPERATION, describe_instance_information)
    elif hasattr(SimpleSystemManagerResponse, OPERATION):
        delattr(SimpleSystemManagerResponse, OPERATION)
