"""The config file and the environment: lists from variables, unknown variables, files that cannot be read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cloudsift.config import load_config
from cloudsift.errors import ConfigError


def _load(tmp_path: Path, **environ: str) -> tuple[object, list[str]]:
    warnings: list[str] = []
    config = load_config(None, tmp_path, {"CLOUDSIFT_CONFIG": os.devnull, **environ}, warn=warnings.append)
    return config, warnings


@pytest.mark.parametrize(
    "value", ["us-east-1,eu-central-1", " us-east-1 , eu-central-1 ", '["us-east-1", "eu-central-1"]']
)
def test_a_list_key_is_set_from_the_environment_as_commas_or_json(tmp_path: Path, value: str) -> None:
    config, warnings = _load(tmp_path, CLOUDSIFT_AWS__REGIONS=value, CLOUDSIFT_AWS__ACCOUNTS="111111111111")
    assert config.aws.regions == ["us-east-1", "eu-central-1"]  # type: ignore[attr-defined]
    assert config.aws.accounts == ["111111111111"]  # type: ignore[attr-defined]
    assert warnings == []


def test_a_bad_json_list_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"CLOUDSIFT_AWS__REGIONS: not a valid JSON list"):
        _load(tmp_path, CLOUDSIFT_AWS__REGIONS='["us-east-1"')


def test_a_bad_webhook_url_names_its_variable_and_never_shows_it(tmp_path: Path) -> None:
    with pytest.raises(
        ConfigError, match=r"CLOUDSIFT_TEAMS__URL: webhook url: the URL \(a secret"
    ) as refused:
        _load(tmp_path, CLOUDSIFT_TEAMS__URL="htps://example.webhook.office.com/x?sig=s3cr3t")
    assert "s3cr3t" not in str(refused.value)
    with pytest.raises(ConfigError, match=r"alertmanager.generator_url: 'ftp://am' is not an http"):
        _load(tmp_path, CLOUDSIFT_ALERTMANAGER__GENERATOR_URL="ftp://am")


def test_a_bad_value_names_the_variable_that_set_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^config CLOUDSIFT_SERVER__PORT: "):
        _load(tmp_path, CLOUDSIFT_SERVER__PORT="eighty")


def test_a_stalled_threshold_under_two_heartbeats_is_refused_in_words(tmp_path: Path) -> None:
    # every worker would be taken for dead between two of its beats
    with pytest.raises(ConfigError, match=r"^config workers: stalled_after_seconds 15 is less than two heartbeats "
                       r"\(heartbeat_seconds 10\): every worker"):  # fmt: skip
        _load(
            tmp_path, CLOUDSIFT_WORKERS__HEARTBEAT_SECONDS="10", CLOUDSIFT_WORKERS__STALLED_AFTER_SECONDS="15"
        )
    config, _ = _load(
        tmp_path, CLOUDSIFT_WORKERS__HEARTBEAT_SECONDS="10", CLOUDSIFT_WORKERS__STALLED_AFTER_SECONDS="20"
    )
    assert config.workers.stalled_after_seconds == 20  # type: ignore[attr-defined]


def test_an_unknown_variable_is_a_warning_with_a_suggestion_never_a_failure(tmp_path: Path) -> None:
    config, warnings = _load(
        tmp_path,
        CLOUDSIFT_AWS__REGION="us-east-1",
        CLOUDSIFT_NOT_A_SETTING="1",
        CLOUDSIFT_EXAMPLES="2000",
        CLOUDSIFT_TEST_POSTGRES="postgresql://postgres@127.0.0.1/test",
    )
    assert config.aws.regions == []  # type: ignore[attr-defined]
    assert warnings == [
        "CLOUDSIFT_AWS__REGION is not a cloudsift setting; it is ignored. Did you mean 'CLOUDSIFT_AWS__REGIONS'?",
        "CLOUDSIFT_NOT_A_SETTING is not a cloudsift setting; it is ignored.",
    ]


def test_the_cli_warns_about_an_unknown_variable_and_runs(tmp_path: Path) -> None:
    env = {**os.environ, "CLOUDSIFT_PAGERDUTY__ROUTNG_KEY": "x"}
    result = _run(tmp_path, env, "-c", "echo ok")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok\n"
    assert "warning: CLOUDSIFT_PAGERDUTY__ROUTNG_KEY is not a cloudsift setting" in result.stderr
    assert "CLOUDSIFT_PAGERDUTY__ROUTING_KEY" in result.stderr


def _run(home: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {"CLOUDSIFT_CONFIG": os.devnull, **env, "CLOUDSIFT_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "cloudsift.cli", *args], capture_output=True, text=True,
                          env=env, timeout=60)  # fmt: skip


def test_cloudsift_config_naming_a_missing_file_is_an_error_like_config(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    by_env = _run(tmp_path, {**os.environ, "CLOUDSIFT_CONFIG": str(missing)}, "-c", "echo ok")
    assert by_env.returncode == 2
    assert by_env.stderr == f"error: config {missing}: no such file (named by CLOUDSIFT_CONFIG)\n"
    by_option = _run(tmp_path, dict(os.environ), "--config", str(missing), "-c", "echo ok")
    assert by_option.returncode == 2
    assert by_option.stderr == f"error: config {missing}: no such file (named by --config)\n"


def test_a_config_path_that_is_a_directory_is_a_clear_error(tmp_path: Path) -> None:
    result = _run(tmp_path, dict(os.environ), "--config", str(tmp_path), "-c", "echo ok")
    assert result.returncode == 2
    assert result.stderr == f"error: config {tmp_path}: is a directory; name the TOML file in it\n"


def test_a_config_file_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    file = tmp_path / "config.toml"
    file.write_bytes(b'[aws]\nrole = "caf\xe9"\n')
    result = _run(tmp_path, dict(os.environ), "--config", str(file), "-c", "echo ok")
    assert result.returncode == 2
    assert result.stderr == f"error: config {file}: line 2: not UTF-8 text (byte 0xe9); save it as UTF-8\n"


def test_a_home_that_is_a_file_or_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    file = tmp_path / "a-file"
    file.write_text("")
    result = _run(tmp_path, dict(os.environ), "--home", str(file), "-c", "echo ok")
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: config home: {file} is a file, not a directory")
    below_a_file = _run(tmp_path, dict(os.environ), "--home", str(file / "inner"), "-c", "echo ok")
    assert below_a_file.returncode == 2
    assert below_a_file.stderr.startswith(f"error: config home: cannot create {file / 'inner'}: ")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes everywhere")
def test_an_unwritable_home_is_a_clear_error(tmp_path: Path) -> None:
    home = tmp_path / "ro"
    home.mkdir(mode=0o500)
    result = _run(tmp_path, dict(os.environ), "--home", str(home), "-c", "echo ok")
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: config home: {home} is not writable")


def test_serve_with_a_port_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    result = _run(tmp_path, dict(os.environ), "serve", "--port", "99999")
    assert result.returncode == 2
    assert "99999 is not a port: use 1 to 65535" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_postgres_store_without_psycopg_says_which_extra_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cloudsift.store.open import open_store

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if `pip install .` without the extra
    config = load_config(None, tmp_path, {"CLOUDSIFT_CONFIG": os.devnull,
                                          "CLOUDSIFT_STORE__URL": "postgresql://postgres@127.0.0.1/test"})  # fmt: skip
    with pytest.raises(ConfigError, match=r"install `pip install 'cloudsift\[postgres\]'`"):
        open_store(config)
