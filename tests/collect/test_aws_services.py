"""Every AWS kind the collector knows, created with boto3 in moto and found again with Fix Inventory's property names."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import boto3

from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, Config
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)

REGION = "eu-west-1"


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handle(event, context):\n    return 1\n")
    return buffer.getvalue()


def _make_everything() -> dict[str, Any]:
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.2.{i}.0/24", AvailabilityZone=z)["Subnet"]["SubnetId"]
               for i, z in enumerate(zones)]  # fmt: skip
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnets[0])["Instances"][0][
        "InstanceId"
    ]
    volume = ec2.create_volume(Size=20, AvailabilityZone=zones[0])["VolumeId"]
    snapshot = ec2.create_snapshot(VolumeId=volume, Description="nightly")["SnapshotId"]
    restored = ec2.create_volume(SnapshotId=snapshot, AvailabilityZone=zones[0])["VolumeId"]
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    nic = ec2.create_network_interface(SubnetId=subnets[1])["NetworkInterface"]["NetworkInterfaceId"]
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.associate_address(AllocationId=allocation, InstanceId=instance)

    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="open-bucket")
    s3.create_bucket(Bucket="locked-bucket")
    s3.put_public_access_block(Bucket="locked-bucket", PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})  # fmt: skip
    s3.put_bucket_encryption(Bucket="locked-bucket", ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})  # fmt: skip
    s3.put_bucket_versioning(Bucket="locked-bucket", VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_policy(Bucket="open-bucket", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::open-bucket/*"}]}))  # fmt: skip

    iam = boto3.client("iam")
    iam.create_user(UserName="alice")
    iam.create_user(UserName="bob")
    key = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="bob-mfa")["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(
        UserName="bob", SerialNumber=serial, AuthenticationCode1="123456", AuthenticationCode2="654321"
    )
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                     "Action": "sts:AssumeRole"}]}  # fmt: skip
    role = iam.create_role(RoleName="runner", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    iam.create_policy(PolicyName="read-only", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}))  # fmt: skip

    rds = boto3.client("rds", region_name=REGION)
    rds.create_db_instance(DBInstanceIdentifier="orders", DBInstanceClass="db.t3.micro", Engine="postgres",
                           AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="secret123",
                           PubliclyAccessible=True, StorageEncrypted=False)  # fmt: skip
    boto3.client("lambda", region_name=REGION).create_function(
        FunctionName="resize", Runtime="python3.11", Role=role, Handler="handler.handle", Code={"ZipFile": _zip()},
        MemorySize=256, Timeout=30)  # fmt: skip
    kms = boto3.client("kms", region_name=REGION)
    rotating = kms.create_key(Description="rotating")["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=rotating)
    kms.create_key(Description="static")
    kms.disable_key(KeyId=kms.create_key(Description="retired")["KeyMetadata"]["KeyId"])
    s3.create_bucket(Bucket="trail-logs")
    trail = boto3.client("cloudtrail", region_name=REGION)
    trail.create_trail(Name="audit", S3BucketName="trail-logs", IsMultiRegionTrail=True)
    trail.start_logging(Name="audit")
    boto3.client("elb", region_name=REGION).create_load_balancer(
        LoadBalancerName="classic", Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}],
        Subnets=[subnets[0]])  # fmt: skip
    boto3.client("elbv2", region_name=REGION).create_load_balancer(Name="modern", Subnets=subnets)
    boto3.client("eks", region_name=REGION).create_cluster(
        name="platform", roleArn=role, resourcesVpcConfig={"subnetIds": subnets})  # fmt: skip
    return {"vpc": vpc, "instance": instance, "volume": volume, "snapshot": snapshot, "gateway": gateway, "nic": nic,
            "allocation": allocation, "key": key, "restored": restored}  # fmt: skip


def _one(store: DuckDBStore, query: str) -> dict[str, Any]:
    found = list(store.search(store.bind(query)))
    assert len(found) == 1, (query, [f["id"] for f in found])
    return dict(found[0]["reported"])


def test_every_kind_is_collected_with_its_properties(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    made = _make_everything()
    store = DuckDBStore()
    summary = collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION])))
    assert summary.ok, list(summary.lines())
    # only the account's own snapshot: the public ones of the emulator's images belong to their owners
    snap = _one(store, "is(aws_ec2_snapshot)")
    assert snap["id"] == made["snapshot"]
    assert (snap["volume_id"], snap["volume_size"], snap["encrypted"]) == (made["volume"], 20, False)
    assert _one(store, "is(snapshot) and encrypted == false")["id"] == made["snapshot"]
    assert (
        _one(store, f'is(aws_ec2_volume) and volume_snapshot_id == "{made["snapshot"]}"')["id"]
        == made["restored"]
    )
    launched = _one(store, "is(aws_ec2_instance) and instance_launch_time > 2020-01-01")
    assert launched["instance_launch_time"] == launched["ctime"]
    acl_parents = {
        d["reported"]["id"] for d in store.search(store.bind("is(aws_ec2_network_acl) <-- is(aws_vpc)"))
    }
    assert made["vpc"] in acl_parents
    assert (
        _one(store, f'is(aws_vpc) and id == "{made["vpc"]}" --> is(aws_ec2_internet_gateway)')["id"]
        == made["gateway"]
    )
    assert _one(store, f'id("aws/123456789012/{REGION}/{made["instance"]}") --> is(aws_ec2_elastic_ip)')[
        "ip_allocation_id"] == made["allocation"]  # fmt: skip
    assert _one(store, "is(ip_address)")["public_ip"]
    nic = _one(store, f'is(aws_ec2_network_interface) and id == "{made["nic"]}"')
    assert (nic["network_interface_status"], nic["private_ips"]) == (
        "available",
        [nic["nic_private_ip_address"]],
    )
    locked = _one(store, "is(aws_s3_bucket) and name == locked-bucket")
    assert locked["bucket_public_access_block_configuration"]["block_public_acls"] is True
    assert locked["bucket_encryption_rules"][0]["sse_algorithm"] == "AES256"
    assert locked["bucket_versioning"] is True
    assert (locked["encryption_enabled"], locked["versioning_enabled"], locked.get("bucket_policy")) == (
        True,
        True,
        None,
    )
    public = _one(
        store, 'is(aws_s3_bucket) and bucket_policy.Statement[*].{Effect == Allow and Principal == "*"}'
    )
    assert (public["name"], public["bucket_versioning"]) == ("open-bucket", False)
    unblocked = {d["reported"]["name"] for d in store.search(
        store.bind("is(aws_s3_bucket) and bucket_public_access_block_configuration == null"))}  # fmt: skip
    assert unblocked == {"open-bucket", "trail-logs"}
    assert {
        d["reported"]["name"] for d in store.search(store.bind("is(aws_iam_user) and mfa_active == true"))
    } == {"bob"}
    key = _one(store, "is(aws_iam_user) and name == alice --> is(aws_iam_access_key)")
    assert (key["id"], key["access_key_status"]) == (made["key"], "Active")
    assert _one(store, "is(aws_iam_access_key) and age < 1d")["id"] == made["key"]
    assert _one(store, "is(aws_iam_role) and name == runner")["role_assume_role_policy_document"]["Statement"]
    assert _one(store, "is(aws_iam_role) and name == runner")["path"] == "/"
    assert (
        _one(store, "is(aws_iam_access_key)")["access_key_last_used"]["service_name"] == "N/A"
    )  # AWS says N/A until first use
    assert _one(store, "is(aws_iam_policy) and name == read-only")["policy_is_attachable"] is True
    db = _one(store, "is(aws_rds_instance)")
    assert (db["db_type"], db["db_publicly_accessible"], db["volume_encrypted"]) == (
        "postgres",
        True,
        False,
    )
    assert _one(store, "is(database) and db_publicly_accessible == true")["name"] == "orders"
    fn = _one(store, "is(aws_lambda_function)")
    assert (fn["function_runtime"], fn["function_memory_size"]) == ("python3.11", 256)
    assert _one(store, "is(aws_kms_key) and kms_key_rotation_enabled == true")["name"] == "rotating"
    assert (
        _one(store, "is(aws_kms_key) and kms_key_rotation_enabled == false and kms_enabled == true")["name"]
        == "static"
    )
    # Fix's KMS checks read access_key_status: a disabled key is found as one
    assert _one(store, "is(aws_kms_key) and access_key_status == Disabled")["name"] == "retired"
    assert (
        store.count(store.bind("is(access_key) and access_key_status in [Enabled, Active]")) == 3
    )  # 2 KMS, 1 IAM
    trail = _one(store, "is(aws_cloud_trail)")
    assert (trail["trail_is_multi_region_trail"], trail["trail_status"]["is_logging"]) == (True, True)
    classic = _one(store, "is(aws_elb)")
    assert (classic["lb_type"], classic["backends"]) == ("elb", [])
    modern = _one(store, "is(aws_alb)")
    assert (modern["name"], modern["lb_type"], modern["alb_type"]) == ("modern", "alb", "application")
    assert _one(store, "is(load_balancer) and lb_type == elb")["name"] == "classic"
    eks = _one(store, "is(aws_eks_cluster)")
    assert eks["cluster_status"] in ("ACTIVE", "CREATING") and eks["version"]
    # global services are collected once per account, under the region "global"
    assert {
        d["ancestors"]["region"]["reported"]["name"] for d in store.search(store.bind("is(aws_iam_user)"))
    } == {"global"}
    assert store.count(store.bind("is(aws_s3_bucket)")) == 3
