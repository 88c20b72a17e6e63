"""The dashboard in a real browser: Debian's chromium driven by Playwright, against `cloudsift serve`.

Screenshots of every page go to tests/ui/screenshots/ (kept as test artifacts, not committed)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cloudsift.demo import SEED_QUERY
from cloudsift.sample import EstateSize, estate_lines
from tests.server.test_serve import Server

CHROMIUM = os.environ.get("CLOUDSIFT_TEST_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).parent / "screenshots"
PUBLIC = "https://cloudsift.example.com"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def _browser_missing() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright)"
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        return f"no chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    missing = _browser_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs the browser: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("ui-home")
    (home / "config.toml").write_text(
        f'[workflows.collect]\nschedule = ""\n[server]\npublic_url = "{PUBLIC}"\n'
    )
    estate = home / "estate.jsonl"
    estate.write_bytes(b"".join(estate_lines(EstateSize())))
    env = {**os.environ, "CLOUDSIFT_HOME": str(home), "CLOUDSIFT_CONFIG": str(home / "config.toml")}
    for line in (
        f"import {estate}",
        "jobs add --id count_groups 'search is(aws_ec2_security_group) | count'",
    ):
        done = subprocess.run([sys.executable, "-m", "cloudsift.cli", "-c", line], env=env,
                              capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr
    server = Server(home).start()
    yield server
    server.stop()


def _page(browser: object, served: Server, log_in: bool = True) -> object:
    page = browser.new_page(viewport={"width": 1360, "height": 900})  # type: ignore[attr-defined]
    if log_in:
        page.goto(served.url + "/ui")
        page.fill("#token", served.token)
        page.click("button[type=submit]")
        page.wait_for_url(served.url + "/ui")
    return page


def _shot(page: object, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
    page.screenshot(path=str(SHOTS / f"{name}-top.png"))  # type: ignore[attr-defined]


def test_a_wrong_token_gets_the_login_page_not_data(browser: object, served: Server) -> None:
    page = _page(browser, served, log_in=False)
    page.goto(served.url + "/")  # type: ignore[attr-defined]
    assert "/ui/login" in page.url  # type: ignore[attr-defined]
    page.fill("#token", "not-the-token")  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    assert page.get_by_role("alert").inner_text() == "That token is not the server's token."  # type: ignore[attr-defined]
    _shot(page, "login-failed")
    for path in (
        "/ui",
        "/ui/search?q=is(resource)",
        "/ui/search.json?q=is(resource)",
        "/ui/alerts",
        "/ui/jobs",
    ):
        answer = httpx.get(served.url + path, follow_redirects=False)
        assert answer.status_code == 303 and "/ui/login" in answer.headers["location"], path
    forged = httpx.get(served.url + "/ui", cookies={"cloudsift_ui": "forged"}, follow_redirects=False)
    assert forged.status_code == 303
    page.close()  # type: ignore[attr-defined]


def test_overview_counts_resources_and_shows_collection_health(browser: object, served: Server) -> None:
    page = _page(browser, served)
    total = served.cli("search is(resource) | count").stdout.splitlines()[0].split(": ")[1]
    assert page.inner_text("#total-resources") == total  # type: ignore[attr-defined]
    assert "aws_ec2_security_group" in page.inner_text("table.bars")  # type: ignore[attr-defined]
    _shot(page, "overview")
    page.close()  # type: ignore[attr-defined]


def test_the_seed_query_shows_the_violating_groups_and_one_opens(browser: object, served: Server) -> None:
    page = _page(browser, served)
    page.click("text=Search")  # type: ignore[attr-defined]
    page.fill("#q", "search " + SEED_QUERY)  # type: ignore[attr-defined]
    page.click("form.searchbox button")  # type: ignore[attr-defined]
    expected = [
        n.removeprefix("name=") for n in served.cli(f"search {SEED_QUERY} | list name").stdout.split()
    ]
    names = page.locator("#results tbody tr td:nth-child(2)").all_inner_texts()  # type: ignore[attr-defined]
    assert expected and sorted(names) == sorted(expected)
    _shot(page, "search-seed")
    page.locator("#results tbody tr td:nth-child(2) a").first.click()  # type: ignore[attr-defined]
    assert '"group_ip_permissions"' in page.inner_text("#properties")  # type: ignore[attr-defined]
    edges = page.locator("ul.edges").all_inner_texts()  # type: ignore[attr-defined]
    assert any("aws_vpc" in e for e in edges) and any("aws_ec2_instance" in e for e in edges)
    _shot(page, "resource")
    page.close()  # type: ignore[attr-defined]


def test_a_query_error_points_at_the_character(browser: object, served: Server) -> None:
    page = _page(browser, served)
    page.goto(served.url + "/ui/search?q=is(instance)%20and%20instance_cores%20%3E%3E%204")  # type: ignore[attr-defined]
    error = page.inner_text("#query-error")  # type: ignore[attr-defined]
    lines = error.splitlines()
    caret = lines[-1].index("^") - 2
    assert "is(instance) and instance_cores >> 4"[caret] == ">"
    page.close()  # type: ignore[attr-defined]


def test_search_box_completes_kinds_and_properties(browser: object, served: Server) -> None:
    page = _page(browser, served)
    page.goto(served.url + "/ui/search")  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    page.click("#q")  # type: ignore[attr-defined]
    page.keyboard.type("is(aws_ec2_secu")  # type: ignore[attr-defined]
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    assert page.input_value("#q") == "is(aws_ec2_security_group"  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]


def test_downloads_hold_the_results(served: Server) -> None:
    cookies = {"cloudsift_ui": _cookie(served)}
    csv_answer = httpx.get(served.url + "/ui/search.csv", params={"q": "is(aws_vpc)"}, cookies=cookies)
    rows = csv_answer.text.strip().splitlines()
    count = int(served.cli("search is(aws_vpc) | count").stdout.splitlines()[0].split(": ")[1])
    assert rows[0].startswith("kind,name,id,account,region") and len(rows) == count + 1
    json_answer = httpx.get(served.url + "/ui/search.json", params={"q": "is(aws_vpc)"}, cookies=cookies)
    assert {r["kind"] for r in json_answer.json()} == {"aws_vpc"} and len(json_answer.json()) == count
    assert httpx.get(served.url + "/ui/search.csv", params={"q": "is(("}, cookies=cookies).status_code == 400


def test_jobs_page_runs_a_job_and_forms_need_the_csrf_token(browser: object, served: Server) -> None:
    page = _page(browser, served)
    page.click("text=Jobs")  # type: ignore[attr-defined]
    page.click("#job-count_groups button")  # type: ignore[attr-defined]
    assert "total matched" in page.inner_text("#run-output")  # type: ignore[attr-defined]
    assert "total matched" in page.inner_text("#job-count_groups table")  # type: ignore[attr-defined]
    _shot(page, "jobs")
    forged = httpx.post(served.url + "/ui/jobs/run", data={"id": "count_groups", "csrf": "x"},
                        cookies={"cloudsift_ui": _cookie(served)})  # fmt: skip
    assert forged.status_code == 403
    page.click("text=Alerts")  # type: ignore[attr-defined]
    assert "No alert has been sent yet." in page.inner_text("main")  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]


def _cookie(served: Server) -> str:
    answer = httpx.post(served.url + "/ui/login", data={"token": served.token, "next": "/ui"})
    return str(answer.cookies["cloudsift_ui"]) if "cloudsift_ui" in answer.cookies else _from_history(answer)


def _from_history(answer: httpx.Response) -> str:
    for step in answer.history:
        if "cloudsift_ui" in step.cookies:
            return str(step.cookies["cloudsift_ui"])
    raise AssertionError("the login set no cookie")


def test_baseline_shows_each_benchmark_and_its_failing_checks_first(browser: object, served: Server) -> None:
    page = _page(browser, served)
    page.click("text=Baseline")  # type: ignore[attr-defined]
    assert "cloudsift AWS network exposure baseline" in page.inner_text("#benchmarks")  # type: ignore[attr-defined]
    _shot(page, "baseline")
    page.click("text=cloudsift AWS network exposure baseline")  # type: ignore[attr-defined]
    report = served.cli("report benchmark run cloudsift_aws_baseline --json").stdout
    failing = [c["id"] for c in _checks(json.loads(report)) if c["status"] == "failed"]
    assert failing, "the sample estate has open groups: some network check fails"
    assert page.inner_text("#failed-checks") == str(len(failing))  # type: ignore[attr-defined]
    statuses = page.locator(".check .badge").all_inner_texts()  # type: ignore[attr-defined]
    first_section = statuses[: statuses.index("passed")] if "passed" in statuses else statuses
    assert first_section and set(first_section) == {"failed"}, statuses
    check = page.locator(f"#check-{failing[0]}")  # type: ignore[attr-defined]
    check.locator("summary").click()
    assert check.locator("table.findings tbody tr").first.is_visible()
    _shot(page, "benchmark")
    page.close()  # type: ignore[attr-defined]


def _checks(section: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(section.get("checks") or [])
    for child in section.get("children") or section.get("sections") or []:
        found += _checks(child)
    return found


def test_a_check_is_suppressed_from_its_page_and_comes_back_when_unsuppressed(
    browser: object, served: Server
) -> None:
    page = _page(browser, served)
    page.goto(served.url + "/ui/baseline/cloudsift_aws_baseline")  # type: ignore[attr-defined]
    check_id = "aws_ec2_sg_open_ssh_from_internet"
    check = page.locator(f"#check-{check_id}")  # type: ignore[attr-defined]
    assert check.locator(".badge").first.inner_text() == "failed"
    check.locator("summary").click()
    check.locator("input[name=reason]").fill("bastion subnet, reviewed")
    check.locator("input[name=owner]").fill("secops")
    check.locator("button", has_text="Suppress check").click()
    assert "suppressed" in page.inner_text("#said")  # type: ignore[attr-defined]
    check = page.locator(f"#check-{check_id}")  # type: ignore[attr-defined]
    assert check.locator(".badge").first.inner_text() != "failed"
    check.locator("summary").click()
    assert "bastion subnet, reviewed (secops)" in check.inner_text()
    listed = served.cli("report suppressions").stdout
    assert check_id in listed and "secops" in listed
    _shot(page, "suppressed")
    check.locator("button", has_text="Unsuppress").click()
    check = page.locator(f"#check-{check_id}")  # type: ignore[attr-defined]
    assert check.locator(".badge").first.inner_text() == "failed"
    assert check_id not in served.cli("report suppressions").stdout
    page.close()  # type: ignore[attr-defined]


def test_an_alert_links_to_the_dashboard_pages_of_its_resources(browser: object, served: Server) -> None:
    line = (f"search {SEED_QUERY} | pagerduty --summary x --dedup-key k "
            "--routing-key 0123456789abcdef0123456789abcdef --dry-run")  # fmt: skip
    done = served.cli(line)
    assert done.returncode == 0, done.stderr
    event = json.loads(done.stdout)
    assert event["client_url"] == f"{PUBLIC}/ui/alerts"
    ours = [link for link in event["links"] if link["href"].startswith(PUBLIC)]
    assert len(ours) == 4 and all("/ui/resource?id=" in link["href"] for link in ours)
    page = _page(browser, served)
    page.goto(ours[0]["href"].replace(PUBLIC, served.url))  # type: ignore[attr-defined]
    assert page.inner_text("h1") in ("sg-open-all-0", "sg-open-v6-1")  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]


def test_alerts_page_shows_each_alert_its_history_and_why_it_stays_open(
    browser: object, served: Server
) -> None:
    from tests.alerts.pagerduty_standin import start_pagerduty

    standin, http = start_pagerduty()
    try:
        line = (f"search {SEED_QUERY} | pagerduty --summary 'Open groups' --dedup-key ui_open_groups "
                f"--routing-key 0123456789abcdef0123456789abcdef --webhook-url {standin.url}")  # fmt: skip
        done = served.cli(line)
        assert "trigger ui_open_groups sent (4 resources)" in done.stdout, done.stderr
    finally:
        http.shutdown()
    page = _page(browser, served)
    page.click("text=Alerts")  # type: ignore[attr-defined]
    row = page.locator("#alerts tbody tr", has_text="ui_open_groups").first  # type: ignore[attr-defined]
    assert "triggered" in row.inner_text() and "4" in row.inner_text()
    page.click("#alerts details summary")  # type: ignore[attr-defined]
    assert "trigger" in page.inner_text("ul.events") and "delivered" in page.inner_text("ul.events")  # type: ignore[attr-defined]
    assert "ui_open_groups" in page.inner_text("#outbox")  # type: ignore[attr-defined]
    _shot(page, "alerts")
    page.close()  # type: ignore[attr-defined]
