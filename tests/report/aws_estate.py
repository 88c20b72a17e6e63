"""One moto estate with a failing and a passing resource for every bundled check, collected once per module."""

from __future__ import annotations

import datetime as dt
import io
import json
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, Config
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import start_aws

REGION = "eu-west-1"
PORTS = {"ssh": 22, "rdp": 3389, "telnet": 23, "ftp": 21, "mysql": 3306, "postgresql": 5432, "mssql": 1433,
         "oracle": 1521, "mongodb": 27017, "redis": 6379, "memcached": 11211, "elasticsearch": 9200,
         "kibana": 5601, "cassandra": 9042, "kafka": 9092, "zookeeper": 2181, "rabbitmq": 5672, "couchdb": 5984,
         "etcd": 2379, "docker": 2375, "kubernetes_api": 6443, "smb": 445, "netbios": 139, "vnc": 5900,
         "winrm": 5985, "ldap": 389, "nfs": 2049, "smtp": 25, "dns": 53, "prometheus": 9090}  # fmt: skip


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handle(event, context):\n    return 1\n")
    return buffer.getvalue()


def _certificate() -> tuple[str, str]:
    """A self-signed certificate and its key, PEM (moto dates every server certificate in the past)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "legacy.example.com")])
    start = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
    made = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(start).not_valid_after(start + dt.timedelta(days=365))
            .sign(key, hashes.SHA256()))  # fmt: skip
    pem = serialization.Encoding.PEM
    private = key.private_bytes(
        pem, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    return made.public_bytes(pem).decode(), private.decode()


def _group(ec2: Any, vpc: str, name: str, rules: list[dict[str, Any]], egress: bool = True) -> str:
    group = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]
    if rules:
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=rules)
    if not egress:
        ec2.revoke_security_group_egress(
            GroupId=group, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
        )
    return group


def _tcp(port: int, cidr: str = "0.0.0.0/0", to: int | None = None) -> dict[str, Any]:
    return {
        "IpProtocol": "tcp",
        "FromPort": port,
        "ToPort": port if to is None else to,
        "IpRanges": [{"CidrIp": cidr}],
    }


def make_ec2() -> dict[str, str]:
    ec2 = boto3.client("ec2", region_name=REGION)
    made: dict[str, str] = {}
    vpc = ec2.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
    made["vpc"] = vpc
    made["default_vpc"] = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0][
        "VpcId"
    ]
    zone = ec2.describe_availability_zones()["AvailabilityZones"][0]["ZoneName"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.3.1.0/24", AvailabilityZone=zone)["Subnet"][
        "SubnetId"
    ]
    made["subnet"] = subnet
    made["default_subnet"] = ec2.describe_subnets(
        Filters=[{"Name": "vpc-id", "Values": [made["default_vpc"]]}]
    )["Subnets"][0]["SubnetId"]
    for name, port in PORTS.items():
        made[f"open-{name}"] = _group(ec2, vpc, f"open-{name}", [_tcp(port)])
    made["private"] = _group(
        ec2, vpc, "private", [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}], egress=False
    )
    made["open-all"] = _group(
        ec2, vpc, "open-all", [{"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]
    )
    made["open-tcp-range"] = _group(ec2, vpc, "open-tcp-range", [_tcp(0, to=65535)])
    made["open-icmp"] = _group(ec2, vpc, "open-icmp", [{"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1,
                                                          "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])  # fmt: skip
    made["default_sg"] = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]["GroupId"]  # fmt: skip
    closed_vpc = ec2.create_vpc(CidrBlock="10.4.0.0/16")["Vpc"]["VpcId"]
    closed = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [closed_vpc]}, {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]  # fmt: skip
    if closed["IpPermissions"]:
        ec2.revoke_security_group_ingress(GroupId=closed["GroupId"], IpPermissions=closed["IpPermissions"])
    if closed["IpPermissionsEgress"]:
        ec2.revoke_security_group_egress(
            GroupId=closed["GroupId"], IpPermissions=closed["IpPermissionsEgress"]
        )
    made["closed_default_sg"] = closed["GroupId"]
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    ec2.create_key_pair(KeyName="shared")

    def instance(subnet_id: str, **extra: Any) -> str:
        args = {
            "ImageId": image,
            "MinCount": 1,
            "MaxCount": 1,
            "SubnetId": subnet_id,
            "InstanceType": "t3.micro",
            **extra,
        }
        return str(ec2.run_instances(**args)["Instances"][0]["InstanceId"])

    made["public_instance"] = instance(
        made["default_subnet"],
        KeyName="shared",
        InstanceType="m3.medium",
        MetadataOptions={"HttpTokens": "optional"},
    )
    made["imdsv2_instance"] = instance(
        subnet, MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled"}
    )
    boto3.client("logs", region_name=REGION).create_log_group(logGroupName="flows")
    ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL", LogGroupName="flows",
                         DeliverLogsPermissionArn="arn:aws:iam::123456789012:role/flow-logs")  # fmt: skip
    made["private_instance"] = instance(subnet, TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "owner", "Value": "alice"}]}])  # fmt: skip
    made["stopped_instance"] = instance(subnet)
    ec2.stop_instances(InstanceIds=[made["stopped_instance"]])
    made["plain_volume"] = ec2.create_volume(Size=8, AvailabilityZone=zone, VolumeType="gp2")["VolumeId"]
    made["encrypted_volume"] = ec2.create_volume(
        Size=8, AvailabilityZone=zone, VolumeType="gp3", Encrypted=True
    )["VolumeId"]
    ec2.attach_volume(
        VolumeId=made["encrypted_volume"], InstanceId=made["private_instance"], Device="/dev/sdf"
    )
    made["plain_snapshot"] = ec2.create_snapshot(VolumeId=made["plain_volume"])["SnapshotId"]
    made["encrypted_snapshot"] = ec2.create_snapshot(VolumeId=made["encrypted_volume"])["SnapshotId"]
    made["default_acl"] = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "default", "Values": ["true"]}])["NetworkAcls"][0]["NetworkAclId"]  # fmt: skip
    made["custom_acl"] = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    made["loose_nic"] = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"][
        "NetworkInterfaceId"
    ]
    made["instance_nic"] = ec2.describe_instances(InstanceIds=[made["private_instance"]])["Reservations"][0]["Instances"][0]["NetworkInterfaces"][0]["NetworkInterfaceId"]  # fmt: skip
    made["idle_ip"] = ec2.allocate_address(Domain="vpc")["AllocationId"]
    made["used_ip"] = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.associate_address(AllocationId=made["used_ip"], InstanceId=made["private_instance"])
    return made


def make_s3() -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="open-bucket")
    s3.create_bucket(Bucket="locked-bucket")
    s3.put_public_access_block(Bucket="locked-bucket", PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})  # fmt: skip
    s3.put_bucket_encryption(Bucket="locked-bucket", ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/s3"}}]})  # fmt: skip
    s3.put_bucket_versioning(Bucket="locked-bucket", VersioningConfiguration={"Status": "Enabled", "MFADelete": "Enabled"},
                             MFA="arn:aws:iam::123456789012:mfa/root 123456")  # fmt: skip
    s3.put_bucket_tagging(Bucket="locked-bucket", Tagging={"TagSet": [{"Key": "owner", "Value": "alice"}]})
    s3.put_bucket_policy(Bucket="locked-bucket", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "tls-only", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": ["arn:aws:s3:::locked-bucket", "arn:aws:s3:::locked-bucket/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))  # fmt: skip
    s3.put_bucket_encryption(Bucket="open-bucket", ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})  # fmt: skip
    s3.create_bucket(Bucket="bare-bucket")
    s3.delete_bucket_encryption(Bucket="bare-bucket")
    # a policy, but one that denies HTTP only to writes: reads may still go in the clear
    s3.put_bucket_policy(Bucket="bare-bucket", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::bare-bucket/*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))  # fmt: skip


def make_iam() -> dict[str, str]:
    iam = boto3.client("iam")
    made: dict[str, str] = {}
    for user in ("alice", "bob", "carol", "dave"):
        iam.create_user(UserName=user)
    made["alice_key"] = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    iam.create_access_key(UserName="carol")
    iam.create_access_key(UserName="carol")
    made["dave_key"] = iam.create_access_key(UserName="dave")["AccessKey"]["AccessKeyId"]
    iam.update_access_key(UserName="dave", AccessKeyId=made["dave_key"], Status="Inactive")
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="bob-mfa")["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(
        UserName="bob", SerialNumber=serial, AuthenticationCode1="123456", AuthenticationCode2="654321"
    )
    document = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}
    )
    iam.create_policy(PolicyName="unused", PolicyDocument=document)
    used = iam.create_policy(PolicyName="used", PolicyDocument=document)["Policy"]["Arn"]
    iam.attach_user_policy(UserName="alice", PolicyArn=used)
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                                "Action": "sts:AssumeRole"}]})  # fmt: skip
    made["role"] = iam.create_role(RoleName="runner", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    iam.create_role(RoleName="marathon", AssumeRolePolicyDocument=trust, MaxSessionDuration=43200)
    iam.put_user_policy(UserName="carol", PolicyName="own", PolicyDocument=document)
    everything = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["*"], "Resource": "*"}]}
    )
    admin = iam.create_policy(PolicyName="everything", PolicyDocument=everything)["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="marathon", PolicyArn=admin)
    return made


def make_others(role: str, subnets: list[str]) -> None:
    rds = boto3.client("rds", region_name=REGION)
    rds.create_db_instance(DBInstanceIdentifier="orders", DBInstanceClass="db.m4.large", Engine="postgres",
                           AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="secret123",
                           PubliclyAccessible=True, StorageEncrypted=False, AutoMinorVersionUpgrade=False,
                           BackupRetentionPeriod=0, DeletionProtection=False, MultiAZ=False,
                           EnableIAMDatabaseAuthentication=False)  # fmt: skip
    rds.create_db_instance(DBInstanceIdentifier="ledger", DBInstanceClass="db.m6g.large", Engine="postgres",
                           AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="secret123",
                           PubliclyAccessible=False, StorageEncrypted=True, AutoMinorVersionUpgrade=True,
                           BackupRetentionPeriod=7, DeletionProtection=True, MultiAZ=True,
                           EnableIAMDatabaseAuthentication=True, Tags=[{"Key": "owner", "Value": "alice"}])  # fmt: skip
    kms = boto3.client("kms", region_name=REGION)
    rotating = kms.create_key(Description="rotating")["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=rotating)
    kms.create_key(Description="static")
    kms.schedule_key_deletion(
        KeyId=kms.create_key(Description="doomed")["KeyMetadata"]["KeyId"], PendingWindowInDays=7
    )
    kms.disable_key(KeyId=kms.create_key(Description="idle")["KeyMetadata"]["KeyId"])
    s3 = boto3.client("s3", region_name="us-east-1")
    for bucket in ("trail-logs", "audit-logs", "access-logs"):
        s3.create_bucket(Bucket=bucket)
    delivery = 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"'
    s3.put_bucket_acl(Bucket="access-logs", GrantWrite=delivery, GrantReadACP=delivery)
    s3.put_bucket_logging(Bucket="audit-logs", BucketLoggingStatus={
        "LoggingEnabled": {"TargetBucket": "access-logs", "TargetPrefix": "audit-logs/"}})  # fmt: skip
    trail = boto3.client("cloudtrail", region_name=REGION)
    trail.create_trail(Name="sloppy", S3BucketName="trail-logs")
    trail.create_trail(Name="audit", S3BucketName="audit-logs", IsMultiRegionTrail=True, EnableLogFileValidation=True,
                       KmsKeyId=rotating, CloudWatchLogsLogGroupArn=f"arn:aws:logs:{REGION}:123456789012:log-group:trail:*",
                       CloudWatchLogsRoleArn=role)  # fmt: skip
    trail.start_logging(Name="audit")
    trail.put_event_selectors(TrailName="audit", EventSelectors=[{  # object writes of every bucket, no reads
        "ReadWriteType": "WriteOnly", "IncludeManagementEvents": True,
        "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]}])  # fmt: skip
    efs = boto3.client("efs", region_name=REGION)
    for name, encrypted in (("plain-share", False), ("sealed-share", True)):
        efs.create_file_system(CreationToken=name, Encrypted=encrypted, Tags=[{"Key": "Name", "Value": name}])
    iam = boto3.client("iam", region_name=REGION)
    body, key = _certificate()
    iam.upload_server_certificate(ServerCertificateName="legacy-tls", CertificateBody=body, PrivateKey=key)
    functions = boto3.client("lambda", region_name=REGION)
    functions.create_function(FunctionName="legacy", Runtime="python3.8", Role=role, Handler="handler.handle",
                              Code={"ZipFile": _zip()}, Timeout=900)  # fmt: skip
    functions.create_function(FunctionName="current", Runtime="python3.12", Role=role, Handler="handler.handle",
                              Code={"ZipFile": _zip()}, Timeout=30)  # fmt: skip
    elb = boto3.client("elb", region_name=REGION)
    listeners = [{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}]
    elb.create_load_balancer(LoadBalancerName="classic-public", Listeners=listeners, Subnets=subnets[:1])
    elb.create_load_balancer(
        LoadBalancerName="classic-internal", Listeners=listeners, Subnets=subnets[:1], Scheme="internal"
    )
    elbv2 = boto3.client("elbv2", region_name=REGION)
    elbv2.create_load_balancer(Name="modern-public", Subnets=subnets, Scheme="internet-facing")
    elbv2.create_load_balancer(Name="modern-internal", Subnets=subnets, Scheme="internal")
    eks = boto3.client("eks", region_name=REGION)
    eks.create_cluster(name="old", version="1.25", roleArn=role, resourcesVpcConfig={"subnetIds": subnets})
    eks.create_cluster(
        name="current", version="1.31", roleArn=role, resourcesVpcConfig={"subnetIds": subnets}
    )


def build_estate(tmp: Path) -> tuple[DuckDBStore, dict[str, str]]:
    made = make_ec2()
    make_s3()
    made |= make_iam()
    ec2 = boto3.client("ec2", region_name=REGION)
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
    second = ec2.create_subnet(VpcId=made["vpc"], CidrBlock="10.3.2.0/24", AvailabilityZone=zones[1])[
        "Subnet"
    ]["SubnetId"]
    make_others(made["role"], [made["subnet"], second])
    store = DuckDBStore()
    summary = collect_aws(store, Config(home=tmp, aws=AwsConfig(regions=[REGION])))
    assert summary.ok, list(summary.lines())
    return store, made


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DuckDBStore, dict[str, str]]]:
    emulator_iter = start_aws()
    emulator = next(emulator_iter)
    urllib.request.urlopen(
        urllib.request.Request(emulator.moto_url + "/moto-api/reset", method="POST")
    ).close()
    with pytest.MonkeyPatch.context() as patch:
        for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
            patch.delenv(key, raising=False)
        patch.setenv("AWS_ENDPOINT_URL", emulator.url)
        patch.setenv("AWS_ENDPOINT_URL_S3", emulator.moto_url)
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        patch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        store, made = build_estate(tmp_path_factory.mktemp("collect"))
        yield store, made
        store.close()
    for _ in emulator_iter:
        pass
