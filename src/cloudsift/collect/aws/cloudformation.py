"""CloudFormation: the region's stacks (DescribeStacks), each with the resources it made (ListStackResources,
per stack, every page), which lead from the stack to those of them cloudsift collects, as Fix draws it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cloudsift.collect.aws.convert import Field, each, last_arn_part, struct, tag_list
from cloudsift.collect.aws.declare import AwsKind, Detail, Edge, Listing, aws_service
from cloudsift.collect.aws.values import timestamp

# A stack resource's AWS type -> the cloudsift kind whose id its PhysicalResourceId is (with a converter
# where CloudFormation's id is longer: a queue's URL). Fix matches name and a kind made of the type's words
# ("AWS::EC2::VPC" -> aws_ec2_vpc), which misses every kind it names otherwise (aws_vpc): a table says it.
STACK_RESOURCE_KINDS: dict[str, tuple[str, Callable[[Any], Any] | None]] = {
    "AWS::EC2::Instance": ("aws_ec2_instance", None), "AWS::EC2::VPC": ("aws_vpc", None),
    "AWS::EC2::Subnet": ("aws_ec2_subnet", None), "AWS::EC2::SecurityGroup": ("aws_ec2_security_group", None),
    "AWS::EC2::Volume": ("aws_ec2_volume", None), "AWS::EC2::RouteTable": ("aws_ec2_route_table", None),
    "AWS::EC2::InternetGateway": ("aws_ec2_internet_gateway", None),
    "AWS::EC2::LaunchTemplate": ("aws_ec2_launch_template", None), "AWS::S3::Bucket": ("aws_s3_bucket", None),
    "AWS::SNS::Topic": ("aws_sns_topic", None), "AWS::SQS::Queue": ("aws_sqs_queue", last_arn_part),
    "AWS::Lambda::Function": ("aws_lambda_function", None), "AWS::KMS::Key": ("aws_kms_key", None),
    "AWS::Logs::LogGroup": ("aws_cloudwatch_log_group", None), "AWS::RDS::DBInstance": ("aws_rds_instance", None),
    "AWS::ECR::Repository": ("aws_ecr_repository", None), "AWS::ECS::Cluster": ("aws_ecs_cluster", None),
    "AWS::AutoScaling::AutoScalingGroup": ("aws_autoscaling_group", None),
}  # fmt: skip


def made(resource_type: str, convert: Callable[[Any], Any] | None) -> Callable[[Any], list[Any]]:
    """The ids of the stack's resources of one AWS type."""

    def ids(resources: Any) -> list[Any]:
        found = [
            r.get("PhysicalResourceId") for r in resources or [] if r.get("ResourceType") == resource_type
        ]
        return [convert(i) if convert is not None else i for i in found]

    ids.__name__ = f"made({resource_type!r})"
    return ids


def parameters(value: Any) -> dict[str, str]:
    """[{ParameterKey, ParameterValue}, ...] as a map (a NoEcho parameter's value is AWS's `****`)."""
    return {
        str(p["ParameterKey"]): str(p.get("ParameterValue") or "") for p in value or [] if "ParameterKey" in p
    }


STACK = AwsKind(
    "aws_cloudformation_stack",
    Listing("cloudformation", "DescribeStacks", "Stacks"),
    id="StackId", name="StackName", arn="StackId", tags=Field("Tags", tag_list), node="cloudformation-stack/",
    ctime="CreationTime", mtime="LastUpdatedTime",
    details=(Detail("ListStackResources", "resources", {"StackName": "StackId"}, key="StackResourceSummaries",
                    missing=("ValidationError",), paged=True),),
    props={
        "stack_status": "StackStatus", "stack_status_reason": "StackStatusReason",
        "stack_parameters": Field("Parameters", parameters), "stack_change_set_id": "ChangeSetId",
        "description": "Description", "stack_deletion_time": Field("DeletionTime", timestamp),
        "stack_rollback_configuration": Field("RollbackConfiguration", struct({
            "rollback_triggers": Field("RollbackTriggers", each({"arn": "Arn", "type": "Type"})),
            "monitoring_time_in_minutes": "MonitoringTimeInMinutes",
        })),
        "stack_disable_rollback": "DisableRollback", "stack_notification_ar_ns": "NotificationARNs",
        "stack_timeout_in_minutes": "TimeoutInMinutes", "stack_capabilities": "Capabilities",
        "stack_outputs": Field("Outputs", each({
            "output_key": "OutputKey", "output_value": "OutputValue", "description": "Description",
            "export_name": "ExportName",
        })),
        "stack_role_arn": "RoleARN", "stack_enable_termination_protection": "EnableTerminationProtection",
        "stack_parent_id": "ParentId", "stack_root_id": "RootId",
        "stack_drift_information": Field("DriftInformation", struct({
            "stack_drift_status": "StackDriftStatus",
            "last_check_timestamp": Field("LastCheckTimestamp", timestamp),
        })),
    },
    edges=tuple(Edge(kind, "resources", made(rtype, convert)) for rtype, (kind, convert) in STACK_RESOURCE_KINDS.items()),
)  # fmt: skip

aws_service("cloudformation", STACK)
