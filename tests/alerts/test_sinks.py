"""Every sink beyond PagerDuty, through the real command line and the one outbox: Alertmanager for real
(Debian's binary), Opsgenie, Slack, Teams, Discord and http against strict stand-ins."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cloudsift.commands.pipeline import run_line
from cloudsift.config import load_config
from cloudsift.context import Context
from cloudsift.demo import SEED_QUERY
from cloudsift.errors import UsageError
from cloudsift.sample import EstateSize, estate_lines
from cloudsift.store.base import Store
from tests.alerts import webhook_standins as standins
from tests.alerts.alertmanager_process import alertmanager


@dataclass(frozen=True)
class Case:
    """How one sink is set up against its stand-in, and what its secret is."""

    name: str
    make: Callable[[], standins.StandIn]
    path: str  # the URL path the stand-in serves (it holds the webhook's secret part)
    env: Callable[[str], dict[str, str]]  # the config that points the sink at the stand-in's URL
    secret: Callable[[str], str]

    def resolved(self, request: standins.Received) -> bool:
        text = str(request.body)
        return "close" in request.path or "Resolved" in text


CASES = [
    Case(
        "opsgenie",
        standins.opsgenie,
        "",
        lambda url: {"CLOUDSIFT_OPSGENIE__URL": url, "CLOUDSIFT_OPSGENIE__API_KEY": standins.OPSGENIE_KEY},
        lambda url: standins.OPSGENIE_KEY,
    ),
    Case(
        "slack",
        standins.slack,
        "/services/T000/B000/XXXX",
        lambda url: {"CLOUDSIFT_SLACK__URL": url},
        lambda url: url,
    ),
    Case(
        "teams",
        standins.teams,
        "/workflows/abc/triggers/manual/paths/invoke?sig=s3cr3tSignature",
        lambda url: {"CLOUDSIFT_TEAMS__URL": url},
        lambda url: url,
    ),
    Case(
        "discord",
        standins.discord,
        "/api/webhooks/123/token",
        lambda url: {"CLOUDSIFT_DISCORD__URL": url},
        lambda url: url,
    ),
]


def _line(sink: str) -> str:
    return f"search {SEED_QUERY} | {sink} --summary 'Open security groups' --dedup-key open_groups"


def _ctx(store: Store, tmp_path: Path, env: dict[str, str]) -> Context:
    environ = {"CLOUDSIFT_CONFIG": os.devnull, "CLOUDSIFT_PAGERDUTY__RETRY_BASE_SECONDS": "0",
               "CLOUDSIFT_PAGERDUTY__DELIVER_WITHIN": "10", **env}  # fmt: skip
    return Context(config=load_config(None, tmp_path, environ), open_store=lambda: store)


def _run(store: Store, tmp_path: Path, env: dict[str, str], line: str) -> list[Any]:
    return list(run_line(line, _ctx(store, tmp_path, env)))


def _fix(store: Store) -> None:
    store.import_lines(estate_lines(EstateSize(), violations=False), replace=True)


@pytest.fixture
def estate(store: Store) -> Iterator[Store]:
    store.import_lines(estate_lines(EstateSize()), replace=True)
    yield store


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_sink_names_the_groups_then_says_they_are_fixed_once(
    case: Case, estate: Store, tmp_path: Path
) -> None:
    with standins.running(case.make(), case.path) as standin:
        env = case.env(standin.url)
        assert _run(estate, tmp_path, env, _line(case.name)) == [
            f"{case.name}: trigger open_groups sent (4 resources)."
        ]
        [posted] = standin.accepted
        assert "sg-open-all-0" in str(posted.body) and "Open security groups" in str(posted.body)
        _fix(estate)
        assert _run(estate, tmp_path, env, _line(case.name)) == [f"{case.name}: resolve open_groups sent."]
        assert case.resolved(standin.accepted[-1]) and len(standin.accepted) == 2
        assert _run(estate, tmp_path, env, _line(case.name)) == [
            f"{case.name} open_groups: nothing matches, nothing to send."
        ]
        assert len(standin.accepted) == 2


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_an_outage_then_recovery_delivers_once_and_retry_after_is_honoured(
    case: Case, estate: Store, tmp_path: Path
) -> None:
    with standins.running(case.make(), case.path) as standin:
        standin.fail_next(2, 503)
        standin.fail_next(1, 429, retry_after=1.5)
        started = time.monotonic()
        out = _run(estate, tmp_path, case.env(standin.url), _line(case.name))
        assert out == [f"{case.name}: trigger open_groups sent (4 resources)."]
        assert time.monotonic() - started >= 1.5  # the 429's Retry-After was waited out
        assert standin.requests == 4 and len(standin.accepted) == 1


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_an_event_left_pending_is_sent_by_alerts_deliver_and_no_secret_is_printed(
    case: Case, estate: Store, tmp_path: Path
) -> None:
    with standins.running(case.make(), case.path) as standin:
        env = case.env(standin.url)
        secret = case.secret(standin.url)
        standin.fail_next(100, 500)
        short = {**env, "CLOUDSIFT_PAGERDUTY__DELIVER_WITHIN": "0.5"}
        [line] = _run(estate, tmp_path, short, _line(case.name))
        assert "not delivered yet" in line and "alerts deliver" in line and secret not in line
        outbox = "\n".join(str(x) for x in _run(estate, tmp_path, env, "alerts outbox"))
        assert "pending" in outbox and secret not in outbox
        standin.faults.clear()
        delivered = _run(estate, tmp_path, env, "alerts deliver")
        assert delivered == [f"{case.name}: trigger open_groups sent (4 resources)."]
        assert len(standin.accepted) == 1
        dry = "\n".join(_run(estate, tmp_path, env, _line(case.name) + " --dry-run"))
        assert secret not in dry and "Open security groups" in dry


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_refused_message_is_final_and_says_why(case: Case, estate: Store, tmp_path: Path) -> None:
    with standins.running(case.make(), case.path) as standin:
        wrong = standin.url.replace(case.path, case.path.replace("XXXX", "YYYY").replace("token", "t0ken")
                                    .replace("sig=s3cr3tSignature", "nosig")) if case.path else standin.url  # fmt: skip
        env = case.env(wrong)
        if case.name == "opsgenie":
            env["CLOUDSIFT_OPSGENIE__API_KEY"] = "not-the-key"
        [line] = _run(estate, tmp_path, env, _line(case.name))
        assert "refused by" in line and standin.requests == 1
        for secret in (case.secret(wrong), "not-the-key"):
            assert secret not in line


def test_a_sink_without_its_url_or_key_says_which_setting(estate: Store, tmp_path: Path) -> None:
    for name, setting in (("slack", "CLOUDSIFT_SLACK__URL"), ("opsgenie", "CLOUDSIFT_OPSGENIE__API_KEY"),
                          ("alertmanager", "CLOUDSIFT_ALERTMANAGER__URL")):  # fmt: skip
        with pytest.raises(UsageError, match=setting):
            _run(estate, tmp_path, {}, _line(name))
    with pytest.raises(UsageError, match="not an http"):
        _run(estate, tmp_path, {}, _line("slack") + " --url file:///etc/passwd")


def test_a_bad_webhook_url_is_refused_without_showing_it(estate: Store, tmp_path: Path) -> None:
    # the URL is the chat sink's secret: a typo in its scheme must not print it to the terminal or a log
    for name in ("slack", "teams", "discord"):
        url = f"htps://hooks.example.com/services/T0/B0/{name}-s3cr3t"
        with pytest.raises(UsageError, match=r"the URL \(a secret: not shown\) is not an http") as refused:
            _run(estate, tmp_path, {}, _line(name) + f" --url {url}")
        assert "s3cr3t" not in str(refused.value)


def test_alertmanager_fires_then_resolves_for_real(estate: Store, tmp_path: Path) -> None:
    with alertmanager(tmp_path) as am:
        env = {"CLOUDSIFT_ALERTMANAGER__URL": am.url}
        line = _line("alertmanager") + " --severity critical"
        assert _run(estate, tmp_path, env, line) == ["alertmanager: trigger open_groups sent (4 resources)."]
        [alert] = am.alerts()
        assert alert["labels"] == {"alertname": "open_groups", "severity": "critical", "source": "cloudsift",
                                   "cloud": "aws", "account": "123456789012"}  # fmt: skip
        assert (
            alert["annotations"]["resources"] == "4" and "sg-open-v6-1" in alert["annotations"]["description"]
        )
        assert alert["status"]["state"] == "active"
        # Posted again while still failing: still one alert, not two.
        assert _run(estate, tmp_path, env, line) == ["alertmanager: trigger open_groups sent (4 resources)."]
        assert len(am.alerts()) == 1
        _fix(estate)
        assert _run(estate, tmp_path, env, line) == ["alertmanager: resolve open_groups sent."]
        deadline = time.monotonic() + 10
        while am.alerts() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert am.alerts() == []


def test_alertmanager_refuses_a_bad_label(estate: Store, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--label takes name=value"):
        _run(estate, tmp_path, {"CLOUDSIFT_ALERTMANAGER__URL": "http://127.0.0.1:9"},
             _line("alertmanager") + " --label nonsense")  # fmt: skip


def test_http_posts_the_elements_durably(estate: Store, tmp_path: Path) -> None:
    with standins.running(standins.receiver()) as standin:
        standin.fail_next(1, 502)
        out = _run(
            estate,
            tmp_path,
            {},
            f"search is(aws_vpc) | http POST {standin.url}/inventory Authorization:Bearer-t0ken",
        )
        assert out == [f"http: POST {standin.url}/inventory sent (4 elements)."]
        [posted] = standin.accepted
        assert [n["reported"]["kind"] for n in posted.body] == ["aws_vpc"] * 4
        assert posted.headers["authorization"] == "Bearer-t0ken"
        dry = _run(
            estate,
            tmp_path,
            {},
            f"search is(aws_vpc) | http {standin.url} Authorization:Bearer-t0ken --dry-run",
        )
        assert "t0ken" not in dry[0]
    with pytest.raises(UsageError, match="not supported"):
        _run(estate, tmp_path, {}, "search is(aws_vpc) | http DELETE http://127.0.0.1:9/x")
