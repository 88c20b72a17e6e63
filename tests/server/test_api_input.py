"""Bad request headers to the API: a 400 that names the header, never a bare 500."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import httpx
import pytest

from tests.server.test_serve import Server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("api-home")
    (home / "config.toml").write_text('[workflows.collect]\nschedule = ""\n')
    server = Server(home).start()
    yield server
    server.stop(signal.SIGKILL)


@pytest.mark.parametrize("width", ["abc", "-3", "0", "99999999999999999999", "12.5"])
def test_a_bad_width_header_is_a_400_naming_it(server: Server, width: str) -> None:
    headers = {"Authorization": f"Bearer {server.token}", "X-Cloudsift-Width": width}
    answer = httpx.post(server.url + "/cli/execute", content="echo hi", headers=headers, timeout=60)
    assert answer.status_code == 400
    assert answer.json() == {
        "error": f"X-Cloudsift-Width must be a number of columns from 1 to 10000, not {width!r}",
        "exit_code": 2,
        "query": False,
    }
    text = httpx.post(server.url + "/cli/execute", content="echo hi",
                      headers={**headers, "Accept": "text/plain"}, timeout=60)  # fmt: skip
    assert (text.status_code, text.text) == (400, f"error: {answer.json()['error']}\n")
    good = httpx.post(server.url + "/cli/execute", content="echo hi",
                      headers={**headers, "X-Cloudsift-Width": "80"}, timeout=60)  # fmt: skip
    assert (good.status_code, good.text) == (200, '"hi"\n')
