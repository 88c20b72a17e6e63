"""An imported estate for the checks that look at a whole account or region (its root user, its trails'
alarms, its Config recorders): moto has one root user per account and cannot age or sign one in, so these
accounts are written as a graph in Fix's export format and imported.

  good   (111111111111): a password policy of 14 characters remembering 24 (CIS's limits exactly); root
                         with a hardware MFA, unused; a valid server certificate; a role holding
                         AWSSupportAccess; a recorder and Security Hub in every region in use; a logging
                         multi-region trail whose log group has CIS's 15 metric filters, each with an alarm
                         that notifies a topic, and which records the S3 object events of every bucket.
  bad    (222222222222): a password policy of 13 characters remembering 23; root with an active key, no
                         MFA, signed in yesterday; a certificate that expired an hour ago;
                         AWSCloudShellFullAccess attached, AWSSupportAccess held by nobody; no recorder in
                         one region in use and a stopped one in the other; Security Hub in one region only;
                         a root-usage filter whose alarm notifies nobody, and an unauthorized-calls filter on
                         a trail that does not log (though it would record every S3 object event).
  single (333333333333): no password policy of its own (as the collector and Fix write it); only the IAM
                         policy change filter (with an alarm that notifies): it passes that check alone; its
                         trail records S3 object reads of every bucket, writes of one only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

GOOD, BAD, SINGLE = "111111111111", "222222222222", "333333333333"
# CIS 3.8/3.9 mean every current and future bucket: classic selectors naming buckets one by one do not
# count (PER_BUCKET fails both), the all-buckets value written as arn:aws:s3::: does (ALL_BUCKETS passes)
PER_BUCKET, ALL_BUCKETS = "444444444444", "555555555555"
REGIONS = ("eu-west-1", "us-east-1")

# CloudWatch metric filter patterns as CIS AWS Foundations 3.0 section 4 gives them, by recommendation.
CIS_PATTERNS = {
    "4_1": '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && '
    '($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
    "4_2": '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
    '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    "4_3": '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && '
    '$.eventType != "AwsServiceEvent" }',
    "4_4": "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||"
    "($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||"
    "($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||"
    "($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||"
    "($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||"
    "($.eventName=DetachGroupPolicy)}",
    "4_5": "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || "
    "($.eventName = StartLogging) || ($.eventName = StopLogging) }",
    "4_6": '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    "4_7": "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }",
    "4_8": "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) "
    "|| ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) "
    "|| ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || "
    "($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }",
    "4_9": "{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||"
    "($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }",
    "4_10": "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
    "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
    "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
    "4_11": "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || "
    "($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || "
    "($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }",
    "4_12": "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || "
    "($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || "
    "($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
    "4_13": "{($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) "
    "|| ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || "
    "($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }",
    "4_14": "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || "
    "($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || "
    "($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || "
    "($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || "
    "($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }",
    "4_15": '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || '
    '($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") '
    '|| ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") '
    '|| ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") '
    '|| ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || '
    '($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || '
    '($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || '
    '($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }',
}


class _Graph:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def node(self, node_id: str, kind: str, rid: str, parent: str | None, **props: Any) -> str:
        self.lines.append(
            json.dumps({"id": node_id, "reported": {"kind": kind, "id": rid, "name": rid, **props}})
        )
        if parent is not None:
            self.edge(parent, node_id)
        return node_id

    def edge(self, source: str, target: str) -> None:
        self.lines.append(json.dumps({"from": source, "to": target, "edge_type": "default"}))


def _iso(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _watch(graph: _Graph, group: str, name: str, pattern: str, actions: list[str]) -> None:
    flt = graph.node(
        f"{group}/filter/{name}", "aws_cloudwatch_metric_filter", name, group, filter_pattern=pattern
    )
    graph.node(f"{group}/alarm/{name}", "aws_cloudwatch_alarm", name, flt, cloudwatch_alarm_actions=actions)


def _trail(graph: _Graph, region: str, name: str, logging: bool, selectors: Any = None) -> str:
    trail = graph.node(f"{region}/trail/{name}", "aws_cloud_trail", name, region, trail_is_multi_region_trail=True,
                       trail_status={"is_logging": logging}, trail_event_selectors=selectors)  # fmt: skip
    return graph.node(f"{trail}/log-group", "aws_cloudwatch_log_group", f"{name}-events", trail)


def _field(name: str, *values: str) -> dict[str, Any]:
    return {"selector_field": name, "equals": list(values)}


# S3 object data events of every bucket: all of them (classic), reads only (advanced), one bucket's writes
EVERY_OBJECT = {"event_selectors": [{"read_write_type": "All", "include_management_events": True,
                                     "data_resources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}]}  # fmt: skip
OBJECT_READS = {"advanced_event_selectors": [
    {"name": "reads", "field_selectors": [_field("eventCategory", "Data"), _field("resources.type", "AWS::S3::Object"),
                                          _field("readOnly", "true")]},
    {"name": "one bucket", "field_selectors": [_field("eventCategory", "Data"), _field("resources.type", "AWS::S3::Object"),
                                               _field("resources.ARN", "arn:aws:s3:::ledger/")]},
]}  # fmt: skip


def _account(graph: _Graph, account: str, **password_policy: Any) -> tuple[str, str, str, str]:
    node = graph.node(f"aws/{account}", "aws_account", account, "aws", **password_policy)
    regions = [graph.node(f"{node}/{r}", "aws_region", r, node, region_in_use=True) for r in REGIONS]
    world = graph.node(f"{node}/global", "aws_region", "global", node, region_in_use=False)
    return node, regions[0], regions[1], world


def estate_lines(now: dt.datetime) -> Iterator[str]:
    graph = _Graph()
    graph.node("aws", "cloud", "aws", None)
    recording = {"recording": True}
    everything = {"all_supported": True, "include_global_resource_types": True}
    topic = ["arn:aws:sns:eu-west-1:111111111111:security"]

    _, west, east, world = _account(graph, GOOD, minimum_password_length=14, password_reuse_prevention=24,
                                    max_password_age=90, require_symbols=True, expire_passwords=True)  # fmt: skip
    root = graph.node(f"{world}/root", "aws_root_user", "root", world, mfa_active=True, user_virtual_mfa_devices=[],
                      password_last_used=_iso(now - dt.timedelta(days=400)))  # fmt: skip
    graph.edge(f"aws/{GOOD}", root)
    for region in (west, east):
        graph.node(f"{region}/recorder", "aws_config_recorder", "default", region, recorder_status=recording,
                   recorder_group=everything)  # fmt: skip
        graph.node(f"{region}/securityhub/default", "aws_securityhub_hub", "default", region)
        graph.node(f"{region}/accessanalyzer/external", "aws_iam_access_analyzer", "external", region,
                   analyzer_type="ACCOUNT", analyzer_status="ACTIVE")  # fmt: skip
    graph.node(f"{world}/cert/current", "aws_iam_server_certificate", "current", world,
               expires=_iso(now + dt.timedelta(days=300)))  # fmt: skip
    support = graph.node(f"{world}/policy/AWSSupportAccess", "aws_iam_policy", "AWSSupportAccess", world,
                         managed=True, policy_attachment_count=1)  # fmt: skip
    graph.edge(graph.node(f"{world}/role/responders", "aws_iam_role", "responders", world), support)
    group = _trail(graph, west, "audit", logging=True, selectors=EVERY_OBJECT)
    for number, pattern in CIS_PATTERNS.items():
        _watch(graph, group, f"cis-{number}", pattern, topic)

    _, west, east, world = _account(graph, BAD, minimum_password_length=13, password_reuse_prevention=23,
                                    max_password_age=0, require_symbols=False, expire_passwords=False)  # fmt: skip
    root = graph.node(f"{world}/root", "aws_root_user", "root", world, mfa_active=False, password_last_used=_iso(
        now - dt.timedelta(days=1)), user_virtual_mfa_devices=[{"serial_number": f"arn:aws:iam::{BAD}:mfa/root"}])  # fmt: skip
    graph.node(f"{root}/root_key_1", "aws_iam_access_key", "root_key_1", root, access_key_status="Active")
    graph.node(f"{world}/cert/lapsed", "aws_iam_server_certificate", "lapsed", world,
               expires=_iso(now - dt.timedelta(hours=1)))  # fmt: skip
    graph.node(f"{world}/policy/AWSCloudShellFullAccess", "aws_iam_policy", "AWSCloudShellFullAccess", world,
               managed=True, policy_attachment_count=2)  # fmt: skip
    graph.node(f"{world}/policy/AWSSupportAccess", "aws_iam_policy", "AWSSupportAccess", world, managed=True,
               policy_attachment_count=0)  # fmt: skip
    graph.node(f"{west}/securityhub/default", "aws_securityhub_hub", "default", west)
    # an analyzer of unused access only (west) and one of external access still being made (east): CIS 1.20 fails both
    graph.node(f"{west}/accessanalyzer/unused", "aws_iam_access_analyzer", "unused", west,
               analyzer_type="ACCOUNT_UNUSED_ACCESS", analyzer_status="ACTIVE")  # fmt: skip
    graph.node(f"{east}/accessanalyzer/external", "aws_iam_access_analyzer", "external", east,
               analyzer_type="ACCOUNT", analyzer_status="CREATING")  # fmt: skip
    graph.node(f"{east}/recorder", "aws_config_recorder", "default", east, recorder_status={"recording": False},
               recorder_group=everything)  # fmt: skip
    _watch(graph, _trail(graph, west, "audit", logging=True), "root", CIS_PATTERNS["4_3"], [])
    _watch(graph, _trail(graph, east, "old", logging=False, selectors=EVERY_OBJECT), "denied", CIS_PATTERNS["4_1"],
           topic)  # fmt: skip

    _, west, _, world = _account(graph, SINGLE, max_password_age=0, password_reuse_prevention=0)
    root = graph.node(f"{world}/root", "aws_root_user", "root", world, mfa_active=True, user_virtual_mfa_devices=[
        {"serial_number": f"arn:aws:iam::{SINGLE}:mfa/root-account-mfa-device"}])  # fmt: skip
    graph.node(f"{root}/root_key_2", "aws_iam_access_key", "root_key_2", root, access_key_status="Inactive")
    _watch(
        graph,
        _trail(graph, west, "audit", logging=True, selectors=OBJECT_READS),
        "iam",
        CIS_PATTERNS["4_4"],
        topic,
    )
    for account, values in ((PER_BUCKET, ["arn:aws:s3:::ledger/", "arn:aws:s3:::orders/reports/"]),
                            (ALL_BUCKETS, ["arn:aws:s3:::"])):  # fmt: skip
        _, west, _, _ = _account(graph, account)
        selectors = {"event_selectors": [{"read_write_type": "All", "include_management_events": True,
                                          "data_resources": [{"type": "AWS::S3::Object", "values": values}]}]}  # fmt: skip
        _trail(graph, west, "audit", logging=True, selectors=selectors)
    yield from graph.lines
