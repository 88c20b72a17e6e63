"""The AWS collector against a moto server over HTTP: two accounts (one through STS assume-role), three regions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.credentials import RefreshableCredentials

from cloudsift import run
from cloudsift.collect.aws.accounts import discover_accounts
from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, load_config
from cloudsift.demo import SEED_QUERY
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator, start_aws

REGIONS = ["us-east-1", "eu-central-1", "us-west-2"]
SECOND = "222222222222"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[AwsEmulator]:
    emulator_iter = start_aws()
    emulator = next(emulator_iter)
    import urllib.request

    urllib.request.urlopen(
        urllib.request.Request(emulator.moto_url + "/moto-api/reset", method="POST")
    ).close()
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", emulator.url)
    # S3 sends bodies with `Expect: 100-continue`, which the failure proxy does not speak: S3 goes to moto directly.
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", emulator.moto_url)
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3_CONTROL", emulator.moto_url)  # (the same, for S3 Control)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    yield emulator
    for _ in emulator_iter:
        pass


def _second_account() -> boto3.Session:
    creds = boto3.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{SECOND}:role/cloudsift", RoleSessionName="cloudsift-test"
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def _estate(session: boto3.Session, region: str, open_to_world: bool) -> dict[str, str]:
    """A VPC with a subnet, two security groups, an instance with a volume, and a loose volume."""
    ec2 = session.client("ec2", region_name=region)
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16", TagSpecifications=[
        {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "main"}]}])["Vpc"]["VpcId"]  # fmt: skip
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.1.0/24")["Subnet"]["SubnetId"]
    web = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=web, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])  # fmt: skip
    ids = {"vpc": vpc, "subnet": subnet, "web": web}
    if open_to_world:
        wide = ec2.create_security_group(GroupName="wide-open", Description="oops", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=wide, IpPermissions=[
            {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])  # fmt: skip
        ids["wide"] = wide
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="m5.large", SubnetId=subnet,
                                 SecurityGroupIds=[web])["Instances"][0]["InstanceId"]  # fmt: skip
    zone = ec2.describe_subnets(SubnetIds=[subnet])["Subnets"][0]["AvailabilityZone"]
    volume = ec2.create_volume(Size=100, AvailabilityZone=zone, VolumeType="gp3")["VolumeId"]
    ec2.attach_volume(VolumeId=volume, InstanceId=instance, Device="/dev/sdf")
    loose = ec2.create_volume(Size=8, AvailabilityZone=zone)["VolumeId"]
    return {**ids, "instance": instance, "volume": volume, "loose": loose}


def _config(tmp_path: Path) -> Any:
    config_file = tmp_path / "config.toml"
    config_file.write_text(
        f'[aws]\nregions = {REGIONS!r}\nrole = "cloudsift"\naccounts = ["{SECOND}"]\n'.replace("'", '"')
    )
    return load_config(config_file, tmp_path)


def _ids(store: DuckDBStore, query: str) -> set[str]:
    return {d["reported"]["id"] for d in store.search(store.bind(query))}


def test_collects_every_account_and_region(aws: AwsEmulator, tmp_path: Path) -> None:
    caller = boto3.Session()
    made = {(account, region): _estate(session, region, open_to_world=(region == "eu-central-1"))
            for account, session in (("123456789012", caller), (SECOND, _second_account())) for region in REGIONS}  # fmt: skip
    store = DuckDBStore()
    summary = collect_aws(store, _config(tmp_path))
    assert summary.ok, list(summary.lines())
    assert summary.events == ["pre_collect", "collect", "merge_outer_edges", "post_collect"]
    assert len(summary.partitions) == 8  # 3 regions and "global" (IAM, S3), in each account
    assert _ids(store, "is(aws_account)") == {"123456789012", SECOND}
    assert _ids(store, "is(aws_region)") == {*REGIONS, "global"}
    assert store.count(store.bind("is(aws_region)")) == 8
    # the seed's check finds exactly the groups open to the world, in both accounts
    assert _ids(store, SEED_QUERY) == {m["wide"] for m in made.values() if "wide" in m}
    for (account, region), ids in made.items():
        where = f'account.id == "{account}" and region == {region}'
        instance = next(store.search(store.bind(f'{where} and id == "{ids["instance"]}"')))
        assert instance["reported"]["instance_type"] == "m5.large"
        assert instance["reported"]["instance_status"] == "running"
        assert instance["ancestors"]["account"]["reported"]["id"] == account
        assert instance["ancestors"]["region"]["reported"]["name"] == region
        assert _ids(store, f'{where} and id == "{ids["vpc"]}" --> is(aws_ec2_subnet)') == {ids["subnet"]}
        assert _ids(store, f'{where} and id == "{ids["subnet"]}" --> is(instance)') == {ids["instance"]}
        assert _ids(store, f'{where} and id == "{ids["web"]}" --> is(instance)') == {ids["instance"]}
        assert ids["volume"] in _ids(
            store, f'{where} and id == "{ids["instance"]}" --> is(volume)'
        )  # and its root volume
        volume = next(store.search(store.bind(f'{where} and id == "{ids["volume"]}"')))["reported"]
        assert (volume["volume_size"], volume["volume_type"]) == (100, "gp3")
        assert _ids(store, f'{where} and id == "{ids["loose"]}" <-- all') == {region}
        web = next(store.search(store.bind(f'{where} and id == "{ids["web"]}"')))["reported"]
        rules = {(p["ip_protocol"], p.get("from_port")) for p in web["group_ip_permissions"]}
        assert rules == {("tcp", 443), ("-1", None)}


def test_a_failing_region_keeps_its_last_good_data(aws: AwsEmulator, tmp_path: Path) -> None:
    caller = boto3.Session()
    first = {region: _estate(caller, region, open_to_world=True) for region in REGIONS}
    second = _second_account()
    for region in REGIONS:
        _estate(second, region, open_to_world=False)
    store = DuckDBStore(tmp_path / "inventory.duckdb")
    config = _config(tmp_path)
    assert collect_aws(store, config).ok
    assert len(_ids(store, SEED_QUERY)) == 3
    # the open groups are fixed everywhere, but eu-central-1 refuses to answer this time
    for region, ids in first.items():
        caller.client("ec2", region_name=region).delete_security_group(GroupId=ids["wide"])
    aws.failing.add("eu-central-1")
    summary = collect_aws(store, config)
    assert not summary.ok
    failed = sorted((p.account, p.region) for p in summary.partitions if p.errors)  # the global one answers
    assert failed == [("123456789012", "eu-central-1"), (SECOND, "eu-central-1")]
    assert any("UnauthorizedOperation" in line for line in summary.lines())
    # no false clear: the failed region's group is still there, the others are gone
    assert _ids(store, SEED_QUERY) == {first["eu-central-1"]["wide"]}
    assert _ids(store, "region == eu-central-1 and is(aws_ec2_instance)") == {
        first["eu-central-1"]["instance"],
        *_ids(store, f'account.id == "{SECOND}" and region == eu-central-1 and is(instance)'),
    }
    shown = run("workflows show collect", store)
    assert any("eu-central-1: error: " in line and "last success" in line for line in shown)
    # once the region answers again, its data is replaced
    aws.failing.clear()
    caller.client("ec2", region_name="us-west-2").create_tags(
        Resources=[first["us-west-2"]["vpc"]], Tags=[{"Key": "team", "Value": "core"}]
    )
    assert collect_aws(store, config).ok
    assert _ids(store, SEED_QUERY) == set()
    # and history tells what happened
    deleted = run("history --change deleted is(aws_ec2_security_group)", store)
    assert sorted(line.split()[-1] for line in deleted) == ["wide-open"] * 3
    updated = run("history --change updated is(aws_vpc)", store)
    assert len(updated) == 1 and updated[0].endswith("aws_vpc main (tags)")
    assert run("history --change created is(aws_account)", store)[0].split()[1:] == [
        "created",
        "aws_account",
        "123456789012",
    ]


def test_collect_from_the_command_line(aws: AwsEmulator, tmp_path: Path) -> None:
    from tests.test_cli import cloudsift

    _estate(boto3.Session(), "us-east-1", open_to_world=True)
    _config(tmp_path)
    env_home = tmp_path
    result = cloudsift(env_home, "--config", str(tmp_path / "config.toml"), "-c", "collect")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "Events: pre_collect, collect, merge_outer_edges, post_collect."
    assert any(line.startswith("aws 123456789012 us-east-1: ") and line.endswith(", ok") for line in lines)
    found = cloudsift(
        env_home, "--config", str(tmp_path / "config.toml"), "-c", f"search {SEED_QUERY} | count"
    )
    assert found.stdout.splitlines()[0] == "total matched: 1"


def test_scrape_org_collects_every_member_account(aws: AwsEmulator, tmp_path: Path) -> None:
    org = boto3.client("organizations", region_name="us-east-1")
    org.create_organization(FeatureSet="ALL")
    created = org.create_account(Email="team@example.com", AccountName="team")["CreateAccountStatus"]
    member = created["AccountId"]
    config = tmp_path / "config.toml"
    config.write_text('[aws]\nregions = ["us-east-1"]\nrole = "cloudsift"\nscrape_org = true\n')
    store = DuckDBStore()
    summary = collect_aws(store, load_config(config, tmp_path))
    assert summary.ok, list(summary.lines())
    assert _ids(store, "is(aws_account)") == {"123456789012", member}
    assert _ids(store, f'account.id == "{member}" and is(aws_vpc)')  # the member's default VPC was collected


def test_an_assumed_role_is_assumed_again_before_its_credentials_expire(aws: AwsEmulator) -> None:
    accounts, errors = discover_accounts(AwsConfig(regions=REGIONS[:1], role="cloudsift", accounts=[SECOND]))
    assert errors == []
    second = next(a for a in accounts if a.id == SECOND)
    credentials = second.session.get_credentials()
    assert isinstance(credentials, RefreshableCredentials)
    first_key = credentials.get_frozen_credentials().access_key
    # 55 minutes later (botocore's clock cannot be moved; its expiry can): five minutes are left, less than
    # botocore's mandatory margin, so the next call assumes the role again first
    credentials._expiry_time -= dt.timedelta(minutes=55)
    assert second.client("sts").get_caller_identity()["Account"] == SECOND
    assert credentials.get_frozen_credentials().access_key != first_key


def test_the_accounts_clients_share_botocores_class_and_model_yet_call_as_their_own_account(
    aws: AwsEmulator,
) -> None:
    accounts, _ = discover_accounts(AwsConfig(regions=REGIONS[:2], role="cloudsift", accounts=[SECOND]))
    own, second = sorted(accounts, key=lambda a: a.id != "123456789012")
    clients = [own.client("sts", REGIONS[0]), second.client("sts", REGIONS[1])]
    assert type(clients[0]) is type(clients[1])  # made once per process, not at each client
    assert clients[0].meta.service_model is clients[1].meta.service_model
    assert [c.get_caller_identity()["Account"] for c in clients] == ["123456789012", SECOND]
    assert clients[0] is own.client("sts", REGIONS[0]) and clients[0] is not own.client("sts", REGIONS[1])
    # a botocore client made outside cloudsift's sessions is made as botocore makes it
    plain = boto3.Session().client("sts", region_name=REGIONS[0])
    assert (
        type(plain) is not type(clients[0]) and plain.meta.service_model is not clients[0].meta.service_model
    )
    assert plain.get_caller_identity()["Account"] == "123456789012"


def _handler_name(handler: Any) -> str:
    """module.name, and the names a closure holds (boto3's lazy_call handlers are one closure each)."""
    held = [c.cell_contents for c in getattr(handler, "__closure__", None) or ()]
    named = [h for h in held if isinstance(h, str)]
    own = f"{handler.__module__}.{getattr(handler, '__qualname__', type(handler).__name__)}"
    return f"{own}({', '.join(named)})" if named else own


def _class_handlers(session: boto3.Session) -> list[tuple[str, str]]:
    """The handlers botocore calls as it builds a client class (`creating-client-class[.service]`):
    (event, handler's name), read from the session's emitter (botocore lists them nowhere else)."""
    found: list[tuple[str, str]] = []

    def walk(node: dict[str, Any], event: str) -> None:
        for handlers in node["values"] or []:
            found.extend((event, _handler_name(h)) for h in handlers)
        for chunk, child in node["children"].items():
            walk(child, f"{event}.{chunk}")

    walk(
        session.events._emitter._handlers._root["children"]["creating-client-class"], "creating-client-class"
    )
    return sorted(found)


def test_cloudsifts_sessions_have_the_client_class_handlers_of_a_plain_boto3_session(
    aws: AwsEmulator,
) -> None:
    """The clients of cloudsift's sessions share one class per service, built with the handlers of the
    first session that made one; a later session's own `creating-client-class` handler would be ignored.
    So no session of ours may register any beyond those botocore and boto3 register on every session."""
    accounts, _ = discover_accounts(AwsConfig(regions=REGIONS[:1], role="cloudsift", accounts=[SECOND]))
    own, second = sorted(accounts, key=lambda a: a.id != "123456789012")
    plain = _class_handlers(boto3.Session())
    boto3s = "boto3.utils.lazy_call.<locals>._handler(boto3.s3.inject.inject_s3_transfer_methods)"
    assert ("creating-client-class.s3", boto3s) in plain
    for account in (own, second):
        account.client("ec2", REGIONS[0])
        assert _class_handlers(account.session) == plain
    assert type(own.client("ec2", REGIONS[0])) is type(second.client("ec2", REGIONS[0]))
    # a handler of our own would be told apart
    second.session.events.register("creating-client-class.ec2", lambda **kwargs: None)
    assert _class_handlers(second.session) != plain
