"""Auto Scaling groups: they lead to their instances and to their launch template."""

from __future__ import annotations

from typing import Any

from cloudsift.collect.aws.convert import Field, each, struct, tag_list
from cloudsift.collect.aws.declare import AwsKind, Edge, Listing, aws_service

TEMPLATE = {
    "launch_template_id": "LaunchTemplateId",
    "launch_template_name": "LaunchTemplateName",
    "version": "Version",
}


def _instance_ids(instances: Any) -> list[str]:
    return [i.get("InstanceId") for i in instances or []]


GROUP = AwsKind(
    "aws_autoscaling_group",
    Listing("autoscaling", "DescribeAutoScalingGroups", "AutoScalingGroups"),
    id="AutoScalingGroupName", arn="AutoScalingGroupARN", ctime="CreatedTime", tags=Field("Tags", tag_list),
    node="autoscaling-group/",
    props={
        "min_size": "MinSize", "max_size": "MaxSize",
        "autoscaling_launch_configuration_name": "LaunchConfigurationName",
        "autoscaling_launch_template": Field("LaunchTemplate", struct(TEMPLATE)),
        "autoscaling_predicted_capacity": "PredictedCapacity", "autoscaling_default_cooldown": "DefaultCooldown",
        "autoscaling_availability_zones": "AvailabilityZones", "autoscaling_load_balancer_names": "LoadBalancerNames",
        "autoscaling_target_group_ar_ns": "TargetGroupARNs", "autoscaling_health_check_type": "HealthCheckType",
        "autoscaling_health_check_grace_period": "HealthCheckGracePeriod",
        "autoscaling_instances": Field("Instances", each({
            "instance_id": "InstanceId", "instance_type": "InstanceType", "availability_zone": "AvailabilityZone",
            "lifecycle_state": "LifecycleState", "health_status": "HealthStatus",
            "launch_configuration_name": "LaunchConfigurationName",
            "launch_template": Field("LaunchTemplate", struct(TEMPLATE)),
            "protected_from_scale_in": "ProtectedFromScaleIn", "weighted_capacity": "WeightedCapacity",
        })),
        "autoscaling_suspended_processes": Field("SuspendedProcesses", each({
            "process_name": "ProcessName", "suspension_reason": "SuspensionReason"})),
        "autoscaling_placement_group": "PlacementGroup", "autoscaling_vpc_zone_identifier": "VPCZoneIdentifier",
        "autoscaling_status": "Status", "autoscaling_termination_policies": "TerminationPolicies",
        "autoscaling_new_instances_protected_from_scale_in": "NewInstancesProtectedFromScaleIn",
        "autoscaling_service_linked_role_arn": "ServiceLinkedRoleARN",
        "autoscaling_max_instance_lifetime": "MaxInstanceLifetime", "autoscaling_capacity_rebalance": "CapacityRebalance",
        "autoscaling_context": "Context", "autoscaling_desired_capacity_type": "DesiredCapacityType",
        "autoscaling_default_instance_warmup": "DefaultInstanceWarmup",
    },
    edges=(
        Edge("aws_ec2_instance", "Instances", _instance_ids),
        Edge("aws_ec2_launch_template", "LaunchTemplate.LaunchTemplateId"),
    ),
)  # fmt: skip

aws_service("autoscaling", GROUP)
