"""SageMaker: notebook instances, models and training jobs, each described and its tags asked per resource."""

from __future__ import annotations

from typing import Any

from cloudsift.collect.aws.convert import Field, Source, each, last_arn_part, path_value, struct, tag_list
from cloudsift.collect.aws.declare import AwsKind, Detail, Edge, Listing, aws_service


def bucket_of(uri: Any) -> str | None:
    """The bucket of an S3 URI (`s3://models/run-1/` -> `models`)."""
    if not isinstance(uri, str) or not uri.startswith("s3://"):
        return None
    return uri[5:].split("/", 1)[0] or None


def buckets_at(*paths: str) -> Any:
    """The buckets of the S3 URIs at these dotted paths of the item (a `*` part goes into each of a list)."""

    def buckets(item: Any) -> list[str]:
        found: list[str] = []
        for path in paths:
            head, _, tail = path.partition(".*.")
            values = (
                [path_value(v, tail) for v in path_value(item, head) or []]
                if tail
                else [path_value(item, path)]
            )
            found += [b for b in map(bucket_of, values) if b and b not in found]
        return found

    buckets.__name__ = "buckets_at"
    return buckets


def _tags(arn: str) -> Detail:
    return Detail("ListTags", "tags", {"ResourceArn": arn}, key="Tags", missing=("ValidationException",))


VPC = struct({"security_group_ids": "SecurityGroupIds", "subnets": "Subnets"})


def vpc_config(value: Any) -> Any:
    """A VPC configuration as a struct; an empty one (moto's answer for none) is none."""
    return VPC(value) if value else None


CONTAINER: dict[str, Source] = {
    "container_hostname": "ContainerHostname", "image": "Image",
    "image_config": Field("ImageConfig", struct({
        "repository_access_mode": "RepositoryAccessMode",
        "repository_auth_config": "RepositoryAuthConfig.RepositoryCredentialsProviderArn",
    })),
    "mode": "Mode", "model_data_url": "ModelDataUrl", "environment": "Environment",
    "model_package_name": "ModelPackageName", "inference_specification_name": "InferenceSpecificationName",
    "multi_model_config": "MultiModelConfig.ModelCacheSetting",
}  # fmt: skip
RULE_CONFIGURATION: dict[str, Source] = {
    "rule_configuration_name": "RuleConfigurationName", "local_path": "LocalPath", "s3_output_path": "S3OutputPath",
    "rule_evaluator_image": "RuleEvaluatorImage", "instance_type": "InstanceType",
    "volume_size_in_gb": "VolumeSizeInGB", "rule_parameters": "RuleParameters",
}  # fmt: skip
RULE_EVALUATION: dict[str, Source] = {
    "rule_configuration_name": "RuleConfigurationName", "rule_evaluation_job_arn": "RuleEvaluationJobArn",
    "rule_evaluation_status": "RuleEvaluationStatus", "status_details": "StatusDetails",
    "last_modified_time": "LastModifiedTime",
}  # fmt: skip

NOTEBOOK = AwsKind(
    "aws_sagemaker_notebook",
    Listing("sagemaker", "ListNotebookInstances", "NotebookInstances"),
    id="NotebookInstanceName", arn="NotebookInstanceArn", ctime="CreationTime", mtime="LastModifiedTime",
    node="notebook/", tags=Field("tags", tag_list),
    details=(
        Detail("DescribeNotebookInstance", "nb", {"NotebookInstanceName": "NotebookInstanceName"},
               missing=("ValidationException",)),
        _tags("NotebookInstanceArn"),
    ),
    props={
        "notebook_instance_status": "nb.NotebookInstanceStatus", "notebook_failure_reason": "nb.FailureReason",
        "notebook_url": "nb.Url", "notebook_instance_type": "nb.InstanceType",
        "notebook_instance_lifecycle_config_name": "nb.NotebookInstanceLifecycleConfigName",
        "notebook_direct_internet_access": "nb.DirectInternetAccess",
        "notebook_volume_size_in_gb": "nb.VolumeSizeInGB", "notebook_accelerator_types": "nb.AcceleratorTypes",
        "notebook_default_code_repository": "nb.DefaultCodeRepository",
        "notebook_additional_code_repositories": "nb.AdditionalCodeRepositories",
        "notebook_root_access": "nb.RootAccess", "notebook_platform_identifier": "nb.PlatformIdentifier",
        "notebook_instance_metadata_service_configuration":
            "nb.InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion",
    },
    parent=(Edge("aws_ec2_subnet", "nb.SubnetId"),),
    edges=(
        Edge("aws_ec2_security_group", "nb.SecurityGroups", reverse=True),
        Edge("aws_iam_role", "nb.RoleArn", last_arn_part, reverse=True),
        Edge("aws_kms_key", "nb.KmsKeyId", last_arn_part),
        Edge("aws_ec2_network_interface", "nb.NetworkInterfaceId"),
    ),
)  # fmt: skip

MODEL = AwsKind(
    "aws_sagemaker_model",
    Listing("sagemaker", "ListModels", "Models"),
    id="ModelName", arn="ModelArn", ctime="CreationTime", node="sagemaker-model/", tags=Field("tags", tag_list),
    details=(
        Detail("DescribeModel", "m", {"ModelName": "ModelName"}, missing=("ValidationException",)),
        _tags("ModelArn"),
    ),
    props={
        "model_primary_container": Field("m.PrimaryContainer", struct(CONTAINER)),
        "model_containers": Field("m.Containers", each(CONTAINER)),
        "model_inference_execution_config": "m.InferenceExecutionConfig.Mode",
        "model_vpc_config": Field("m.VpcConfig", vpc_config),
        "model_enable_network_isolation": "m.EnableNetworkIsolation",
    },
    edges=(
        Edge("aws_s3_bucket", "m", buckets_at("PrimaryContainer.ModelDataUrl", "Containers.*.ModelDataUrl")),
        Edge("aws_iam_role", "m.ExecutionRoleArn", last_arn_part),
        Edge("aws_ec2_security_group", "m.VpcConfig.SecurityGroupIds", reverse=True),
        Edge("aws_ec2_subnet", "m.VpcConfig.Subnets", reverse=True),
    ),
)  # fmt: skip

TRAINING_JOB = AwsKind(
    "aws_sagemaker_training_job",
    Listing("sagemaker", "ListTrainingJobs", "TrainingJobSummaries"),
    id="TrainingJobName", arn="TrainingJobArn", ctime="CreationTime", mtime="LastModifiedTime",
    node="training-job/", tags=Field("tags", tag_list),
    details=(
        Detail("DescribeTrainingJob", "j", {"TrainingJobName": "TrainingJobName"}, missing=("ValidationException",)),
        _tags("TrainingJobArn"),
    ),
    props={
        "training_job_tuning_job_arn": "j.TuningJobArn", "training_job_labeling_job_arn": "j.LabelingJobArn",
        "training_job_auto_ml_job_arn": "j.AutoMLJobArn",
        "training_job_model_artifacts": "j.ModelArtifacts.S3ModelArtifacts",
        "training_job_training_job_status": "j.TrainingJobStatus",
        "training_job_secondary_status": "j.SecondaryStatus", "training_job_failure_reason": "j.FailureReason",
        "training_job_hyper_parameters": "j.HyperParameters",
        "training_job_algorithm_specification": Field("j.AlgorithmSpecification", struct({
            "training_image": "TrainingImage", "algorithm_name": "AlgorithmName",
            "training_input_mode": "TrainingInputMode",
            "metric_definitions": Field("MetricDefinitions", each({"name": "Name", "regex": "Regex"})),
            "enable_sage_maker_metrics_time_series": "EnableSageMakerMetricsTimeSeries",
            "container_entrypoint": "ContainerEntrypoint", "container_arguments": "ContainerArguments",
        })),
        "training_job_input_data_config": Field("j.InputDataConfig", each({
            "channel_name": "ChannelName",
            "data_source": Field("DataSource", struct({
                "s3_data_source": Field("S3DataSource", struct({
                    "s3_data_type": "S3DataType", "s3_uri": "S3Uri",
                    "s3_data_distribution_type": "S3DataDistributionType", "attribute_names": "AttributeNames",
                    "instance_group_names": "InstanceGroupNames",
                })),
                "file_system_data_source": Field("FileSystemDataSource", struct({
                    "file_system_id": "FileSystemId", "file_system_access_mode": "FileSystemAccessMode",
                    "file_system_type": "FileSystemType", "directory_path": "DirectoryPath",
                })),
            })),
            "content_type": "ContentType", "compression_type": "CompressionType",
            "record_wrapper_type": "RecordWrapperType", "input_mode": "InputMode", "shuffle_config": "ShuffleConfig.Seed",
        })),
        "training_job_output_data_config": Field("j.OutputDataConfig", struct({
            "kms_key_id": "KmsKeyId", "s3_output_path": "S3OutputPath",
        })),
        "training_job_resource_config": Field("j.ResourceConfig", struct({
            "instance_type": "InstanceType", "instance_count": "InstanceCount", "volume_size_in_gb": "VolumeSizeInGB",
            "volume_kms_key_id": "VolumeKmsKeyId",
            "instance_groups": Field("InstanceGroups", each({
                "instance_type": "InstanceType", "instance_count": "InstanceCount",
                "instance_group_name": "InstanceGroupName",
            })),
            "keep_alive_period_in_seconds": "KeepAlivePeriodInSeconds",
        })),
        "training_job_vpc_config": Field("j.VpcConfig", vpc_config),
        "training_job_stopping_condition": Field("j.StoppingCondition", struct({
            "max_runtime_in_seconds": "MaxRuntimeInSeconds", "max_wait_time_in_seconds": "MaxWaitTimeInSeconds",
        })),
        "training_job_training_start_time": "j.TrainingStartTime",
        "training_job_training_end_time": "j.TrainingEndTime",
        "training_job_secondary_status_transitions": Field("j.SecondaryStatusTransitions", each({
            "status": "Status", "start_time": "StartTime", "end_time": "EndTime", "status_message": "StatusMessage",
        })),
        "training_job_final_metric_data_list": Field("j.FinalMetricDataList", each({
            "metric_name": "MetricName", "value": "Value", "timestamp": "Timestamp",
        })),
        "training_job_enable_network_isolation": "j.EnableNetworkIsolation",
        "training_job_enable_inter_container_traffic_encryption": "j.EnableInterContainerTrafficEncryption",
        "training_job_enable_managed_spot_training": "j.EnableManagedSpotTraining",
        "training_job_checkpoint_config": Field("j.CheckpointConfig", struct({
            "s3_uri": "S3Uri", "local_path": "LocalPath",
        })),
        "training_job_training_time_in_seconds": "j.TrainingTimeInSeconds",
        "training_job_billable_time_in_seconds": "j.BillableTimeInSeconds",
        "training_job_debug_hook_config": Field("j.DebugHookConfig", struct({
            "local_path": "LocalPath", "s3_output_path": "S3OutputPath", "hook_parameters": "HookParameters",
            "collection_configurations": Field("CollectionConfigurations", each({
                "collection_name": "CollectionName", "collection_parameters": "CollectionParameters",
            })),
        })),
        "training_job_trial_component_display_name": "j.ExperimentConfig.TrialComponentDisplayName",
        "training_job_debug_rule_configurations": Field("j.DebugRuleConfigurations", each(RULE_CONFIGURATION)),
        "training_job_tensor_board_output_config": Field("j.TensorBoardOutputConfig", struct({
            "local_path": "LocalPath", "s3_output_path": "S3OutputPath",
        })),
        "training_job_debug_rule_evaluation_statuses": Field("j.DebugRuleEvaluationStatuses", each(RULE_EVALUATION)),
        "training_job_profiler_config": Field("j.ProfilerConfig", struct({
            "s3_output_path": "S3OutputPath", "profiling_interval_in_milliseconds": "ProfilingIntervalInMilliseconds",
            "profiling_parameters": "ProfilingParameters",
        })),
        "training_job_profiler_rule_configurations": Field("j.ProfilerRuleConfigurations", each(RULE_CONFIGURATION)),
        "training_job_profiler_rule_evaluation_statuses": Field(
            "j.ProfilerRuleEvaluationStatuses", each(RULE_EVALUATION)),
        "training_job_profiling_status": "j.ProfilingStatus",
        "training_job_retry_strategy": "j.RetryStrategy.MaximumRetryAttempts",
        "training_job_environment": "j.Environment",
        "training_job_warm_pool_status": Field("j.WarmPoolStatus", struct({
            "status": "Status", "resource_retained_billable_time_in_seconds": "ResourceRetainedBillableTimeInSeconds",
            "reused_by_job": "ReusedByJob",
        })),
    },
    edges=(
        Edge("aws_s3_bucket", "j", buckets_at(
            "ModelArtifacts.S3ModelArtifacts", "InputDataConfig.*.DataSource.S3DataSource.S3Uri",
            "OutputDataConfig.S3OutputPath", "CheckpointConfig.S3Uri", "DebugHookConfig.S3OutputPath",
            "TensorBoardOutputConfig.S3OutputPath", "ProfilerConfig.S3OutputPath",
        )),
        Edge("aws_iam_role", "j.RoleArn", last_arn_part, reverse=True),
        Edge("aws_kms_key", "j.OutputDataConfig.KmsKeyId", last_arn_part),
        Edge("aws_kms_key", "j.ResourceConfig.VolumeKmsKeyId", last_arn_part),
        Edge("aws_ec2_security_group", "j.VpcConfig.SecurityGroupIds", reverse=True),
        Edge("aws_ec2_subnet", "j.VpcConfig.Subnets", reverse=True),
    ),
)  # fmt: skip

aws_service("sagemaker", NOTEBOOK, MODEL, TRAINING_JOB)
