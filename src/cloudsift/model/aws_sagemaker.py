"""Kinds of SageMaker: notebook instances, models and training jobs (Fix Inventory's kind, property and
struct names; tests/model/test_fix_names.py holds them)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from cloudsift.model.aws import AwsResource
from cloudsift.model.base import struct
from cloudsift.model.core import kind_class


@kind_class
class AwsSagemakerNotebook(AwsResource):
    """A notebook instance: `notebook_direct_internet_access` Enabled means it reaches the internet without
    the VPC; `notebook_root_access` Enabled lets its users be root."""

    kind: ClassVar[str] = "aws_sagemaker_notebook"
    notebook_instance_status: str
    notebook_failure_reason: str
    notebook_url: str
    notebook_instance_type: str
    notebook_instance_lifecycle_config_name: str
    notebook_direct_internet_access: str
    notebook_volume_size_in_gb: int
    notebook_accelerator_types: list[str]
    notebook_default_code_repository: str
    notebook_additional_code_repositories: list[str]
    notebook_root_access: str
    notebook_platform_identifier: str
    notebook_instance_metadata_service_configuration: str


@struct
class AwsSagemakerImageConfig:
    repository_access_mode: str
    repository_auth_config: str


@struct
class AwsSagemakerContainerDefinition:
    container_hostname: str
    image: str
    image_config: AwsSagemakerImageConfig
    mode: str
    model_data_url: str
    environment: dict[str, str]
    model_package_name: str
    inference_specification_name: str
    multi_model_config: str


@struct
class AwsSagemakerVpcConfig:
    security_group_ids: list[str]
    subnets: list[str]


@kind_class
class AwsSagemakerModel(AwsResource):
    """A model: its containers (image, artifacts in S3), its VPC and whether its network is isolated."""

    kind: ClassVar[str] = "aws_sagemaker_model"
    model_primary_container: AwsSagemakerContainerDefinition
    model_containers: list[AwsSagemakerContainerDefinition]
    model_inference_execution_config: str
    model_vpc_config: AwsSagemakerVpcConfig
    model_enable_network_isolation: bool


@struct
class AwsSagemakerMetricDefinition:
    name: str
    regex: str


@struct
class AwsSagemakerAlgorithmSpecification:
    training_image: str
    algorithm_name: str
    training_input_mode: str
    metric_definitions: list[AwsSagemakerMetricDefinition]
    enable_sage_maker_metrics_time_series: bool
    container_entrypoint: list[str]
    container_arguments: list[str]


@struct
class AwsSagemakerS3DataSource:
    s3_data_type: str
    s3_uri: str
    s3_data_distribution_type: str
    attribute_names: list[str]
    instance_group_names: list[str]


@struct
class AwsSagemakerFileSystemDataSource:
    file_system_id: str
    file_system_access_mode: str
    file_system_type: str
    directory_path: str


@struct
class AwsSagemakerDataSource:
    s3_data_source: AwsSagemakerS3DataSource
    file_system_data_source: AwsSagemakerFileSystemDataSource


@struct
class AwsSagemakerChannel:
    channel_name: str
    data_source: AwsSagemakerDataSource
    content_type: str
    compression_type: str
    record_wrapper_type: str
    input_mode: str
    shuffle_config: int


@struct
class AwsSagemakerOutputDataConfig:
    """Where a job writes its model and with which KMS key (null: S3's default encryption)."""

    kms_key_id: str
    s3_output_path: str


@struct
class AwsSagemakerInstanceGroup:
    instance_type: str
    instance_count: int
    instance_group_name: str


@struct
class AwsSagemakerResourceConfig:
    """The job's instances; `volume_kms_key_id` null: their storage volumes use no key of one's own."""

    instance_type: str
    instance_count: int
    volume_size_in_gb: int
    volume_kms_key_id: str
    instance_groups: list[AwsSagemakerInstanceGroup]
    keep_alive_period_in_seconds: int


@struct
class AwsSagemakerStoppingCondition:
    max_runtime_in_seconds: int
    max_wait_time_in_seconds: int


@struct
class AwsSagemakerSecondaryStatusTransition:
    status: str
    start_time: dt.datetime
    end_time: dt.datetime
    status_message: str


@struct
class AwsSagemakerMetricData:
    metric_name: str
    value: float
    timestamp: dt.datetime


@struct
class AwsSagemakerCheckpointConfig:
    s3_uri: str
    local_path: str


@struct
class AwsSagemakerCollectionConfiguration:
    collection_name: str
    collection_parameters: dict[str, str]


@struct
class AwsSagemakerDebugHookConfig:
    local_path: str
    s3_output_path: str
    hook_parameters: dict[str, str]
    collection_configurations: list[AwsSagemakerCollectionConfiguration]


@struct
class AwsSagemakerDebugRuleConfiguration:
    rule_configuration_name: str
    local_path: str
    s3_output_path: str
    rule_evaluator_image: str
    instance_type: str
    volume_size_in_gb: int
    rule_parameters: dict[str, str]


@struct
class AwsSagemakerTensorBoardOutputConfig:
    local_path: str
    s3_output_path: str


@struct
class AwsSagemakerDebugRuleEvaluationStatus:
    rule_configuration_name: str
    rule_evaluation_job_arn: str
    rule_evaluation_status: str
    status_details: str
    last_modified_time: dt.datetime


@struct
class AwsSagemakerProfilerConfig:
    s3_output_path: str
    profiling_interval_in_milliseconds: int
    profiling_parameters: dict[str, str]


@struct
class AwsSagemakerProfilerRuleConfiguration:
    rule_configuration_name: str
    local_path: str
    s3_output_path: str
    rule_evaluator_image: str
    instance_type: str
    volume_size_in_gb: int
    rule_parameters: dict[str, str]


@struct
class AwsSagemakerProfilerRuleEvaluationStatus:
    rule_configuration_name: str
    rule_evaluation_job_arn: str
    rule_evaluation_status: str
    status_details: str
    last_modified_time: dt.datetime


@struct
class AwsSagemakerWarmPoolStatus:
    status: str
    resource_retained_billable_time_in_seconds: int
    reused_by_job: str


@kind_class
class AwsSagemakerTrainingJob(AwsResource):
    """A training job: where its data and model live, its instances' and output's KMS keys, its VPC, and
    whether traffic between its containers is encrypted."""

    kind: ClassVar[str] = "aws_sagemaker_training_job"
    training_job_tuning_job_arn: str
    training_job_labeling_job_arn: str
    training_job_auto_ml_job_arn: str
    training_job_model_artifacts: str
    training_job_training_job_status: str
    training_job_secondary_status: str
    training_job_failure_reason: str
    training_job_hyper_parameters: dict[str, str]
    training_job_algorithm_specification: AwsSagemakerAlgorithmSpecification
    training_job_input_data_config: list[AwsSagemakerChannel]
    training_job_output_data_config: AwsSagemakerOutputDataConfig
    training_job_resource_config: AwsSagemakerResourceConfig
    training_job_vpc_config: AwsSagemakerVpcConfig
    training_job_stopping_condition: AwsSagemakerStoppingCondition
    training_job_training_start_time: dt.datetime
    training_job_training_end_time: dt.datetime
    training_job_secondary_status_transitions: list[AwsSagemakerSecondaryStatusTransition]
    training_job_final_metric_data_list: list[AwsSagemakerMetricData]
    training_job_enable_network_isolation: bool
    training_job_enable_inter_container_traffic_encryption: bool
    training_job_enable_managed_spot_training: bool
    training_job_checkpoint_config: AwsSagemakerCheckpointConfig
    training_job_training_time_in_seconds: int
    training_job_billable_time_in_seconds: int
    training_job_debug_hook_config: AwsSagemakerDebugHookConfig
    training_job_trial_component_display_name: str
    training_job_debug_rule_configurations: list[AwsSagemakerDebugRuleConfiguration]
    training_job_tensor_board_output_config: AwsSagemakerTensorBoardOutputConfig
    training_job_debug_rule_evaluation_statuses: list[AwsSagemakerDebugRuleEvaluationStatus]
    training_job_profiler_config: AwsSagemakerProfilerConfig
    training_job_profiler_rule_configurations: list[AwsSagemakerProfilerRuleConfiguration]
    training_job_profiler_rule_evaluation_statuses: list[AwsSagemakerProfilerRuleEvaluationStatus]
    training_job_profiling_status: str
    training_job_retry_strategy: int
    training_job_environment: dict[str, str]
    training_job_warm_pool_status: AwsSagemakerWarmPoolStatus
