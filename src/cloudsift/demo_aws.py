"""The demo's emulated world: AWS (moto, in-process, over HTTP on 127.0.0.1) and a PagerDuty that prints.

Nothing leaves the machine: the demo points boto3 at moto with AWS_ENDPOINT_URL and, unless
PAGERDUTY_ROUTING_KEY is set, sends the alerts to a local endpoint that shows each event as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SECOND_ACCOUNT = "210987654321"
REGIONS = ("us-east-1", "eu-central-1")
DEMO_KEY = "demo0000000000000000000000000000"

# What each service adds to the demo estate: called for every (session, account name, region), after the
# account's VPC, subnet and instances exist there. A builder makes a global resource (IAM, S3) only in
# REGIONS[0], and breaks the baseline somewhere (in "prod") so the checks have something to find.
DemoBuilder = Callable[[Any, str, str], None]
DEMO_BUILDERS: list[DemoBuilder] = []


def demo_resources(build: DemoBuilder) -> DemoBuilder:
    DEMO_BUILDERS.append(build)
    return build


def serve_missing_apis() -> None:
    """Teach this process's moto the APIs a full collection calls and moto lacks: SSM's
    DescribeInstanceInformation and Compliance, IAM Access Analyzer (the demo, the tests and the
    benchmarks' moto server all need the same, or a collection has failed services)."""
    from cloudsift.demo_access_analyzer import serve_access_analyzer
    from cloudsift.demo_ssm import serve_managed_instances
    from cloudsift.demo_ssm_compliance import serve_compliance

    serve_managed_instances()
    serve_compliance()
    serve_access_analyzer()


def start_moto() -> tuple[str, Callable[[], None]]:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    serve_missing_apis()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    os.environ.update(AWS_ENDPOINT_URL=url, AWS_ACCESS_KEY_ID="demo", AWS_SECRET_ACCESS_KEY="demo",
                      AWS_DEFAULT_REGION="us-east-1")  # fmt: skip
    os.environ.pop("AWS_PROFILE", None)
    return url, server.stop


def start_printing_pagerduty(show: Callable[[str], None]) -> tuple[str, Callable[[], None]]:
    """A local Events API endpoint that accepts every event and shows its JSON (routing key masked)."""

    class Printer(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            event = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            event["routing_key"] = "****" + str(event.get("routing_key", ""))[-4:]
            show("PagerDuty received:\n" + json.dumps(event, indent=2, ensure_ascii=False))
            body = json.dumps(
                {"status": "success", "message": "Event processed", "dedup_key": event.get("dedup_key")}
            )
            self.send_response(202)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body.encode())

    server = ThreadingHTTPServer(("127.0.0.1", 0), Printer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/v2/enqueue", server.shutdown


def build_estate() -> dict[str, Any]:
    """Two accounts x two regions; a few groups break the baseline. Returns what the demo fixes later."""
    import boto3

    caller = boto3.Session()
    creds = caller.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{SECOND_ACCOUNT}:role/cloudsift", RoleSessionName="cloudsift-demo"
    )["Credentials"]
    second = boto3.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                           aws_session_token=creds["SessionToken"])  # fmt: skip
    open_groups: list[tuple[Any, str, dict[str, Any]]] = []
    for session, name in ((caller, "prod"), (second, "dev")):
        for region in REGIONS:
            ec2 = session.client("ec2", region_name=region)
            vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=[
                {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": f"{name}-main"}]}])["Vpc"]["VpcId"]  # fmt: skip
            subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
            web = ec2.create_security_group(GroupName="web", Description="https", VpcId=vpc)["GroupId"]
            ec2.authorize_security_group_ingress(GroupId=web, IpPermissions=[
                {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])  # fmt: skip
            image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
            ec2.run_instances(ImageId=image, MinCount=2, MaxCount=2, InstanceType="t3.micro", SubnetId=subnet,
                              SecurityGroupIds=[web])  # fmt: skip
            if name == "prod":
                wide = ec2.create_security_group(GroupName="debug-wide-open", Description="temporary",
                                                 VpcId=vpc)["GroupId"]  # fmt: skip
                rule = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]} if region == REGIONS[0] else {
                    "IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}  # fmt: skip
                ec2.authorize_security_group_ingress(GroupId=wide, IpPermissions=[rule])
                open_groups.append((ec2, wide, rule))
            for build in DEMO_BUILDERS:
                build(session, name, region)
    return {"open_groups": open_groups}


def fix(group: tuple[Any, str, dict[str, Any]]) -> None:
    ec2, group_id, rule = group
    ec2.revoke_security_group_ingress(GroupId=group_id, IpPermissions=[rule])


@demo_resources
def _logging(session: Any, account: str, region: str) -> None:
    """prod: a multi-region trail into a log group whose root-usage filter feeds an alarm; dev: a trail
    that does not log and a log group kept forever."""
    if region != REGIONS[0]:
        return
    bucket = f"{account}-trail-logs"
    session.client("s3", region_name=region).create_bucket(Bucket=bucket)
    logs = session.client("logs", region_name=region)
    logs.create_log_group(logGroupName=f"{account}-trail")
    trail = session.client("cloudtrail", region_name=region)
    if account != "prod":
        trail.create_trail(Name=f"{account}-audit", S3BucketName=bucket)
        return
    logs.put_retention_policy(logGroupName=f"{account}-trail", retentionInDays=400)
    logs.put_metric_filter(logGroupName=f"{account}-trail", filterName="root-usage",
                           filterPattern='{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS '
                                         '&& $.eventType != "AwsServiceEvent" }',
                           metricTransformations=[{"metricName": "RootUsage", "metricNamespace": "CIS",
                                                   "metricValue": "1"}])  # fmt: skip
    session.client("cloudwatch", region_name=region).put_metric_alarm(
        AlarmName="root-usage", MetricName="RootUsage", Namespace="CIS", Statistic="Sum", Period=300,
        EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanOrEqualToThreshold")  # fmt: skip
    group = logs.describe_log_groups(logGroupNamePrefix=f"{account}-trail")["logGroups"][0]["arn"]
    trail.create_trail(Name=f"{account}-audit", S3BucketName=bucket, IsMultiRegionTrail=True,
                       EnableLogFileValidation=True, CloudWatchLogsLogGroupArn=group)  # fmt: skip
    trail.start_logging(Name=f"{account}-audit")


@demo_resources
def _managed_services(session: Any, account: str, region: str) -> None:
    """prod: an encrypted topic and queue, a secret, a repository scanned on push, a vault, a table with
    point-in-time recovery, an encrypted file system, a zone; dev: a topic and a queue open to everyone and
    unencrypted, a repository never scanned, a table without recovery, a file system not encrypted."""
    policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]})  # fmt: skip
    sns, sqs = session.client("sns", region_name=region), session.client("sqs", region_name=region)
    ecr = session.client("ecr", region_name=region)
    if account == "prod":
        key = session.client("kms", region_name=region).create_key(Description="messages")["KeyMetadata"][
            "KeyId"
        ]
        sns.create_topic(Name=f"{account}-alerts", Attributes={"KmsMasterKeyId": key})
        sqs.create_queue(QueueName=f"{account}-jobs", Attributes={"KmsMasterKeyId": key})
        session.client("secretsmanager", region_name=region).create_secret(
            Name=f"{account}-db-password", SecretString="demo-only", KmsKeyId=key)  # fmt: skip
        ecr.create_repository(repositoryName=f"{account}-app", imageScanningConfiguration={"scanOnPush": True},
                              imageTagMutability="IMMUTABLE")  # fmt: skip
        session.client("glacier", region_name=region).create_vault(vaultName=f"{account}-archive")
        session.client("acm", region_name=region).request_certificate(DomainName=f"{account}.example.com")
    else:
        topic = sns.create_topic(Name=f"{account}-events")["TopicArn"]
        sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=policy)
        sqs.create_queue(
            QueueName=f"{account}-scratch", Attributes={"Policy": policy, "SqsManagedSseEnabled": "false"}
        )
        ecr.create_repository(repositoryName=f"{account}-sandbox")
    table = {"AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
             "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}  # fmt: skip
    dynamodb, efs = session.client("dynamodb", region_name=region), session.client("efs", region_name=region)
    if account == "prod":
        dynamodb.create_table(TableName=f"{account}-orders", SSESpecification={"Enabled": True}, **table)
        dynamodb.update_continuous_backups(TableName=f"{account}-orders",
                                           PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})  # fmt: skip
        efs.create_file_system(CreationToken=f"{account}-shared", Encrypted=True)
    else:
        dynamodb.create_table(TableName=f"{account}-sessions", **table)  # no point-in-time recovery
        efs.create_file_system(CreationToken=f"{account}-scratch")  # not encrypted
    if region == REGIONS[0]:
        route53 = session.client("route53", region_name=region)
        route53.create_hosted_zone(Name=f"{account}.example.com", CallerReference=f"{account}-public")


@demo_resources
def _ecs(session: Any, account: str, region: str) -> None:
    """prod: a cluster with Container Insights running a non-root, read-only, logged task; dev: a cluster
    without insights running a privileged container with no logs. Each cluster has one of the account's
    instances registered as its container instance."""
    ecs = session.client("ecs", region_name=region)
    insights = "enabled" if account == "prod" else "disabled"
    ecs.create_cluster(
        clusterName=f"{account}-apps", settings=[{"name": "containerInsights", "value": insights}]
    )
    reservations = session.client("ec2", region_name=region).describe_instances()["Reservations"]
    host = reservations[0]["Instances"][0]["InstanceId"]
    ecs.register_container_instance(
        cluster=f"{account}-apps", instanceIdentityDocument=json.dumps({"instanceId": host})
    )
    container: dict[str, Any] = {"name": "app", "image": "nginx:1.25", "memory": 256}
    if account == "prod":
        container.update(user="1000", readonlyRootFilesystem=True, logConfiguration={
            "logDriver": "awslogs", "options": {"awslogs-group": f"{account}-app", "awslogs-region": region}})  # fmt: skip
    else:
        container.update(privileged=True)
    ecs.register_task_definition(family=f"{account}-app", containerDefinitions=[container])
    ecs.create_service(
        cluster=f"{account}-apps", serviceName="app", taskDefinition=f"{account}-app:1", desiredCount=1
    )


@demo_resources
def _machine_learning(session: Any, account: str, region: str) -> None:
    """prod: a notebook without direct internet access or root, a training job with encrypted volumes and
    traffic; dev: a notebook open to the internet, a training job without either. A model in each."""
    if region != REGIONS[0]:
        return
    number = session.client("sts").get_caller_identity()["Account"]
    role = f"arn:aws:iam::{number}:role/{account}-ml"
    image = f"{number}.dkr.ecr.{region}.amazonaws.com/{account}-trainer:1"
    sm = session.client("sagemaker", region_name=region)
    sm.create_model(ModelName=f"{account}-model", ExecutionRoleArn=role, PrimaryContainer={"Image": image})
    job: dict[str, Any] = {"TrainingJobName": f"{account}-training", "RoleArn": role, "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
           "AlgorithmSpecification": {"TrainingImage": image, "TrainingInputMode": "File"},
           "OutputDataConfig": {"S3OutputPath": f"s3://{account}-ml/out/"},
           "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10}}  # fmt: skip
    if account == "prod":
        sm.create_notebook_instance(NotebookInstanceName=f"{account}-notebook", InstanceType="ml.t3.medium",
                                    RoleArn=role, DirectInternetAccess="Disabled", RootAccess="Disabled")  # fmt: skip
        key = session.client("kms", region_name=region).create_key(Description="ml")["KeyMetadata"]["KeyId"]
        job["ResourceConfig"]["VolumeKmsKeyId"] = key
        sm.create_training_job(**job, EnableInterContainerTrafficEncryption=True)
    else:
        sm.create_notebook_instance(
            NotebookInstanceName=f"{account}-notebook", InstanceType="ml.t3.medium", RoleArn=role
        )  # direct internet access: AWS's default
        sm.create_training_job(**job)


@demo_resources
def _rds(session: Any, account: str, region: str) -> None:
    """prod: an encrypted, deletion-protected Aurora cluster with an instance and a snapshot; dev: a plain
    cluster whose unencrypted snapshot anyone may restore."""
    if region != REGIONS[0]:
        return
    rds = session.client("rds", region_name=region)
    login = {"MasterUsername": "demo", "MasterUserPassword": "demo-only-password"}
    cluster, snapshot = f"{account}-ledger", f"{account}-ledger-copy"
    if account == "prod":
        rds.create_db_cluster(DBClusterIdentifier=cluster, Engine="aurora-postgresql", StorageEncrypted=True,
                              DeletionProtection=True, BackupRetentionPeriod=14, **login)  # fmt: skip
        rds.create_db_instance(DBInstanceIdentifier=f"{cluster}-1", DBClusterIdentifier=cluster,
                               Engine="aurora-postgresql", DBInstanceClass="db.r6g.large")  # fmt: skip
        rds.create_db_cluster_snapshot(DBClusterSnapshotIdentifier=snapshot, DBClusterIdentifier=cluster)
    else:
        rds.create_db_cluster(DBClusterIdentifier=cluster, Engine="aurora-mysql", **login)
        rds.create_db_cluster_snapshot(DBClusterSnapshotIdentifier=snapshot, DBClusterIdentifier=cluster)
        rds.modify_db_cluster_snapshot_attribute(DBClusterSnapshotIdentifier=snapshot, AttributeName="restore",
                                                 ValuesToAdd=["all"])  # fmt: skip


@demo_resources
def _redshift(session: Any, account: str, region: str) -> None:
    """prod: a private, encrypted warehouse with audit logging; dev: a public, unencrypted one that logs nothing."""
    if region != REGIONS[0]:
        return
    redshift = session.client("redshift", region_name=region)
    login = {"NodeType": "dc2.large", "MasterUsername": "demo", "MasterUserPassword": "DemoOnly1"}
    name = f"{account}-warehouse"
    if account == "prod":
        redshift.create_cluster(ClusterIdentifier=name, Encrypted=True, PubliclyAccessible=False, **login)
        redshift.enable_logging(ClusterIdentifier=name, BucketName=f"{account}-warehouse-audit")
    else:
        redshift.create_cluster(ClusterIdentifier=name, PubliclyAccessible=True, **login)


@demo_resources
def _api_gateway(session: Any, account: str, region: str) -> None:
    """prod: a REST API whose stage logs its access and traces, with a token authorizer; dev: an API whose
    stage logs nothing."""
    if region != REGIONS[0]:
        return
    api = session.client("apigateway", region_name=region)
    rest_api = api.create_rest_api(name=f"{account}-shop", endpointConfiguration={"types": ["REGIONAL"]})[
        "id"
    ]
    root = api.get_resources(restApiId=rest_api)["items"][0]["id"]
    api.put_method(restApiId=rest_api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    api.put_integration(restApiId=rest_api, resourceId=root, httpMethod="GET", type="MOCK")
    deployment = api.create_deployment(restApiId=rest_api)["id"]
    api.create_stage(
        restApiId=rest_api, stageName="live", deploymentId=deployment, tracingEnabled=account == "prod"
    )
    if account != "prod":
        return
    number = session.client("sts").get_caller_identity()["Account"]
    api.update_stage(restApiId=rest_api, stageName="live", patchOperations=[
        {"op": "replace", "path": "/accessLogSettings/destinationArn",
         "value": f"arn:aws:logs:{region}:{number}:log-group:{account}-api-access"},
        {"op": "replace", "path": "/accessLogSettings/format", "value": "$context.requestId"}])  # fmt: skip
    function = f"arn:aws:lambda:{region}:{number}:function:{account}-check-token"
    api.create_authorizer(restApiId=rest_api, name="token", type="TOKEN", identitySource="method.request.header.Auth",
                          authorizerUri=f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function}/invocations")  # fmt: skip


@demo_resources
def _opensearch(session: Any, account: str, region: str) -> None:
    """prod: an encrypted, HTTPS-only search domain; dev: one without either, open to anyone by its policy."""
    if region != REGIONS[0]:
        return
    opensearch = session.client("opensearch", region_name=region)
    if account == "prod":
        opensearch.create_domain(DomainName=f"{account}-search", EncryptionAtRestOptions={"Enabled": True},
                                 NodeToNodeEncryptionOptions={"Enabled": True},
                                 DomainEndpointOptions={"EnforceHTTPS": True})  # fmt: skip
    else:
        anyone = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "es:*"}],
        }
        opensearch.create_domain(DomainName=f"{account}-search", AccessPolicies=json.dumps(anyone))


@demo_resources
def _elasticache(session: Any, account: str, region: str) -> None:
    """prod: a Redis cache encrypted in transit, with an AUTH token and backups; dev: one with neither."""
    if region != REGIONS[0]:
        return
    elasticache = session.client("elasticache", region_name=region)
    cache = {"CacheClusterId": f"{account}-sessions", "Engine": "redis", "CacheNodeType": "cache.t3.micro",
             "NumCacheNodes": 1}  # fmt: skip
    if account == "prod":
        elasticache.create_cache_cluster(**cache, TransitEncryptionEnabled=True, AuthToken="demo-only-token-0123",
                                         SnapshotRetentionLimit=7)  # fmt: skip
    else:
        elasticache.create_cache_cluster(**cache)


@demo_resources
def _edge(session: Any, account: str, region: str) -> None:
    """prod: a distribution behind a web ACL, its access logged; dev: a distribution with neither."""
    if region != REGIONS[0]:
        return
    config: dict[str, Any] = {
        "CallerReference": f"{account}-site", "Comment": f"{account} site", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": "site", "DomainName": f"{account}-site.s3.amazonaws.com",
                                              "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "site", "ViewerProtocolPolicy": "redirect-to-https",
                                 "MinTTL": 0, "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}}},
    }  # fmt: skip
    if account == "prod":
        acl = session.client("wafv2", region_name=region).create_web_acl(
            Name=f"{account}-edge", Scope="CLOUDFRONT", DefaultAction={"Allow": {}}, Rules=[],
            VisibilityConfig={"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "edge"},
        )["Summary"]  # fmt: skip
        config.update(WebACLId=acl["ARN"], Logging={"Enabled": True, "IncludeCookies": False, "Prefix": "cf/",
                                                    "Bucket": f"{account}-trail-logs.s3.amazonaws.com"})  # fmt: skip
    session.client("cloudfront", region_name=region).create_distribution(DistributionConfig=config)


@demo_resources
def _ssm(session: Any, account: str, region: str) -> None:
    """prod: a private runbook, and one instance per region with an instance profile (managed by SSM; the
    others are not); dev: a runbook shared with every AWS account, no managed instance."""
    if account == "prod":
        if region == REGIONS[0]:
            session.client("iam").create_instance_profile(InstanceProfileName=f"{account}-ssm")
        ec2 = session.client("ec2", region_name=region)
        first = ec2.describe_instances()["Reservations"][0]["Instances"][0]["InstanceId"]
        ec2.associate_iam_instance_profile(IamInstanceProfile={"Name": f"{account}-ssm"}, InstanceId=first)
    if region != REGIONS[0]:
        return
    content = json.dumps({"schemaVersion": "2.2", "description": "restart the app", "mainSteps": [
        {"action": "aws:runShellScript", "name": "restart", "inputs": {"runCommand": ["systemctl restart app"]}}]})  # fmt: skip
    ssm = session.client("ssm", region_name=region)
    ssm.create_document(
        Name=f"{account}-restart", Content=content, DocumentType="Command", DocumentFormat="JSON"
    )
    if account != "prod":
        ssm.modify_document_permission(
            Name=f"{account}-restart", PermissionType="Share", AccountIdsToAdd=["all"]
        )


@demo_resources
def _compliance(session: Any, account: str, region: str) -> None:
    """prod: the instance SSM manages misses a critical patch (Fix's resource_non_compliant finds it), and
    its association ran fine."""
    if account != "prod":
        return
    ssm = session.client("ssm", region_name=region)
    managed = ssm.describe_instance_information()["InstanceInformationList"][0]["InstanceId"]
    ran = {
        "ExecutionTime": dt.datetime.now(dt.UTC),
        "ExecutionId": "demo-patch-scan",
        "ExecutionType": "Command",
    }
    for kind, status, severity in (
        ("Patch", "NON_COMPLIANT", "CRITICAL"),
        ("Association", "COMPLIANT", "UNSPECIFIED"),
    ):
        ssm.put_compliance_items(ResourceId=managed, ResourceType="ManagedInstance", ComplianceType=kind,
                                 ExecutionSummary=ran, Items=[{"Id": f"{kind}-1", "Title": f"demo {kind.lower()}",
                                                               "Severity": severity, "Status": status}])  # fmt: skip


@demo_resources
def _peering(session: Any, account: str, region: str) -> None:
    """prod: the main VPC peers with a data VPC, and its main route table sends the whole data range through
    the peering (Fix's routing_tables_with_least_privilege finds it); dev: no peering."""
    if account != "prod":
        return
    ec2 = session.client("ec2", region_name=region)
    main = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [f"{account}-main"]}])["Vpcs"][0][
        "VpcId"
    ]
    data = ec2.create_vpc(CidrBlock="10.1.0.0/16", TagSpecifications=[
        {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": f"{account}-data"}]}])["Vpc"]["VpcId"]  # fmt: skip
    peering = ec2.create_vpc_peering_connection(VpcId=main, PeerVpcId=data, TagSpecifications=[
        {"ResourceType": "vpc-peering-connection", "Tags": [{"Key": "Name", "Value": f"{account}-main-data"}]},
    ])["VpcPeeringConnection"]["VpcPeeringConnectionId"]  # fmt: skip
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=peering)
    table = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [main]}])["RouteTables"][0]
    ec2.create_route(RouteTableId=table["RouteTableId"], DestinationCidrBlock="10.1.0.0/16",
                     VpcPeeringConnectionId=peering)  # fmt: skip


@demo_resources
def _stacks(session: Any, account: str, region: str) -> None:
    """A stack that makes the alerts topic, in the first region: prod's is protected from deletion; dev's is
    not, and an output of it gives away a password (Fix's no_secrets_in_output)."""
    if region != REGIONS[0]:
        return
    outputs: dict[str, Any] = {"TopicArn": {"Value": {"Ref": "Alerts"}, "Description": "where alerts go"}}
    if account != "prod":
        outputs["AdminPassword"] = {"Value": "Sup3r-S3cret-Demo-Passw0rd!"}
    template = {"Description": f"{account} alerting", "Resources": {
        "Alerts": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": f"{account}-stack-alerts"}}},
        "Outputs": outputs}  # fmt: skip
    session.client("cloudformation", region_name=region).create_stack(
        StackName=f"{account}-alerting",
        TemplateBody=json.dumps(template),
        EnableTerminationProtection=account == "prod",
        Tags=[{"Key": "team", "Value": "ops"}],
    )


@demo_resources
def _security_hub(session: Any, account: str, region: str) -> None:
    """Security Hub on in the first region only: CIS 4.16 fails the other region where it is in use."""
    if region == REGIONS[0]:
        session.client("securityhub", region_name=region).enable_security_hub(EnableDefaultStandards=False)


@demo_resources
def _access_analyzer(session: Any, account: str, region: str) -> None:
    """An analyzer of external access in the first region only: CIS 1.20 fails the other region where it is in use."""
    if region == REGIONS[0]:
        session.client("accessanalyzer", region_name=region).create_analyzer(
            analyzerName=f"{account}-external-access", type="ACCOUNT"
        )


@demo_resources
def _password_policy(session: Any, account: str, region: str) -> None:
    """prod: passwords of 14 characters or more, the last 24 remembered (CIS 1.8, 1.9); dev: 8 characters,
    5 remembered, which fails both."""
    if region != REGIONS[0]:
        return
    strict = account == "prod"
    session.client("iam").update_account_password_policy(
        MinimumPasswordLength=14 if strict else 8, PasswordReusePrevention=24 if strict else 5,
        RequireSymbols=strict, RequireNumbers=True, RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=True, AllowUsersToChangePassword=True, **({"MaxPasswordAge": 90} if strict else {}),
    )  # fmt: skip
