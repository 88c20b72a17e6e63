"""Auto Scaling groups (Fix's names)."""

from __future__ import annotations

from typing import ClassVar

from cloudsift.model.aws import AwsResource
from cloudsift.model.base import struct
from cloudsift.model.core import kind_class


@struct
class AwsAutoscalingLaunchTemplateSpecification:
    launch_template_id: str
    launch_template_name: str
    version: str


@struct
class AwsAutoscalingInstance:
    instance_id: str
    instance_type: str
    availability_zone: str
    lifecycle_state: str
    health_status: str
    launch_configuration_name: str
    launch_template: AwsAutoscalingLaunchTemplateSpecification
    protected_from_scale_in: bool
    weighted_capacity: str


@struct
class AwsAutoscalingSuspendedProcess:
    process_name: str
    suspension_reason: str


@kind_class
class AwsAutoscalingGroup(AwsResource):
    """An Auto Scaling group: it leads to its instances and its launch template."""

    kind: ClassVar[str] = "aws_autoscaling_group"
    min_size: int
    max_size: int
    autoscaling_launch_configuration_name: str
    autoscaling_launch_template: AwsAutoscalingLaunchTemplateSpecification
    autoscaling_predicted_capacity: int
    autoscaling_default_cooldown: int
    autoscaling_availability_zones: list[str]
    autoscaling_load_balancer_names: list[str]
    autoscaling_target_group_ar_ns: list[str]
    autoscaling_health_check_type: str
    autoscaling_health_check_grace_period: int
    autoscaling_instances: list[AwsAutoscalingInstance]
    autoscaling_suspended_processes: list[AwsAutoscalingSuspendedProcess]
    autoscaling_placement_group: str
    autoscaling_vpc_zone_identifier: str
    autoscaling_status: str
    autoscaling_termination_policies: list[str]
    autoscaling_new_instances_protected_from_scale_in: bool
    autoscaling_service_linked_role_arn: str
    autoscaling_max_instance_lifetime: int
    autoscaling_capacity_rebalance: bool
    autoscaling_context: str
    autoscaling_desired_capacity_type: str
    autoscaling_default_instance_warmup: int
