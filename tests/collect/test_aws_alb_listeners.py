"""An application load balancer's listeners against moto: every page of DescribeListeners (moto answers one
page, so here it pages by two, as AWS does by its PageSize), and each default action with its config in
Fix's shape: forward with weighted target groups and stickiness, redirect, fixed response; an HTTPS
listener's certificate and SSL policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.core.responses import ActionResult
from moto.elbv2.responses import ELBV2Response

from tests.collect.aws_fixture import AwsEmulator, collected_region, record_calls
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.collect.test_aws_managed_services import _names, _one

REGION = "eu-west-1"
PAGE = 2


@pytest.fixture
def paged_listeners(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto's DescribeListeners, answered PAGE listeners at a time with AWS's Marker and NextMarker."""
    whole = ELBV2Response.describe_listeners

    def paged(self: ELBV2Response) -> ActionResult:
        listeners = whole(self).result["Listeners"]  # type: ignore[index]
        start = int(self._get_param("Marker") or 0)
        page: dict[str, Any] = {"Listeners": listeners[start : start + PAGE]}
        if start + PAGE < len(listeners):
            page["NextMarker"] = str(start + PAGE)
        return ActionResult(page)

    monkeypatch.setattr(ELBV2Response, "describe_listeners", paged)


def _alb_in_a_vpc(name: str, octet: int) -> tuple[str, str]:
    """A load balancer in a VPC 10.<octet>.0.0/16 of its own, over two subnets: its ARN and the VPC's id."""
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock=f"10.{octet}.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.{octet}.{n}.0/24", AvailabilityZone=f"{REGION}{z}")[
        "Subnet"]["SubnetId"] for n, z in ((1, "a"), (2, "b"))]  # fmt: skip
    elbv2 = boto3.client("elbv2", region_name=REGION)
    return elbv2.create_load_balancer(Name=name, Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"], vpc


def _make_listeners() -> dict[str, str]:
    alb, vpc = _alb_in_a_vpc("front", 6)
    elbv2 = boto3.client("elbv2", region_name=REGION)
    blue, green = (elbv2.create_target_group(Name=n, Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0][
        "TargetGroupArn"] for n in ("blue", "green"))  # fmt: skip
    certificate = boto3.client("acm", region_name=REGION).request_certificate(DomainName="front.example.com")[
        "CertificateArn"
    ]
    listen: list[tuple[str, int, dict[str, Any], dict[str, Any]]] = [
        ("HTTP", 80, {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443",
                                                              "StatusCode": "HTTP_301"}}, {}),
        ("HTTPS", 443, {"Type": "forward", "ForwardConfig": {
            "TargetGroups": [{"TargetGroupArn": blue, "Weight": 90}, {"TargetGroupArn": green, "Weight": 10}],
            "TargetGroupStickinessConfig": {"Enabled": True, "DurationSeconds": 600}}},
         {"Certificates": [{"CertificateArn": certificate}], "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}),
        ("HTTP", 8080, {"Type": "fixed-response", "FixedResponseConfig": {
            "StatusCode": "503", "ContentType": "text/plain", "MessageBody": "closed"}}, {}),
        ("HTTP", 8081, {"Type": "forward", "TargetGroupArn": blue}, {}),
        ("HTTP", 8082, {"Type": "forward", "TargetGroupArn": green}, {}),
    ]  # fmt: skip
    for protocol, port, action, more in listen:
        elbv2.create_listener(
            LoadBalancerArn=alb, Protocol=protocol, Port=port, DefaultActions=[action], **more
        )
    return {"alb": alb, "blue": blue, "green": green, "certificate": certificate}


def test_every_listener_and_its_actions_configs(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    paged_listeners: None,
) -> None:
    made = _make_listeners()
    calls = record_calls(monkeypatch)
    store = collected_region(tmp_path, REGION)
    assert calls[(REGION, "elbv2", "DescribeListeners")] == 3  # five listeners, two a page
    listeners = {one["port"]: one for one in _one(store, "is(aws_alb) and name == front")["alb_listener"]}
    assert sorted(listeners) == [80, 443, 8080, 8081, 8082]

    [redirect] = listeners[80]["default_actions"]
    assert redirect["type"] == "redirect"
    assert {k: v for k, v in redirect["redirect_config"].items() if v is not None} == {
        "protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"}  # fmt: skip
    secure = listeners[443]
    assert secure["certificates"][0]["certificate_arn"] == made["certificate"]
    assert secure["ssl_policy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    forward = secure["default_actions"][0]["forward_config"]
    assert {(g["target_group_arn"], g["weight"]) for g in forward["target_groups"]} == {
        (made["blue"], 90), (made["green"], 10)}  # fmt: skip
    assert forward["target_group_stickiness_config"] == {"enabled": True, "duration_seconds": 600}
    fixed = listeners[8080]["default_actions"][0]["fixed_response_config"]
    assert (fixed["status_code"], fixed["content_type"], fixed["message_body"]) == (
        "503",
        "text/plain",
        "closed",
    )
    assert listeners[8082]["default_actions"][0]["target_group_arn"] == made["green"]  # (on the last page)

    # searches over what the pages held: HTTP that does not redirect to HTTPS, and a plain forward
    plain_http = "is(aws_alb) and alb_listener[*].{protocol == HTTP and default_actions[*].type != redirect}"
    assert _names(store, plain_http) == {"front"}
    assert _names(
        store, "is(aws_alb) and alb_listener[*].default_actions[*].redirect_config.protocol == HTTPS"
    ) == {"front"}


def test_an_oidc_listener_keeps_its_settings_but_never_its_client_secret(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
) -> None:
    # DescribeListeners may carry the OAuth client secret (moto does): it would reach every dump, jq and sink
    secret = "oidc-" + "s3cr3t-value"
    alb, vpc = _alb_in_a_vpc("signin", 7)
    elbv2 = boto3.client("elbv2", region_name=REGION)
    group = elbv2.create_target_group(Name="app", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]
    oidc = {"Issuer": "https://id.example.com", "AuthorizationEndpoint": "https://id.example.com/auth",
            "TokenEndpoint": "https://id.example.com/token", "UserInfoEndpoint": "https://id.example.com/me",
            "ClientId": "cloudsift-app", "ClientSecret": secret}  # fmt: skip
    elbv2.create_listener(LoadBalancerArn=alb, Protocol="HTTP", Port=80, DefaultActions=[
        {"Type": "authenticate-oidc", "Order": 1, "AuthenticateOidcConfig": oidc},
        {"Type": "forward", "Order": 2, "TargetGroupArn": group["TargetGroupArn"]},
    ])  # fmt: skip
    described = elbv2.describe_listeners(LoadBalancerArn=alb)["Listeners"][0]["DefaultActions"][0]
    assert described["AuthenticateOidcConfig"]["ClientSecret"] == secret  # what the API hands over

    store = collected_region(tmp_path, REGION)
    [listener] = _one(store, "is(aws_alb) and name == signin")["alb_listener"]
    config = listener["default_actions"][0]["authenticate_oidc_config"]
    assert (config["issuer"], config["client_id"]) == ("https://id.example.com", "cloudsift-app")
    assert config.get("client_secret") is None
    assert secret not in str(list(store.search(store.bind("all"))))
