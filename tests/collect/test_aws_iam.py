"""IAM roles and managed policies against moto: what GetAccountAuthorizationDetails adds to ListRoles' and
ListPolicies' items (inline policies, attachments, the default document)."""

from __future__ import annotations

import json
from pathlib import Path

import boto3

from tests.collect.aws_fixture import AwsEmulator, collected_region
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.collect.test_aws_managed_services import _names, _one

TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}  # fmt: skip
READ = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}
ANY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def test_roles_with_their_inline_and_attached_policies(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    iam = boto3.client("iam")
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.put_role_policy(RoleName="app", PolicyName="everything", PolicyDocument=json.dumps(ANY))
    arn = iam.create_policy(PolicyName="reader", PolicyDocument=json.dumps(READ))["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="app", PolicyArn=arn)
    store = collected_region(tmp_path)
    role = _one(store, "is(aws_iam_role) and name == app")
    assert [(p["policy_name"], p["policy_document"]["Statement"][0]["Action"]) for p in role["role_policies"]] == [
        ("everything", "*")]  # fmt: skip
    assert _names(store, "is(aws_iam_policy) and name == reader <-- is(aws_iam_role)") == {"app"}
    reader = _one(store, "is(aws_iam_policy) and name == reader")
    assert (reader["policy_document"]["document"], reader["policy_attachment_count"]) == (READ, 1)
