"""IAM kinds beyond roles and policies: users, the root user, groups, server certificates (Fix's names)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from cloudsift.model.aws import AwsResource
from cloudsift.model.base import struct
from cloudsift.model.core import User, kind_class


@struct
class AwsIamVirtualMfaDevice:
    serial_number: str
    enable_date: dt.datetime


@kind_class
class AwsIamUser(User, AwsResource):
    """An IAM user; its access keys hang below it, it leads to its attached managed policies. Password and
    MFA state come from the credential report; inline policies are kept as `user_policies`
    ([{policy_name, policy_document}], the documents as AWS wrote them)."""

    kind: ClassVar[str] = "aws_iam_user"
    untyped: ClassVar[tuple[str, ...]] = ("user_policies",)  # kept as AWS wrote them
    path: str
    mfa_active: bool
    password_enabled: bool
    password_last_used: dt.datetime
    password_last_changed: dt.datetime
    password_next_rotation: dt.datetime
    user_virtual_mfa_devices: list[AwsIamVirtualMfaDevice]


@kind_class
class AwsRootUser(User, AwsResource):
    """The account's root user, from the credential report and the account summary; its access keys
    (`root_key_1`, `root_key_2`) hang below it when one is active or was used."""

    kind: ClassVar[str] = "aws_root_user"
    password_enabled: bool
    password_last_used: dt.datetime
    password_last_changed: dt.datetime
    password_next_rotation: dt.datetime
    mfa_active: bool
    user_virtual_mfa_devices: list[AwsIamVirtualMfaDevice]


@kind_class
class AwsIamGroup(AwsResource):
    """An IAM group; it leads to its attached managed policies. Its inline policies are kept as
    `group_policies` ([{policy_name, policy_document}], the documents as AWS wrote them)."""

    kind: ClassVar[str] = "aws_iam_group"
    untyped: ClassVar[tuple[str, ...]] = ("group_policies",)  # kept as AWS wrote them
    path: str


@kind_class
class AwsIamServerCertificate(AwsResource):
    """A server certificate uploaded to IAM; `expires` is when it stops being valid."""

    kind: ClassVar[str] = "aws_iam_server_certificate"
    path: str
    expires: dt.datetime
