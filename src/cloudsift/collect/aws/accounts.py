"""Which AWS accounts to collect and with which credentials; which regions each has."""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.client
import botocore.loaders
import botocore.session
import botocore.utils
from botocore.config import Config as BotoConfig
from botocore.credentials import CredentialProvider, RefreshableCredentials

from cloudsift.collect.aws.values import timestamp
from cloudsift.config import AwsConfig
from cloudsift.errors import did_you_mean


def boto_config(cfg: AwsConfig) -> BotoConfig:
    """Every client's timeouts and retries, from [aws]: a hung endpoint fails a call after about
    max_attempts x read_timeout (plus backoff), not botocore's default of 8 x 60 s."""
    return BotoConfig(retries={"mode": "adaptive", "total_max_attempts": cfg.max_attempts},
                      connect_timeout=cfg.connect_timeout, read_timeout=cfg.read_timeout)  # fmt: skip


# One loader for every session: each service's model (EC2's is megabytes of JSON) is read once per process.
# Made by the first session, from its data_path (AWS_DATA_PATH or the profile's), as botocore would.
_LOADER: botocore.loaders.Loader | None = None

# At each client botocore builds a class with a method (and a docstring) per operation, EC2's 700, and a service
# model whose operations and shapes are then made anew by the client's first calls: 40% of the time it takes
# to make a client, and making clients was half the collector's CPU (one per account, service and region).
# The clients of cloudsift's sessions (those reading `_LOADER`) share one class and one model per service and
# API version for the process; any other botocore client is made as botocore makes it. A class is the same for
# every session of ours: boto3 adds the same methods to each (S3's transfers) and nothing else is registered.
_MODELS: dict[tuple[str, str | None], Any] = {}
_CLASSES: dict[tuple[str, str], type] = {}
# botocore's own (private) methods; a botocore without them makes every client its own way, as before
_botocore_model: Any = getattr(botocore.client.ClientCreator, "_load_service_model", None)
_botocore_class: Any = getattr(botocore.client.ClientCreator, "_create_client_class", None)


def _shared_model(creator: Any, service_name: str, api_version: str | None = None) -> Any:
    if _LOADER is None or creator._loader is not _LOADER:
        return _botocore_model(creator, service_name, api_version)
    found = _MODELS.get((service_name, api_version))
    if found is None:  # two threads may both make it: the first one made is kept
        found = _MODELS.setdefault(
            (service_name, api_version), _botocore_model(creator, service_name, api_version)
        )
    return found


def _shared_class(creator: Any, service_name: str, service_model: Any) -> type:
    if _LOADER is None or creator._loader is not _LOADER:
        return _botocore_class(creator, service_name, service_model)  # type: ignore[no-any-return]
    key = (service_name, service_model.api_version)
    found = _CLASSES.get(key)
    if found is None:
        found = _CLASSES.setdefault(key, _botocore_class(creator, service_name, service_model))
    return found


ACCOUNT_ID = re.compile(r"\d{12}")


def _timestamp(value: Any) -> dt.datetime:
    """AWS's ISO 8601 times without dateutil (a third of the CPU botocore spent parsing answers);
    anything else (epoch numbers, RFC 822) goes to botocore's own parser."""
    parsed = timestamp(value) if isinstance(value, str) else None
    result: dt.datetime = parsed if parsed is not None else botocore.utils.parse_timestamp(value)
    return result


def new_session(
    profile: str | None = None, credentials: RefreshableCredentials | None = None
) -> boto3.Session:
    """A boto3 session sharing the process's service models and parsing timestamps fast; with
    `credentials`, those come before every other source (environment, profiles, instance role)."""
    global _LOADER
    core = botocore.session.Session(profile=profile)
    if _LOADER is None:
        _LOADER = botocore.loaders.create_loader(core.get_config_variable("data_path"))
        if _botocore_model is not None and _botocore_class is not None:
            botocore.client.ClientCreator._load_service_model = _shared_model
            botocore.client.ClientCreator._create_client_class = _shared_class
    core.register_component("data_loader", _LOADER)
    core.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=_timestamp)
    if credentials is not None:
        core.get_component("credential_provider").providers.insert(0, _Fixed(credentials))
    made = boto3.Session(botocore_session=core)
    # boto3 adds its own data folder to the loader's search paths at each session: keep one of each
    _LOADER.search_paths[:] = dict.fromkeys(_LOADER.search_paths)
    return made


@dataclass(frozen=True)
class Account:
    id: str
    alias: str | None
    session: boto3.Session
    partition: str = "aws"  # aws, aws-cn, aws-us-gov: which regions exist for it
    home: str = "us-east-1"  # the region its account-wide calls (regions, STS) go to
    boto: BotoConfig = field(default_factory=lambda: boto_config(AwsConfig()), repr=False, compare=False)
    # one client per (service, region), shared by the collecting threads (botocore clients are thread safe),
    # each made under a lock of its own: a thread using one client does not wait while another is made
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False, compare=False)
    _making: dict[tuple[str, str], threading.Lock] = field(default_factory=dict, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def client(self, service: str, region: str | None = None) -> Any:
        """A client in `region`; without one (a global service: IAM, S3, Route 53), in the home region."""
        key = (service, region or self.home)
        found = self._clients.get(key)
        if found is not None:
            return found
        with self._lock:
            making = self._making.setdefault(key, threading.Lock())
        with making:
            found = self._clients.get(key)
            if found is None:
                found = self._clients[key] = self.session.client(
                    service, region_name=key[1], config=self.boto
                )
        return found


def home_region(session: boto3.Session, cfg: AwsConfig) -> str:
    """Where account-wide calls (STS, IAM, Organizations, the list of regions) go: the session's own
    region, else the first configured region that exists, else us-east-1. So environment credentials
    need no AWS_DEFAULT_REGION when the config lists regions."""
    if session.region_name:
        return str(session.region_name)
    known = {r for p in session.get_available_partitions() for r in session.get_available_regions("ec2", p)}
    return next((r for r in cfg.regions if r in known), "us-east-1")


def _alias(session: boto3.Session, home: str, boto: BotoConfig) -> str | None:
    try:
        iam = session.client("iam", region_name=home, config=boto)
        aliases = iam.list_account_aliases().get("AccountAliases", [])
    except Exception:  # an alias is a nicety: missing permission or API means no alias
        return None
    return aliases[0] if aliases else None


def _assume(base: boto3.Session, account_id: str, cfg: AwsConfig, home: str) -> boto3.Session:
    params: dict[str, Any] = {
        "RoleArn": f"arn:aws:iam::{account_id}:role/{cfg.role}",
        "RoleSessionName": "cloudsift",
    }
    if cfg.external_id:
        params["ExternalId"] = cfg.external_id
    sts = base.client("sts", region_name=home, config=boto_config(cfg))

    def fetch() -> dict[str, str]:
        creds = sts.assume_role(**params)["Credentials"]
        return {
            "access_key": creds["AccessKeyId"],
            "secret_key": creds["SecretAccessKey"],
            "token": creds["SessionToken"],
            "expiry_time": creds["Expiration"].isoformat(),  # botocore parsed it
        }

    # The role's credentials last an hour by default: botocore assumes the role again before they
    # expire, so a long collection of a big organization keeps going.
    return new_session(credentials=RefreshableCredentials.create_from_metadata(fetch(), fetch, _Fixed.METHOD))


class _Fixed(CredentialProvider):  # type: ignore[misc]
    """Hands botocore the assumed role's refreshable credentials before any other source."""

    METHOD = "cloudsift-assume-role"

    def __init__(self, credentials: RefreshableCredentials) -> None:
        super().__init__()
        self.credentials = credentials

    def load(self) -> RefreshableCredentials:
        return self.credentials


def config_problems(cfg: AwsConfig) -> list[str]:
    """What in [aws] names no account: such an entry is reported, not collected, and leaves no status."""
    return [f"[aws] accounts: {a!r} is not an AWS account id (12 digits); nothing is collected for it"
            for a in cfg.accounts if not ACCOUNT_ID.fullmatch(a)]  # fmt: skip


@dataclass(frozen=True)
class AccountRef:
    """An account to collect, before its session is opened: which base credentials reach it, and how."""

    id: str
    profile: str | None  # the base session's profile (None: the standard credential chain)
    assume: bool  # through [aws] role; else the base session is the account's own
    partition: str
    home: str


def list_accounts(cfg: AwsConfig) -> tuple[list[AccountRef], list[tuple[str, str]]]:
    """The accounts to collect (one call per base session, and the organization's list when asked),
    and (account, error) for those that cannot be reached at all. Opening each is `open_account`."""
    boto = boto_config(cfg)
    found: dict[str, AccountRef] = {}
    errors: list[tuple[str, str]] = []
    profiles: list[str | None] = [*cfg.profiles] or [None]
    for profile in profiles:
        base = new_session(profile)
        home = home_region(base, cfg)
        identity = base.client("sts", region_name=home, config=boto).get_caller_identity()
        caller, partition = identity["Account"], identity["Arn"].split(":")[1]
        if cfg.collect_caller_account and caller not in found:
            found[caller] = AccountRef(caller, profile, False, partition, home)
        targets = [a for a in cfg.accounts if ACCOUNT_ID.fullmatch(a)]
        if cfg.scrape_org:
            org = base.client("organizations", region_name=home, config=boto)
            pages = org.get_paginator("list_accounts").paginate()
            targets += [a["Id"] for page in pages for a in page["Accounts"] if a.get("Status") == "ACTIVE"]
        for account_id in targets:
            if account_id in found or (account_id == caller and cfg.collect_caller_account):
                continue
            if not cfg.role:
                if account_id not in {a for a, _ in errors}:
                    errors.append((account_id, "no [aws] role to assume in it"))
                continue
            found[account_id] = AccountRef(account_id, profile, True, partition, home)
    return list(found.values()), [(a, e) for a, e in errors if a not in found]


def open_account(ref: AccountRef, cfg: AwsConfig, bases: dict[str | None, boto3.Session]) -> Account:
    """The account's session (the role assumed through STS when it must be) and alias; `bases` keeps one
    base session per profile. Raises what AWS answered when the role cannot be assumed."""
    base = bases.get(ref.profile)
    if base is None:
        base = bases[ref.profile] = new_session(ref.profile)
    session = _assume(base, ref.id, cfg, ref.home) if ref.assume else base
    boto = boto_config(cfg)
    return Account(ref.id, _alias(session, ref.home, boto), session, ref.partition, ref.home, boto)


def assume_error(cfg: AwsConfig, error: Exception) -> str:
    """How an account whose role could not be assumed is reported."""
    return f"cannot assume role {cfg.role}: {_first_line(error)}"


def discover_accounts(cfg: AwsConfig) -> tuple[list[Account], list[tuple[str, str]]]:
    """The accounts to collect, opened, and (account, error) for those that could not be reached."""
    refs, errors = list_accounts(cfg)
    bases: dict[str | None, boto3.Session] = {}
    found = []
    for ref in refs:
        try:
            found.append(open_account(ref, cfg, bases))
        except Exception as e:  # recorded per account; the other accounts go on
            errors.append((ref.id, assume_error(cfg, e)))
    return found, errors


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0][:300] if str(error) else type(error).__name__


def regions_of(account: Account, cfg: AwsConfig) -> tuple[list[str], list[str]]:
    """The regions to collect in the account, and a problem for each configured name that is not a
    region of its partition (checked against botocore's list, then the account's own)."""
    if not cfg.regions:
        regions = account.client("ec2", account.home).describe_regions(AllRegions=False)["Regions"]
        return sorted(r["RegionName"] for r in regions), []
    known = set(account.session.get_available_regions("ec2", account.partition))
    if not set(cfg.regions) <= known:  # botocore's list may be older than a new region: ask AWS
        try:
            answer = account.client("ec2", account.home).describe_regions(AllRegions=True)["Regions"]
            known |= {r["RegionName"] for r in answer}
        except Exception:  # no permission for it: botocore's list is the judge
            pass
    problems = []
    for name in cfg.regions:
        if name not in known:
            hint = f" Did you mean {name.lower()!r}?" if name.lower() in known else did_you_mean(name, known)
            problems.append(f"[aws] regions: {name!r} is not a region of partition {account.partition}; "
                            f"nothing is collected there.{hint}")  # fmt: skip
    return [r for r in cfg.regions if r in known], problems
