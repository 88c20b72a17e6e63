"""Fix Inventory's names, as facts: a cloudsift kind, property or struct field named differently fails here.

The lists are Fix Inventory's property names per kind (someengineering/fixinventory,
plugins/aws/fix_plugin_aws/resource/*.py, its base classes included), written down by hand so that a later
rename in cloudsift cannot slip in unnoticed. A kind Fix does not have is listed in ONLY_CLOUDSIFT with why.
A new AWS kind gets its line here; a property Fix does not have is not a Fix property, whatever it is called.
"""

from __future__ import annotations

import pytest

from cloudsift.model import MODEL
from cloudsift.model.base import Model
from cloudsift.model.types import DATETIME, ListOf, Struct

FIX_KIND_PROPERTIES: dict[str, str] = {
    "aws_account": (
        "id tags name ctime mtime atime arn account_alias role profile partition users groups "
        "account_mfa_enabled account_access_keys_present account_signing_certificates_present mfa_devices "
        "mfa_devices_in_use policies policy_versions_in_use global_endpoint_token_version server_certificates "
        "minimum_password_length require_symbols require_numbers require_uppercase_characters "
        "require_lowercase_characters allow_users_to_change_password expire_passwords max_password_age "
        "password_reuse_prevention hard_expiry is_organization_member is_organization_master organization_id "
        "organization_arn"
    ),
    "aws_acm_certificate": (
        "id tags name ctime mtime atime arn expires dns_names sha1_fingerprint subject_alternative_names "
        "domain_validation_options serial subject issuer issued_at imported_at status revoked_at "
        "revocation_reason not_before not_after key_algorithm signature_algorithm in_use_by failure_reason "
        "type renewal_summary key_usages extended_key_usages certificate_authority_arn renewal_eligibility "
        "certificate_transparency_logging"
    ),
    "aws_alb": (
        "id tags name ctime mtime atime arn lb_type public_ip_address backends alb_dns_name "
        "alb_canonical_hosted_zone_id alb_scheme alb_state alb_availability_zones alb_security_groups "
        "alb_ip_address_type alb_customer_owned_ipv4_pool alb_type alb_listener"
    ),
    "aws_apigateway_authorizer": (
        "id tags name ctime mtime atime arn authorizer_type authorizer_provider_arns authorizer_auth_type "
        "authorizer_uri authorizer_credentials authorizer_identity_source "
        "authorizer_identity_validation_expression authorizer_result_ttl_in_seconds api_link"
    ),
    "aws_apigateway_rest_api": (
        "id tags name ctime mtime atime arn description api_version api_warnings api_binary_media_types "
        "api_minimum_compression_size api_key_source api_endpoint_configuration api_policy "
        "api_disable_execute_api_endpoint"
    ),
    "aws_apigateway_stage": (
        "id tags name ctime mtime atime arn description stage_client_certificate_id "
        "stage_cache_cluster_enabled stage_cache_cluster_size stage_cache_status stage_method_settings "
        "stage_variables stage_documentation_version stage_access_log_settings stage_canary_settings "
        "stage_tracing_enabled stage_web_acl_arn api_link"
    ),
    "aws_autoscaling_group": (
        "id tags name ctime mtime atime arn min_size max_size autoscaling_launch_configuration_name "
        "autoscaling_launch_template autoscaling_mixed_instances_policy autoscaling_predicted_capacity "
        "autoscaling_default_cooldown autoscaling_availability_zones autoscaling_load_balancer_names "
        "autoscaling_target_group_ar_ns autoscaling_health_check_type autoscaling_health_check_grace_period "
        "autoscaling_instances autoscaling_suspended_processes autoscaling_placement_group "
        "autoscaling_vpc_zone_identifier autoscaling_enabled_metrics autoscaling_status "
        "autoscaling_termination_policies autoscaling_new_instances_protected_from_scale_in "
        "autoscaling_service_linked_role_arn autoscaling_max_instance_lifetime autoscaling_capacity_rebalance "
        "autoscaling_warm_pool_configuration autoscaling_warm_pool_size autoscaling_context "
        "autoscaling_desired_capacity_type autoscaling_default_instance_warmup"
    ),
    "aws_cloud_trail": (
        "id tags name ctime mtime atime arn trail_s3_bucket_name trail_s3_key_prefix trail_sns_topic_name "
        "trail_sns_topic_arn trail_include_global_service_events trail_is_multi_region_trail "
        "trail_home_region trail_log_file_validation_enabled trail_cloud_watch_logs_log_group_arn "
        "trail_cloud_watch_logs_role_arn trail_kms_key_id trail_has_custom_event_selectors "
        "trail_has_insight_selectors trail_is_organization_trail trail_status trail_event_selectors "
        "trail_insight_selectors"
    ),
    "aws_cloudformation_stack": (
        "id tags name ctime mtime atime arn stack_status stack_status_reason stack_parameters "
        "stack_change_set_id description stack_deletion_time stack_rollback_configuration "
        "stack_disable_rollback stack_notification_ar_ns stack_timeout_in_minutes stack_capabilities "
        "stack_outputs stack_role_arn stack_enable_termination_protection stack_parent_id stack_root_id "
        "stack_drift_information"
    ),
    "aws_cloudfront_distribution": (
        "id tags name ctime mtime atime arn distribution_status distribution_in_progress_invalidation_batches "
        "distribution_active_trusted_signers distribution_active_trusted_key_groups distribution_config "
        "distribution_alias_icp_recordals"
    ),
    "aws_cloudwatch_alarm": (
        "id tags name ctime mtime atime arn cloudwatch_alarm_description cloudwatch_actions_enabled "
        "cloudwatch_ok_actions cloudwatch_alarm_actions cloudwatch_insufficient_data_actions "
        "cloudwatch_state_value cloudwatch_state_reason cloudwatch_state_reason_data "
        "cloudwatch_state_updated_timestamp cloudwatch_metric_name cloudwatch_namespace cloudwatch_statistic "
        "cloudwatch_extended_statistic cloudwatch_dimensions cloudwatch_period cloudwatch_unit "
        "cloudwatch_evaluation_periods cloudwatch_datapoints_to_alarm cloudwatch_threshold "
        "cloudwatch_comparison_operator cloudwatch_treat_missing_data "
        "cloudwatch_evaluate_low_sample_count_percentile cloudwatch_metrics cloudwatch_threshold_metric_id"
    ),
    "aws_cloudwatch_log_group": (
        "id tags name ctime mtime atime arn group_retention_in_days group_metric_filter_count "
        "group_stored_bytes group_data_protection_status group_policy"
    ),
    "aws_cloudwatch_metric_filter": "id tags name ctime mtime atime arn log_group_name filter_pattern filter_transformations",
    "aws_config_recorder": "id tags name ctime mtime atime arn recorder_group recorder_status",
    "aws_dynamodb_table": (
        "id tags name ctime mtime atime db_type db_status db_endpoint db_version db_publicly_accessible "
        "instance_type volume_size volume_iops volume_encrypted arn dynamodb_attribute_definitions "
        "dynamodb_key_schema dynamodb_table_status dynamodb_provisioned_throughput dynamodb_table_size_bytes "
        "dynamodb_item_count dynamodb_billing_mode_summary dynamodb_local_secondary_indexes "
        "dynamodb_global_secondary_indexes dynamodb_stream_specification dynamodb_latest_stream_label "
        "dynamodb_latest_stream_arn dynamodb_global_table_version dynamodb_replicas dynamodb_restore_summary "
        "dynamodb_sse_description dynamodb_archival_summary dynamodb_table_class_summary "
        "dynamodb_continuous_backup dynamodb_policy"
    ),
    "aws_ec2_elastic_ip": (
        "id tags name ctime mtime atime arn ip_address ip_address_family public_ip private_ip_address "
        "ip_allocation_id ip_association_id ip_domain ip_network_interface_id ip_public_ipv4_pool "
        "ip_network_border_group ip_customer_owned_ip ip_customer_owned_ipv4_pool ip_carrier_ip"
    ),
    "aws_ec2_flow_log": (
        "id tags name ctime mtime atime arn deliver_logs_error_message deliver_logs_permission_arn "
        "deliver_cross_account_role deliver_logs_status flow_log_status resource_id traffic_type "
        "log_destination_type log_destination log_format log_group_name max_aggregation_interval "
        "destination_options"
    ),
    "aws_ec2_image": (
        "id tags name ctime mtime atime arn architecture image_location image_type public kernel_id owner_id "
        "platform platform_details usage_operation product_codes ramdisk_id state block_device_mappings "
        "description ena_support hypervisor image_owner_alias root_device_name root_device_type "
        "sriov_net_support state_reason virtualization_type boot_mode tpm_support deprecation_time "
        "imds_support source_instance_id"
    ),
    "aws_ec2_instance": (
        "id tags name ctime mtime atime arn instance_cores instance_memory instance_type instance_status "
        "instance_ami_launch_index instance_image_id instance_kernel_id instance_key_name "
        "instance_launch_time instance_monitoring instance_placement instance_platform "
        "instance_private_dns_name instance_private_ip_address instance_product_codes "
        "instance_public_dns_name instance_public_ip_address instance_ramdisk_id instance_state "
        "instance_state_transition_reason instance_subnet_id instance_architecture "
        "instance_block_device_mappings instance_client_token instance_ebs_optimized instance_ena_support "
        "instance_hypervisor instance_iam_instance_profile instance_lifecycle "
        "instance_elastic_gpu_associations instance_elastic_inference_accelerator_associations "
        "instance_network_interfaces instance_outpost_arn instance_root_device_name instance_root_device_type "
        "instance_security_groups instance_source_dest_check instance_spot_instance_request_id "
        "instance_sriov_net_support instance_state_reason instance_virtualization_type instance_cpu_options "
        "instance_capacity_reservation_id instance_capacity_reservation_specification "
        "instance_hibernation_options instance_licenses instance_metadata_options instance_enclave_options "
        "instance_boot_mode instance_platform_details instance_usage_operation "
        "instance_usage_operation_update_time instance_private_dns_name_options instance_ipv6_address "
        "instance_tpm_support instance_maintenance_options instance_user_data"
    ),
    "aws_ec2_internet_gateway": "id tags name ctime mtime atime arn gateway_attachments",
    "aws_ec2_launch_template": (
        "id tags name ctime mtime atime arn version_number version_description created_by is_default_version "
        "launch_template_data"
    ),
    "aws_ec2_network_acl": "id tags name ctime mtime atime arn acl_associations acl_entries is_default",
    "aws_ec2_network_interface": (
        "id tags name ctime mtime atime arn network_interface_status network_interface_type mac private_ips "
        "public_ips v6_ips description nic_association nic_attachment nic_availability_zone nic_groups "
        "nic_outpost_arn nic_private_dns_name nic_private_ip_address nic_private_ip_addresses "
        "nic_ipv4_prefixes nic_ipv6_prefixes nic_requester_id nic_requester_managed nic_source_dest_check "
        "nic_subnet_id nic_tag_set nic_deny_all_igw_traffic nic_ipv6_native nic_ipv6_address"
    ),
    "aws_ec2_route_table": (
        "id tags name ctime mtime atime arn route_table_associations route_table_propagating_vgws "
        "route_table_routes owner_id"
    ),
    "aws_ec2_security_group": "id tags name ctime mtime atime arn description group_ip_permissions group_ip_permissions_egress",
    "aws_ec2_snapshot": (
        "id tags name ctime mtime atime arn snapshot_status description volume_id volume_size encrypted "
        "owner_id owner_alias snapshot_data_encryption_key_id snapshot_kms_key_id snapshot_progress "
        "snapshot_state_message snapshot_outpost_arn snapshot_storage_tier snapshot_restore_expiry_time"
    ),
    "aws_ec2_subnet": (
        "id tags name ctime mtime atime arn cidr_block subnet_availability_zone subnet_availability_zone_id "
        "subnet_available_ip_address_count subnet_cidr_block subnet_default_for_az "
        "subnet_enable_lni_at_device_index subnet_map_public_ip_on_launch "
        "subnet_map_customer_owned_ip_on_launch subnet_customer_owned_ipv4_pool subnet_state "
        "subnet_assign_ipv6_address_on_creation subnet_ipv6_cidr_block_association_set subnet_outpost_arn "
        "subnet_enable_dns64 subnet_ipv6_native subnet_private_dns_name_options_on_launch"
    ),
    "aws_ec2_volume": (
        "id tags name ctime mtime atime arn volume_size volume_type volume_status volume_iops "
        "volume_throughput volume_encrypted snapshot_before_delete volume_attachments availability_zone "
        "volume_kms_key_id volume_outpost_arn volume_snapshot_id volume_fast_restored "
        "volume_multi_attach_enabled"
    ),
    "aws_ecr_repository": (
        "id tags name ctime mtime atime arn repository_arn registry_id repository_uri image_tag_mutability "
        "image_scan_on_push encryption_configuration repository_visibility lifecycle_policy repository_policy"
    ),
    "aws_ecs_cluster": (
        "id tags name ctime mtime atime arn cluster_configuration cluster_status "
        "cluster_registered_container_instances_count cluster_running_tasks_count cluster_pending_tasks_count "
        "cluster_active_services_count cluster_statistics cluster_settings cluster_capacity_providers "
        "cluster_default_capacity_provider_strategy cluster_attachments cluster_attachments_status"
    ),
    "aws_ecs_service": (
        "id tags name ctime mtime atime arn status cluster_arn service_load_balancers service_registries "
        "service_desired_count service_running_count service_pending_count service_launch_type "
        "service_capacity_provider_strategy service_platform_version service_platform_family "
        "service_task_definition service_deployment_configuration service_task_sets service_deployments "
        "service_role_arn service_events service_placement_constraints service_placement_strategy "
        "service_network_configuration service_health_check_grace_period_seconds service_scheduling_strategy "
        "service_deployment_controller service_created_by service_enable_ecs_managed_tags "
        "service_propagate_tags service_enable_execute_command"
    ),
    "aws_ecs_container_instance": (
        "id tags name ctime mtime atime arn ec2_instance_id capacity_provider_name version version_info "
        "remaining_resources registered_resources status status_reason agent_connected running_tasks_count "
        "pending_tasks_count agent_update_status attributes attachments health_status"
    ),
    "aws_ecs_task_definition": (
        "id tags name ctime mtime atime arn container_definitions family task_role_arn execution_role_arn "
        "network_mode revision volumes status requires_attributes placement_constraints compatibilities "
        "runtime_platform requires_compatibilities cpu memory inference_accelerators pid_mode ipc_mode "
        "proxy_configuration registered_by ephemeral_storage"
    ),
    "aws_efs_file_system": (
        "id tags name ctime mtime atime arn share_size share_type share_status share_iops share_throughput "
        "share_encrypted owner_id creation_token number_of_mount_targets performance_mode throughput_mode "
        "provisioned_throughput_in_mibps availability_zone_name file_system_policy"
    ),
    "aws_eks_cluster": (
        "id tags name ctime mtime atime version endpoint arn cluster_role_arn cluster_resources_vpc_config "
        "cluster_kubernetes_network_config cluster_logging cluster_identity cluster_status "
        "cluster_certificate_authority cluster_client_request_token cluster_platform_version "
        "cluster_encryption_config cluster_connector_config"
    ),
    "aws_elasticache_cache_cluster": (
        "id tags name ctime mtime atime arn cluster_configuration_endpoint "
        "cluster_client_download_landing_page cluster_cache_node_type cluster_engine cluster_engine_version "
        "cluster_cache_cluster_status cluster_num_cache_nodes cluster_preferred_availability_zone "
        "cluster_preferred_outpost_arn cluster_preferred_maintenance_window cluster_pending_modified_values "
        "cluster_notification_configuration cluster_cache_security_groups cluster_cache_parameter_group "
        "cluster_cache_subnet_group_name cluster_cache_nodes cluster_auto_minor_version_upgrade "
        "cluster_security_groups cluster_replication_group_id cluster_snapshot_retention_limit "
        "cluster_snapshot_window cluster_auth_token_enabled cluster_auth_token_last_modified_date "
        "cluster_transit_encryption_enabled cluster_at_rest_encryption_enabled "
        "cluster_replication_group_log_delivery_enabled cluster_log_delivery_configurations"
    ),
    "aws_elb": (
        "id tags name ctime mtime atime arn lb_type public_ip_address backends scheme "
        "elb_canonical_hosted_zone_name elb_canonical_hosted_zone_name_id elb_listener_descriptions "
        "elb_policies elb_backend_server_descriptions elb_availability_zones elb_health_check "
        "elb_source_security_group elb_attributes"
    ),
    "aws_glacier_vault": (
        "id tags name ctime mtime atime arn glacier_last_inventory_date glacier_number_of_archives "
        "glacier_size_in_bytes glacier_access_policy"
    ),
    "aws_iam_access_key": "id tags name ctime mtime atime arn access_key_status access_key_last_used",
    "aws_iam_group": "id tags name ctime mtime atime arn path group_policies",
    "aws_iam_policy": (
        "id tags name ctime mtime atime arn path policy_default_version_id policy_attachment_count "
        "policy_permissions_boundary_usage_count policy_is_attachable policy_description policy_document "
        "managed"
    ),
    "aws_iam_role": (
        "id tags name ctime mtime atime arn path description role_assume_role_policy_document "
        "role_max_session_duration role_permissions_boundary role_last_used role_policies"
    ),
    "aws_iam_server_certificate": "id tags name ctime mtime atime arn expires dns_names sha1_fingerprint path",
    "aws_iam_user": (
        "id tags name ctime mtime atime arn path user_policies user_permissions_boundary password_enabled "
        "password_last_used password_last_changed password_next_rotation mfa_active user_virtual_mfa_devices"
    ),
    "aws_kms_key": (
        "id tags name ctime mtime atime arn access_key_status kms_aws_account_id kms_enabled kms_description "
        "kms_key_usage kms_origin kms_key_manager kms_customer_master_key_spec kms_key_spec "
        "kms_encryption_algorithms kms_multi_region kms_deletion_date kms_valid_to kms_custom_key_store_id "
        "kms_cloud_hsm_cluster_id kms_expiration_model kms_signing_algorithms kms_multiregion_configuration "
        "kms_pending_deletion_window_in_days kms_mac_algorithms kms_key_rotation_enabled kms_key_policy"
    ),
    "aws_lambda_function": (
        "id tags name ctime mtime atime arn memory_size function_runtime function_role function_handler "
        "function_code_size function_description function_timeout function_memory_size function_code_sha256 "
        "function_version function_dead_letter_config function_environment function_kms_key_arn "
        "function_tracing_config function_master_arn function_revision_id function_layers function_state "
        "function_state_reason function_state_reason_code function_last_update_status "
        "function_last_update_status_reason function_last_update_status_reason_code "
        "function_file_system_configs function_package_type function_image_config_response "
        "function_signing_profile_version_arn function_signing_job_arn function_architectures "
        "function_ephemeral_storage function_policy function_url_config"
    ),
    "aws_opensearch_domain": (
        "id tags name ctime mtime atime arn created deleted endpoint endpoint_v2 endpoints processing "
        "upgrade_processing engine_version cluster_config ebs_options access_policies ip_address_type "
        "snapshot_options vpc_options cognito_options encryption_at_rest_options "
        "node_to_node_encryption_options advanced_options log_publishing_options service_software_options "
        "domain_endpoint_options advanced_security_options auto_tune_options change_progress_details "
        "off_peak_window_options software_update_options"
    ),
    "aws_rds_cluster": (
        "id tags name ctime mtime atime arn db_type db_status db_endpoint db_version db_publicly_accessible "
        "instance_type volume_size volume_iops volume_encrypted rds_allocated_storage rds_availability_zones "
        "rds_backup_retention_period rds_character_set_name rds_database_name rds_db_cluster_parameter_group "
        "rds_db_subnet_group_name rds_automatic_restart_time rds_earliest_restorable_time rds_endpoint "
        "rds_reader_endpoint rds_custom_endpoints rds_multi_az rds_latest_restorable_time rds_port "
        "rds_master_username rds_db_cluster_option_group_memberships rds_preferred_backup_window "
        "rds_preferred_maintenance_window rds_replication_source_identifier rds_read_replica_identifiers "
        "rds_db_cluster_members rds_vpc_security_groups rds_hosted_zone_id rds_kms_key_id "
        "rds_db_cluster_resource_id rds_associated_roles rds_iam_database_authentication_enabled "
        "rds_clone_group_id rds_earliest_backtrack_time rds_backtrack_window "
        "rds_backtrack_consumed_change_records rds_enabled_cloudwatch_logs_exports rds_capacity "
        "rds_engine_mode rds_scaling_configuration_info rds_deletion_protection rds_http_endpoint_enabled "
        "rds_activity_stream_mode rds_activity_stream_status rds_activity_stream_kms_key_id "
        "rds_activity_stream_kinesis_stream_name rds_copy_tags_to_snapshot rds_cross_account_clone "
        "rds_domain_memberships rds_global_write_forwarding_status rds_global_write_forwarding_requested "
        "rds_cluster_pending_modified_values rds_db_cluster_instance_class rds_storage_type "
        "rds_auto_minor_version_upgrade rds_monitoring_interval rds_monitoring_role_arn "
        "rds_performance_insights_enabled rds_performance_insights_kms_key_id "
        "rds_performance_insights_retention_period rds_serverless_v2_scaling_configuration rds_network_type "
        "rds_db_system_id rds_master_user_secret"
    ),
    "aws_rds_cluster_snapshot": (
        "id tags name ctime mtime atime arn rds_availability_zones rds_db_cluster_identifier rds_engine "
        "rds_engine_mode rds_allocated_storage rds_status rds_port rds_vpc_id rds_cluster_create_time "
        "rds_master_username rds_engine_version rds_license_model rds_snapshot_type rds_percent_progress "
        "rds_storage_encrypted rds_kms_key_id rds_db_cluster_snapshot_arn rds_source_db_cluster_snapshot_arn "
        "rds_iam_database_authentication_enabled rds_db_system_id rds_storage_type rds_db_cluster_resource_id "
        "rds_attributes"
    ),
    "aws_rds_instance": (
        "id tags name ctime mtime atime arn db_type db_status db_endpoint db_version db_publicly_accessible "
        "instance_type volume_size volume_iops volume_encrypted rds_automatic_restart_time "
        "rds_master_username rds_preferred_backup_window rds_backup_retention_period rds_db_security_groups "
        "rds_vpc_security_groups rds_db_parameter_groups rds_availability_zone rds_db_subnet_group "
        "rds_preferred_maintenance_window rds_pending_modified_values rds_latest_restorable_time rds_multi_az "
        "rds_auto_minor_version_upgrade rds_read_replica_source_db_instance_identifier "
        "rds_read_replica_db_instance_identifiers rds_read_replica_db_cluster_identifiers rds_replica_mode "
        "rds_license_model rds_option_group_memberships rds_character_set_name rds_nchar_character_set_name "
        "rds_secondary_availability_zone rds_status_infos rds_storage_type rds_tde_credential_arn "
        "rds_db_instance_port rds_db_cluster_identifier rds_kms_key_id rds_dbi_resource_id "
        "rds_ca_certificate_identifier rds_domain_memberships rds_copy_tags_to_snapshot "
        "rds_monitoring_interval rds_enhanced_monitoring_resource_arn rds_monitoring_role_arn "
        "rds_promotion_tier rds_timezone rds_iam_database_authentication_enabled "
        "rds_performance_insights_enabled rds_performance_insights_kms_key_id "
        "rds_performance_insights_retention_period rds_enabled_cloudwatch_logs_exports rds_processor_features "
        "rds_deletion_protection rds_associated_roles rds_listener_endpoint rds_max_allocated_storage "
        "rds_db_instance_automated_backups_replications rds_customer_owned_ip_enabled "
        "rds_aws_backup_recovery_point_arn rds_activity_stream_status rds_activity_stream_kms_key_id "
        "rds_activity_stream_kinesis_stream_name rds_activity_stream_mode "
        "rds_activity_stream_engine_native_audit_fields_included rds_automation_mode "
        "rds_resume_full_automation_mode_time rds_custom_iam_instance_profile rds_backup_target "
        "rds_network_type"
    ),
    "aws_rds_snapshot": (
        "id tags name ctime mtime atime arn snapshot_status description volume_id volume_size encrypted "
        "owner_id owner_alias rds_db_instance_identifier rds_engine rds_allocated_storage rds_port "
        "rds_availability_zone rds_vpc_id rds_instance_create_time rds_master_username rds_engine_version "
        "rds_license_model rds_snapshot_type rds_iops rds_option_group_name rds_percent_progress "
        "rds_source_region rds_source_db_snapshot_identifier rds_storage_type rds_tde_credential_arn "
        "rds_encrypted rds_kms_key_id rds_timezone rds_iam_database_authentication_enabled "
        "rds_processor_features rds_dbi_resource_id rds_original_snapshot_create_time "
        "rds_snapshot_database_time rds_snapshot_target rds_storage_throughput rds_db_system_id "
        "rds_dedicated_log_volume rds_multi_tenant rds_attributes"
    ),
    "aws_redshift_cluster": (
        "id tags name ctime mtime atime arn redshift_node_type redshift_cluster_status "
        "redshift_cluster_availability_status redshift_modify_status redshift_master_username "
        "redshift_db_name redshift_endpoint redshift_automated_snapshot_retention_period "
        "redshift_manual_snapshot_retention_period redshift_cluster_security_groups "
        "redshift_vpc_security_groups redshift_cluster_parameter_groups redshift_cluster_subnet_group_name "
        "redshift_vpc_id redshift_availability_zone redshift_preferred_maintenance_window "
        "redshift_pending_modified_values redshift_cluster_version redshift_allow_version_upgrade "
        "redshift_number_of_nodes redshift_publicly_accessible redshift_encrypted redshift_restore_status "
        "redshift_data_transfer_progress redshift_hsm_status redshift_cluster_snapshot_copy_status "
        "redshift_cluster_public_key redshift_cluster_nodes redshift_elastic_ip_status "
        "redshift_cluster_revision_number redshift_kms_key_id redshift_enhanced_vpc_routing "
        "redshift_iam_roles redshift_pending_actions redshift_maintenance_track_name "
        "redshift_elastic_resize_number_of_node_options redshift_deferred_maintenance_windows "
        "redshift_snapshot_schedule_identifier redshift_snapshot_schedule_state "
        "redshift_expected_next_snapshot_schedule_time redshift_expected_next_snapshot_schedule_time_status "
        "redshift_next_maintenance_window_start_time redshift_resize_info "
        "redshift_availability_zone_relocation_status redshift_cluster_namespace_arn "
        "redshift_total_storage_capacity_in_mega_bytes redshift_aqua_configuration "
        "redshift_default_iam_role_arn redshift_reserved_node_exchange_status redshift_logging_status"
    ),
    "aws_region": "id tags name ctime mtime atime long_name latitude longitude region_in_use arn",
    "aws_root_user": (
        "id tags name ctime mtime atime arn password_enabled password_last_used password_last_changed "
        "password_next_rotation mfa_active user_virtual_mfa_devices"
    ),
    "aws_route53_zone": (
        "id tags name ctime mtime atime arn private_zone zone_resource_record_set_count zone_caller_reference "
        "zone_config zone_linked_service zone_logging_config"
    ),
    "aws_s3_account_settings": "id tags name ctime mtime atime arn bucket_public_access_block_configuration",
    "aws_s3_bucket": (
        "id tags name ctime mtime atime arn encryption_enabled versioning_enabled bucket_encryption_rules "
        "bucket_policy bucket_versioning bucket_mfa_delete bucket_public_access_block_configuration "
        "bucket_acl bucket_logging bucket_location bucket_lifecycle_policy"
    ),
    "aws_sagemaker_model": (
        "id tags name ctime mtime atime arn model_primary_container model_containers "
        "model_inference_execution_config model_vpc_config model_enable_network_isolation"
    ),
    "aws_sagemaker_notebook": (
        "id tags name ctime mtime atime arn notebook_instance_status notebook_failure_reason notebook_url "
        "notebook_instance_type notebook_instance_lifecycle_config_name notebook_direct_internet_access "
        "notebook_volume_size_in_gb notebook_accelerator_types notebook_default_code_repository "
        "notebook_additional_code_repositories notebook_root_access notebook_platform_identifier "
        "notebook_instance_metadata_service_configuration"
    ),
    "aws_sagemaker_training_job": (
        "id tags name ctime mtime atime arn training_job_tuning_job_arn training_job_labeling_job_arn "
        "training_job_auto_ml_job_arn training_job_model_artifacts training_job_training_job_status "
        "training_job_secondary_status training_job_failure_reason training_job_hyper_parameters "
        "training_job_algorithm_specification training_job_input_data_config training_job_output_data_config "
        "training_job_resource_config training_job_vpc_config training_job_stopping_condition "
        "training_job_training_start_time training_job_training_end_time "
        "training_job_secondary_status_transitions training_job_final_metric_data_list "
        "training_job_enable_network_isolation training_job_enable_inter_container_traffic_encryption "
        "training_job_enable_managed_spot_training training_job_checkpoint_config "
        "training_job_training_time_in_seconds training_job_billable_time_in_seconds "
        "training_job_debug_hook_config training_job_trial_component_display_name "
        "training_job_debug_rule_configurations training_job_tensor_board_output_config "
        "training_job_debug_rule_evaluation_statuses training_job_profiler_config "
        "training_job_profiler_rule_configurations training_job_profiler_rule_evaluation_statuses "
        "training_job_profiling_status training_job_retry_strategy training_job_environment "
        "training_job_warm_pool_status"
    ),
    "aws_secretsmanager_secret": (
        "id tags name ctime mtime atime arn description rotation_enabled rotation_lambda_arn rotation_rules "
        "last_rotated_date last_changed_date last_accessed_date deleted_date next_rotation_date "
        "secret_versions_to_stages owning_service created_date primary_region policy"
    ),
    "aws_sns_topic": (
        "id tags name ctime mtime atime arn topic_subscriptions_confirmed topic_subscriptions_deleted "
        "topic_subscriptions_pending topic_policy topic_delivery_policy topic_effective_delivery_policy "
        "topic_owner topic_kms_master_key_id topic_fifo_topic topic_content_based_deduplication"
    ),
    "aws_sqs_queue": (
        "id tags name ctime mtime atime arn queue_type approximate_message_count "
        "message_retention_period_days sqs_queue_url sqs_approximate_number_of_messages "
        "sqs_approximate_number_of_messages_not_visible sqs_approximate_number_of_messages_delayed sqs_policy "
        "sqs_redrive_policy sqs_fifo_queue sqs_content_based_deduplication sqs_kms_master_key_id "
        "sqs_kms_data_key_reuse_period_seconds sqs_deduplication_scope sqs_fifo_throughput_limit "
        "sqs_redrive_allow_policy sqs_visibility_timeout sqs_maximum_message_size "
        "sqs_message_retention_period sqs_delay_seconds sqs_receive_message_wait_time_seconds "
        "sqs_managed_sse_enabled"
    ),
    "aws_ssm_document": (
        "id tags name ctime mtime atime arn sha1 hash hash_type display_name version_name owner status "
        "status_information document_version description parameters platform_types document_type "
        "schema_version latest_version default_version document_format target_type attachments_information "
        "requires author review_information approved_version pending_review_version review_status category "
        "category_enum content document_shared_with_accounts document_sharing_info"
    ),
    "aws_ssm_resource_compliance": (
        "id tags name ctime mtime atime arn compliance_type resource_type resource_id status overall_severity "
        "execution_summary compliant_summary non_compliant_summary"
    ),
    "aws_ssm_instance": (
        "id tags name ctime mtime atime arn instance_id ping_status last_ping agent_version is_latest_version "
        "platform_type platform_name platform_version activation_id iam_role registration_date resource_type "
        "ip_address computer_name association_status last_association_execution_date "
        "last_successful_association_execution_date association_overview source_id source_type"
    ),
    "aws_vpc_peering_connection": (
        "id tags name ctime mtime atime arn connection_accepter_vpc_info connection_expiration_time "
        "connection_requester_vpc_info peering_connection_status"
    ),
    "aws_vpc": (
        "id tags name ctime mtime atime arn cidr_blocks vpc_cidr_block vpc_dhcp_options_id vpc_state "
        "vpc_instance_tenancy vpc_ipv6_cidr_block_association_set vpc_cidr_block_association_set "
        "vpc_is_default vpc_in_use"
    ),
    "aws_waf_web_acl": (
        "id tags name ctime mtime atime arn default_action description rules visibility_config capacity "
        "pre_process_firewall_manager_rule_groups post_process_firewall_manager_rule_groups "
        "managed_by_firewall_manager label_namespace custom_response_bodies captcha_config challenge_config "
        "token_domains association_inspection_limit logging_configuration"
    ),
}

FIX_STRUCT_FIELDS: dict[str, str] = {
    "aws_s3_owner": "display_name id",
    "aws_s3_grantee": "display_name email_address id type uri",
    "aws_s3_grant": "grantee permission",
    "aws_s3_bucket_acl": "owner grants",
    "aws_ecs_environment_file": "value type",
    "aws_elb_listener": "protocol load_balancer_port instance_protocol instance_port ssl_certificate_id",
    "aws_elb_listener_description": "listener policy_names",
    "aws_elb_access_log": "enabled s3_bucket_name emit_interval s3_bucket_prefix",
    "aws_elb_connection_draining": "enabled timeout",
    "aws_elb_additional_attribute": "key value",
    "aws_elb_load_balancer_attributes": (
        "cross_zone_load_balancing access_log connection_draining connection_settings additional_attributes"
    ),
    "aws_alb_certificate": "certificate_arn is_default",
    "aws_alb_action": (
        "type target_group_arn authenticate_oidc_config authenticate_cognito_config order redirect_config "
        "fixed_response_config forward_config"
    ),
    "aws_alb_authenticate_oidc_action_config": (
        "issuer authorization_endpoint token_endpoint user_info_endpoint client_id client_secret "
        "session_cookie_name scope session_timeout authentication_request_extra_params "
        "on_unauthenticated_request use_existing_client_secret"
    ),
    "aws_alb_authenticate_cognito_action_config": (
        "user_pool_arn user_pool_client_id user_pool_domain session_cookie_name scope session_timeout "
        "authentication_request_extra_params on_unauthenticated_request"
    ),
    "aws_alb_redirect_action_config": "protocol port host path query status_code",
    "aws_alb_fixed_response_action_config": "message_body status_code content_type",
    "aws_alb_target_group_tuple": "target_group_arn weight",
    "aws_alb_target_group_stickiness_config": "enabled duration_seconds",
    "aws_alb_forward_action_config": "target_groups target_group_stickiness_config",
    "aws_alb_listener": (
        "listener_arn load_balancer_arn port protocol certificates ssl_policy default_actions alpn_policy"
    ),
    "aws_ec2_port_range": "from_range to_range",
    "aws_ec2_icmp_type_code": "code type",
    "aws_opensearch_service_software_options": (
        "current_version new_version update_available cancellable update_status description "
        "automated_update_date optional_deployment"
    ),
    "aws_eks_vpc_config_response": (
        "subnet_ids security_group_ids cluster_security_group_id vpc_id endpoint_public_access "
        "endpoint_private_access public_access_cidrs"
    ),
    "aws_eks_log_setup": "types enabled",
    "aws_eks_logging": "cluster_logging",
    "aws_eks_encryption_config": "resources provider",
    "aws_lambda_environment_error": "error_code message",
    "aws_lambda_environment": "variables error",
    "aws_lambda_cors": "allow_credentials allow_headers allow_methods allow_origins expose_headers max_age",
    "aws_lambda_function_url_config": (
        "function_url function_arn auth_type cors creation_time last_modified_time"
    ),
    "aws_ssm_document_parameter": "name type description default_value",
    "aws_ssm_account_sharing_info": "account_id shared_document_version",
    "aws_ssm_compliance_execution_summary": "execution_time execution_id execution_type",
    "aws_ssm_severity_summary": "critical_count high_count medium_count low_count informational_count unspecified_count",
    "aws_ssm_compliant_summary": "compliant_count severity_summary",
    "aws_ssm_non_compliant_summary": "non_compliant_count severity_summary",
    # CloudFormation
    "aws_cloudformation_rollback_trigger": "arn type",
    "aws_cloudformation_rollback_configuration": "rollback_triggers monitoring_time_in_minutes",
    "aws_cloudformation_output": "output_key output_value description export_name",
    "aws_cloudformation_stack_drift_information": "stack_drift_status last_check_timestamp",
    "aws_cloudfront_logging_config": "enabled include_cookies bucket prefix",
    "aws_cloudfront_viewer_certificate": (
        "cloudfront_default_certificate iam_certificate_id acm_certificate_arn ssl_support_method "
        "minimum_protocol_version certificate certificate_source"
    ),
    "aws_cloudfront_origin": (
        "id domain_name origin_path custom_header custom_origin_config connection_attempts connection_timeout "
        "origin_shield origin_access_control_id"
    ),
    "aws_cloudfront_default_cache_behavior": (
        "target_origin_id trusted_signers trusted_key_groups viewer_protocol_policy allowed_methods "
        "smooth_streaming compress lambda_function_associations function_associations field_level_encryption_id "
        "realtime_log_config_arn cache_policy_id origin_request_policy_id response_headers_policy_id "
        "forwarded_values min_ttl default_ttl max_ttl"
    ),
    "aws_cloudfront_distribution_config": (
        "caller_reference aliases default_root_object origins origin_groups default_cache_behavior "
        "cache_behaviors custom_error_responses comment logging price_class enabled viewer_certificate "
        "restrictions web_acl_id http_version is_ipv6_enabled continuous_deployment_policy_id staging"
    ),
    "aws_waf_visibility_config": "sampled_requests_enabled cloud_watch_metrics_enabled metric_name",
    "aws_waf_logging_configuration": (
        "log_destination_configs redacted_fields managed_by_firewall_manager logging_filter"
    ),
    "aws_apigateway_endpoint_configuration": "types vpc_endpoint_ids",
    "aws_apigateway_canary_setting": "percent_traffic deployment_id stage_variable_overrides use_stage_cache",
    "aws_sagemaker_image_config": "repository_access_mode repository_auth_config",
    "aws_sagemaker_container_definition": (
        "container_hostname image image_config mode model_data_url environment model_package_name "
        "inference_specification_name multi_model_config"
    ),
    "aws_sagemaker_vpc_config": "security_group_ids subnets",
    "aws_sagemaker_metric_definition": "name regex",
    "aws_sagemaker_algorithm_specification": (
        "training_image algorithm_name training_input_mode metric_definitions "
        "enable_sage_maker_metrics_time_series container_entrypoint container_arguments"
    ),
    "aws_sagemaker_s3_data_source": (
        "s3_data_type s3_uri s3_data_distribution_type attribute_names instance_group_names"
    ),
    "aws_sagemaker_file_system_data_source": (
        "file_system_id file_system_access_mode file_system_type directory_path"
    ),
    "aws_sagemaker_data_source": "s3_data_source file_system_data_source",
    "aws_sagemaker_channel": (
        "channel_name data_source content_type compression_type record_wrapper_type input_mode shuffle_config"
    ),
    "aws_sagemaker_output_data_config": "kms_key_id s3_output_path",
    "aws_sagemaker_instance_group": "instance_type instance_count instance_group_name",
    "aws_sagemaker_resource_config": (
        "instance_type instance_count volume_size_in_gb volume_kms_key_id instance_groups "
        "keep_alive_period_in_seconds"
    ),
    "aws_sagemaker_stopping_condition": "max_runtime_in_seconds max_wait_time_in_seconds",
    "aws_sagemaker_secondary_status_transition": "status start_time end_time status_message",
    "aws_sagemaker_metric_data": "metric_name value timestamp",
    "aws_sagemaker_checkpoint_config": "s3_uri local_path",
    "aws_sagemaker_collection_configuration": "collection_name collection_parameters",
    "aws_sagemaker_debug_hook_config": "local_path s3_output_path hook_parameters collection_configurations",
    "aws_sagemaker_debug_rule_configuration": (
        "rule_configuration_name local_path s3_output_path rule_evaluator_image instance_type "
        "volume_size_in_gb rule_parameters"
    ),
    "aws_sagemaker_tensor_board_output_config": "local_path s3_output_path",
    "aws_sagemaker_debug_rule_evaluation_status": (
        "rule_configuration_name rule_evaluation_job_arn rule_evaluation_status status_details last_modified_time"
    ),
    "aws_sagemaker_profiler_config": "s3_output_path profiling_interval_in_milliseconds profiling_parameters",
    "aws_sagemaker_profiler_rule_configuration": (
        "rule_configuration_name local_path s3_output_path rule_evaluator_image instance_type "
        "volume_size_in_gb rule_parameters"
    ),
    "aws_sagemaker_profiler_rule_evaluation_status": (
        "rule_configuration_name rule_evaluation_job_arn rule_evaluation_status status_details last_modified_time"
    ),
    "aws_sagemaker_warm_pool_status": "status resource_retained_billable_time_in_seconds reused_by_job",
    "aws_dynamodb_sse_description": "status sse_type kms_master_key_arn inaccessible_encryption_date_time",
    "aws_dynamodb_billing_mode_summary": "billing_mode last_update_to_pay_per_request_date_time",
    "aws_dynamodb_provisioned_throughput_description": (
        "last_increase_date_time last_decrease_date_time number_of_decreases_today read_capacity_units "
        "write_capacity_units"
    ),
    "aws_dynamo_db_point_in_time_recovery": "status earliest_restorable_date_time latest_restorable_date_time",
    "aws_dynamo_db_continuous_backup": "status point_in_time_recovery",
    "aws_sqs_redrive_policy": "dead_letter_target_arn max_receive_count",
    "aws_secretsmanager_rotation_rules_type": "automatically_after_days duration schedule_expression",
    "aws_ecr_encryption_configuration": "encryption_type kms_key",
    "aws_route53_zone_config": "comment private_zone",
    "aws_route53_logging_config": "id cloud_watch_logs_log_group_arn",
    "aws_cloud_trail_status": (
        "is_logging latest_delivery_error latest_notification_error latest_delivery_time "
        "latest_notification_time start_logging_time stop_logging_time latest_cloud_watch_logs_delivery_error "
        "latest_cloud_watch_logs_delivery_time latest_digest_delivery_time latest_digest_delivery_error "
        "latest_delivery_attempt_time latest_notification_attempt_time latest_notification_attempt_succeeded "
        "latest_delivery_attempt_succeeded time_logging_started time_logging_stopped"
    ),
    "aws_iam_virtual_mfa_device": "serial_number enable_date",
    "aws_ec2_route": "destination_cidr_block destination_ipv6_cidr_block destination_prefix_list_id egress_only_internet_gateway_id gateway_id instance_id instance_owner_id nat_gateway_id transit_gateway_id local_gateway_id carrier_gateway_id network_interface_id origin state vpc_peering_connection_id core_network_arn",
    "aws_ec2_route_table_association": "main route_table_association_id route_table_id subnet_id gateway_id association_state",
    "aws_ec2_route_table_association_state": "state status_message",
    "aws_vpc_peering_connection_options_description": "allow_dns_resolution_from_remote_vpc allow_egress_from_local_classic_link_to_remote_vpc allow_egress_from_local_vpc_to_remote_classic_link",
    "aws_vpc_peering_connection_vpc_info": "cidr_block ipv6_cidr_block_set cidr_block_set owner_id peering_options vpc_id region",
    "aws_vpc_peering_connection_state_reason": "code message",
    "aws_ec2_launch_template_data": "kernel_id ebs_optimized iam_instance_profile block_device_mappings network_interfaces image_id instance_type key_name monitoring placement ram_disk_id disable_api_termination instance_initiated_shutdown_behavior user_data tag_specifications elastic_gpu_specifications elastic_inference_accelerators security_group_ids security_groups instance_market_options credit_specification cpu_options capacity_reservation_specification license_specifications hibernation_options metadata_options enclave_options instance_requirements private_dns_name_options maintenance_options disable_api_stop",
    "aws_ec2_launch_template_instance_metadata_options": "state http_tokens http_put_response_hop_limit http_endpoint http_protocol_ipv6 instance_metadata_tags",
    "aws_ec2_launch_template_instance_network_interface_specification": "associate_carrier_ip_address associate_public_ip_address delete_on_termination description device_index groups interface_type ipv6_address_count ipv6_addresses network_interface_id private_ip_address private_ip_addresses secondary_private_ip_address_count subnet_id network_card_index ipv4_prefixes ipv4_prefix_count ipv6_prefixes ipv6_prefix_count primary_ipv6 ena_srd_specification connection_tracking_specification",
    "aws_ec2_launch_template_iam_instance_profile_specification": "arn name",
    "aws_ec2_instance_metadata_options_response": "state http_tokens http_put_response_hop_limit http_endpoint http_protocol_ipv6 instance_metadata_tags",
    "aws_ec2_iam_instance_profile": "arn id",
    "aws_ec2_state_reason": "code message",
    "aws_rds_db_security_group_membership": "db_security_group_name status",
    "aws_rds_db_parameter_group_status": "db_parameter_group_name parameter_apply_status",
    "aws_rds_option_group_membership": "option_group_name status",
    "aws_rds_domain_membership": "domain status fqdn iam_role_name",
    "aws_ec2_placement": "availability_zone affinity group_name partition_number host_id tenancy spread_domain host_resource_group_arn",
    "aws_ec2_instance_block_device_mapping": "device_name ebs",
    "aws_ec2_ebs_instance_block_device": "attach_time delete_on_termination status volume_id",
    "aws_ec2_group_identifier": "group_name group_id",
    "aws_ec2_cpu_options": "core_count threads_per_core",
    "aws_ec2_volume_attachment": "attach_time device instance_id state volume_id delete_on_termination",
    "aws_ec2_block_device_mapping": "device_name virtual_name ebs no_device",
    "aws_ec2_ebs_block_device": "delete_on_termination iops snapshot_id volume_size volume_type kms_key_id throughput outpost_arn encrypted",
    "aws_ec2_destination_option": "file_format hive_compatible_partitions per_hour_partition",
    "aws_config_recorder_status": "last_start_time last_stop_time recording last_status last_error_code last_error_message last_status_change_time",
    "aws_config_recording_group": "all_supported include_global_resource_types resource_types",
    "aws_autoscaling_suspended_process": "process_name suspension_reason",
    "aws_autoscaling_instance": "instance_id instance_type availability_zone lifecycle_state health_status launch_configuration_name launch_template protected_from_scale_in weighted_capacity",
    "aws_autoscaling_launch_template_specification": "launch_template_id launch_template_name version",
    "aws_cloud_trail_event_selectors": "event_selectors advanced_event_selectors",
    "aws_cloud_trail_event_selector": (
        "read_write_type include_management_events data_resources exclude_management_event_sources"
    ),
    "aws_cloud_trail_data_resource": "type values",
    "aws_cloud_trail_advanced_event_selector": "name field_selectors",
    "aws_cloud_trail_advanced_field_selector": (
        "selector_field equals starts_with ends_with not_equals not_starts_with not_ends_with"
    ),
    "aws_cloudwatch_metric_transformation": "metric_name metric_namespace metric_value default_value dimensions unit",
    "aws_cloudwatch_dimension": "name value",
    "aws_cloudwatch_metric": "namespace metric_name dimensions",
    "aws_cloudwatch_metric_stat": "metric period stat unit",
    "aws_cloudwatch_metric_data_query": "id metric_stat expression label return_data period account_id",
    "aws_ec2_ip_permission": "from_port ip_protocol ip_ranges ipv6_ranges prefix_list_ids to_port user_id_group_pairs",
    "aws_ec2_ip_range": "cidr_ip description",
    "aws_ec2_ipv6_range": "cidr_ipv6 description",
    "aws_ec2_network_acl_entry": "cidr_block egress icmp_type_code ipv6_cidr_block port_range protocol rule_action rule_number",
    "aws_ec2_prefix_list_id": "description prefix_list_id",
    "aws_ec2_user_id_group_pair": "description group_id group_name peering_status user_id vpc_id vpc_peering_connection_id",
    "aws_iam_access_key_last_used": "last_used last_rotated service_name region",
    "aws_s3_public_access_block_configuration": "block_public_acls ignore_public_acls block_public_policy restrict_public_buckets",
    "aws_s3_logging": "target_bucket target_grants target_prefix",
    "aws_s3_server_side_encryption_rule": "sse_algorithm kms_master_key_id bucket_key_enabled",
    # ECS
    "aws_ecs_cluster_configuration": "execute_command_configuration",
    "aws_ecs_execute_command_configuration": "kms_key_id logging log_configuration",
    "aws_ecs_execute_command_log_configuration": "cloud_watch_log_group_name cloud_watch_encryption_enabled s3_bucket_name s3_encryption_enabled s3_key_prefix",
    "aws_ecs_cluster_setting": "name value",
    "aws_ecs_version_info": "agent_version agent_hash docker_version",
    "aws_ecs_resource": "name type double_value long_value integer_value string_set_value",
    "aws_ecs_attribute": "name value target_type target_id",
    "aws_ecs_attachment": "id type status details",
    "aws_ecs_container_instance_health_status": "overall_status details",
    "aws_ecs_instance_health_check_result": "type status last_updated last_status_change",
    "aws_ecs_key_value_pair": "name value",
    "aws_ecs_capacity_provider_strategy_item": "capacity_provider weight base",
    "aws_ecs_network_configuration": "awsvpc_configuration",
    "aws_ecs_aws_vpc_configuration": "subnets security_groups assign_public_ip",
    "aws_ecs_load_balancer": "target_group_arn load_balancer_name container_name container_port",
    "aws_ecs_log_configuration": "log_driver options secret_options",
    "aws_ecs_container_definition": "name image repository_credentials cpu memory memory_reservation links port_mappings essential entry_point command environment environment_files mount_points volumes_from linux_parameters secrets depends_on start_timeout stop_timeout hostname user working_directory disable_networking privileged readonly_root_filesystem dns_servers dns_search_domains extra_hosts docker_security_options interactive pseudo_terminal docker_labels ulimits log_configuration health_check system_controls resource_requirements firelens_configuration",
    "aws_ecs_secret": "name value_from",
    "aws_ecs_port_mapping": "container_port host_port protocol",
    "aws_ecs_deployment_configuration": "deployment_circuit_breaker maximum_percent minimum_healthy_percent",
    "aws_ecs_deployment_circuit_breaker": "enable rollback",
    "aws_ecs_runtime_platform": "cpu_architecture operating_system_family",
    # RDS
    "aws_rds_vpc_security_group_membership": "vpc_security_group_id status",
    "aws_rds_subnet": "subnet_identifier subnet_availability_zone subnet_outpost subnet_status",
    "aws_rds_db_subnet_group": "db_subnet_group_name db_subnet_group_description vpc_id subnet_group_status subnets db_subnet_group_arn supported_network_types",
    "aws_rds_db_role": "role_arn feature_name status",
    "aws_rds_db_cluster_member": "db_instance_identifier is_cluster_writer db_cluster_parameter_group_status promotion_tier",
    "aws_rds_scaling_configuration_info": "min_capacity max_capacity auto_pause seconds_until_auto_pause timeout_action seconds_before_timeout",
    "aws_rds_serverless_v2_scaling_configuration_info": "min_capacity max_capacity",
    "aws_rds_master_user_secret": "secret_arn secret_status kms_key_id",
    # ElastiCache
    "aws_elasticache_endpoint": "address port",
    "aws_elasticache_notification_configuration": "topic_arn topic_status",
    "aws_elasticache_cache_parameter_group_status": "cache_parameter_group_name parameter_apply_status cache_node_ids_to_reboot",
    "aws_elasticache_cache_node": "cache_node_id cache_node_status cache_node_create_time endpoint parameter_group_status source_cache_node_id customer_availability_zone customer_outpost_arn",
    "aws_elasticache_security_group_membership": "security_group_id status",
    "aws_elasticache_log_delivery_configuration": "log_type destination_type destination_details log_format status message",
    # OpenSearch
    "aws_opensearch_cluster_config": "instance_type instance_count dedicated_master_enabled zone_awareness_enabled zone_awareness_config dedicated_master_type dedicated_master_count warm_enabled warm_type warm_count cold_storage_options multi_az_with_standby_enabled",
    "aws_opensearch_ebs_options": "ebs_enabled volume_type volume_size iops throughput",
    "aws_opensearch_vpc_derived_info": "vpc_id subnet_ids availability_zones security_group_ids",
    "aws_opensearch_cognito_options": "enabled user_pool_id identity_pool_id role_arn",
    "aws_opensearch_encryption_at_rest_options": "enabled kms_key_id",
    "aws_opensearch_domain_endpoint_options": "enforce_https tls_security_policy custom_endpoint_enabled custom_endpoint custom_endpoint_certificate_arn",
    "aws_opensearch_advanced_security_options": "enabled internal_user_database_enabled saml_options anonymous_auth_disable_date anonymous_auth_enabled",
    "aws_opensearch_auto_tune_options_output": "state error_message use_off_peak_window",
    # Redshift
    "aws_redshift_endpoint": "address port vpc_endpoints",
    "aws_redshift_vpc_security_group_membership": "vpc_security_group_id status",
    "aws_redshift_cluster_security_group_membership": "cluster_security_group_name status",
    "aws_redshift_cluster_parameter_group_status": "parameter_group_name parameter_apply_status cluster_parameter_status_list",
    "aws_redshift_cluster_iam_role": "iam_role_arn apply_status",
    "aws_redshift_cluster_node": "node_role private_ip_address public_ip_address",
    "aws_redshift_logging_status": "logging_enabled bucket_name s3_key_prefix last_successful_delivery_time last_failure_time last_failure_message log_destination_type log_exports",
}

# Fix's properties of those kinds whose type is a date-time (cloudsift compares them as such).
FIX_DATETIME_PROPERTIES = set(
    [
        "atime",
        "automated_update_date",
        "cache_node_create_time",
        "cloudwatch_state_updated_timestamp",
        "cluster_auth_token_last_modified_date",
        "connection_expiration_time",
        "created_date",
        "ctime",
        "deleted_date",
        "execution_time",
        "imported_at",
        "instance_launch_time",
        "instance_usage_operation_update_time",
        "issued_at",
        "last_accessed_date",
        "last_association_execution_date",
        "last_changed_date",
        "last_check_timestamp",
        "last_failure_time",
        "last_ping",
        "last_rotated",
        "last_rotated_date",
        "last_status_change",
        "last_successful_association_execution_date",
        "last_successful_delivery_time",
        "last_updated",
        "last_used",
        "latest_cloud_watch_logs_delivery_time",
        "latest_delivery_attempt_succeeded",
        "latest_delivery_attempt_time",
        "latest_delivery_time",
        "latest_digest_delivery_time",
        "latest_notification_attempt_succeeded",
        "latest_notification_attempt_time",
        "latest_notification_time",
        "mtime",
        "next_rotation_date",
        "not_after",
        "not_before",
        "password_last_changed",
        "password_last_used",
        "password_next_rotation",
        "rds_automatic_restart_time",
        "rds_cluster_create_time",
        "rds_earliest_backtrack_time",
        "rds_earliest_restorable_time",
        "rds_instance_create_time",
        "rds_latest_restorable_time",
        "rds_original_snapshot_create_time",
        "rds_resume_full_automation_mode_time",
        "rds_snapshot_database_time",
        "redshift_expected_next_snapshot_schedule_time",
        "redshift_next_maintenance_window_start_time",
        "registration_date",
        "revoked_at",
        "snapshot_restore_expiry_time",
        "stack_deletion_time",
        "start_logging_time",
        "stop_logging_time",
        "time_logging_started",
        "time_logging_stopped",
        "training_job_training_end_time",
        "training_job_training_start_time",
    ]
)

# cloudsift kinds Fix Inventory does not have, and why they exist.
ONLY_CLOUDSIFT = {
    "aws_zone": "availability zones as nodes: Fix keeps the zone as a property",
    "aws_securityhub_hub": "Fix collects nothing of Security Hub; CIS 4.16 asks whether each region has it",
    "aws_iam_access_analyzer": "Fix collects nothing of IAM Access Analyzer; CIS 1.20 asks whether each region has one",
}


def _aws_kinds(model: Model) -> list[str]:
    return sorted(k for k, kind in model.kinds.items() if k.startswith("aws_") and not kind.abstract)


def _structs_of(model: Model, kinds: list[str]) -> dict[str, Struct]:
    found: dict[str, Struct] = {}
    todo = [prop.type for kind in kinds for prop in model.props_of(kind)]
    while todo:
        current = todo.pop()
        if isinstance(current, ListOf):
            todo.append(current.item)
        elif isinstance(current, Struct) and current.name not in found:
            found[current.name] = current
            todo.extend(f.type for f in current.fields)
    return found


def test_every_aws_kind_is_named_as_fix_names_it() -> None:
    unknown = [k for k in _aws_kinds(MODEL) if k not in FIX_KIND_PROPERTIES and k not in ONLY_CLOUDSIFT]
    assert not unknown, (
        f"kinds Fix Inventory does not have (rename them or list them in ONLY_CLOUDSIFT): {unknown}"
    )


@pytest.mark.parametrize("kind", [k for k in _aws_kinds(MODEL) if k in FIX_KIND_PROPERTIES])
def test_every_property_has_fix_s_name(kind: str) -> None:
    fix = set(FIX_KIND_PROPERTIES[kind].split())
    ours = [prop.name for prop in MODEL.props_of(kind)]
    assert [name for name in ours if name not in fix] == [], (
        f"{kind}: properties Fix Inventory calls otherwise"
    )


def test_every_struct_and_field_has_fix_s_name() -> None:
    structs = _structs_of(MODEL, _aws_kinds(MODEL))
    assert structs, "the AWS kinds have structs"
    wrong = {
        name: [f.name for f in struct.fields if f.name not in FIX_STRUCT_FIELDS.get(name, "").split()]
        for name, struct in structs.items()
    }
    assert {name: fields for name, fields in wrong.items() if fields} == {}


def test_fix_s_date_times_are_date_times() -> None:
    props = [p for kind in _aws_kinds(MODEL) for p in MODEL.props_of(kind)]
    props += [f for struct in _structs_of(MODEL, _aws_kinds(MODEL)).values() for f in struct.fields]
    assert sorted({p.name for p in props if p.name in FIX_DATETIME_PROPERTIES and p.type != DATETIME}) == []


def test_the_fact_lists_catch_a_rename() -> None:
    # the check above is only as good as its lists: the names this project once had are not Fix's
    retired = {"aws_kms_key": "kms_key_state", "aws_ec2_snapshot": "snapshot_encrypted",
               "aws_ec2_volume": "snapshot_id", "aws_eks_cluster": "cluster_version", "aws_iam_role": "role_path",
               "aws_rds_instance": "db_engine", "aws_alb": "lb_dns_name", "aws_s3_bucket": "bucket_policy_is_public",
               "aws_ec2_elastic_ip": "ip_address_public_ip", "aws_ec2_network_interface": "nic_status"}  # fmt: skip
    assert {kind: name for kind, name in retired.items() if name in FIX_KIND_PROPERTIES[kind].split()} == {}
    assert "aws_cloudtrail_trail" not in FIX_KIND_PROPERTIES
