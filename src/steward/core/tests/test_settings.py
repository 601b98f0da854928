"""Settings from the environment: typed helpers, the generated secret key, STEWARD_EMAIL_URL."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from steward import conf


# --- env helpers ----------------------------------------------------------------------------
@pytest.mark.parametrize("raw, expected", [("1", True), ("TRUE", True), ("yes", True), ("on", True),
                                           ("0", False), ("False", False), ("no", False), ("off", False)])  # fmt: skip
def test_env_bool_parses(monkeypatch, raw, expected):
    monkeypatch.setenv("STEWARD_X", raw)
    assert conf.env_bool("STEWARD_X") is expected


def test_env_bool_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("STEWARD_X", raising=False)
    assert conf.env_bool("STEWARD_X", True) is True
    monkeypatch.setenv("STEWARD_X", "")
    assert conf.env_bool("STEWARD_X", False) is False


def test_env_bool_rejects_naming_the_variable(monkeypatch):
    monkeypatch.setenv("STEWARD_DEBUG", "maybe")
    with pytest.raises(ValueError, match=r"STEWARD_DEBUG.*'maybe'"):
        conf.env_bool("STEWARD_DEBUG")


def test_env_int(monkeypatch):
    monkeypatch.setenv("STEWARD_N", " 42 ")
    assert conf.env_int("STEWARD_N", 5) == 42
    monkeypatch.delenv("STEWARD_N")
    assert conf.env_int("STEWARD_N", 5) == 5
    for bad in ("ten", "1.5", "5m"):
        monkeypatch.setenv("STEWARD_N", bad)
        with pytest.raises(ValueError, match=rf"STEWARD_N.*{bad}"):
            conf.env_int("STEWARD_N", 5)


def test_env_list(monkeypatch):
    monkeypatch.delenv("STEWARD_HOSTS", raising=False)
    assert conf.env_list("STEWARD_HOSTS", "a,b") == ["a", "b"]
    monkeypatch.setenv("STEWARD_HOSTS", " example.org, ,localhost ,")
    assert conf.env_list("STEWARD_HOSTS", "") == ["example.org", "localhost"]


def test_every_setting_is_documented_with_a_steward_name():
    names = [s.name for s in conf.SETTINGS]
    assert len(names) == len(set(names))
    assert all(n.startswith("STEWARD_") and s.help for n, s in zip(names, conf.SETTINGS, strict=True))


def test_bad_value_stops_start_up_naming_the_variable(tmp_path):
    env = {**os.environ, "STEWARD_DATA_DIR": str(tmp_path), "STEWARD_LOGIN_MAX_FAILURES": "lots"}
    env["PYTHONPATH"] = str(Path(conf.__file__).resolve().parents[1])
    result = subprocess.run(
        [sys.executable, "-c", "import steward.settings"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "STEWARD_LOGIN_MAX_FAILURES" in result.stderr


# --- secret key -----------------------------------------------------------------------------
def test_secret_key_is_generated_once_and_reused(monkeypatch, tmp_path):
    monkeypatch.delenv("STEWARD_SECRET_KEY", raising=False)
    first = conf.secret_key(tmp_path)
    assert len(first) >= 50
    key_file = tmp_path / "secret_key"
    assert key_file.read_text() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert conf.secret_key(tmp_path) == first
    other = tmp_path / "other"
    other.mkdir()
    assert conf.secret_key(other) != first


def test_secret_key_from_the_environment_wins_and_writes_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv("STEWARD_SECRET_KEY", "from-env")
    assert conf.secret_key(tmp_path) == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_secret_key_race_uses_the_key_written_first(monkeypatch, tmp_path):
    """Two workers starting together: the one that loses the O_EXCL race reads the winner's key."""
    monkeypatch.delenv("STEWARD_SECRET_KEY", raising=False)
    real_exists = Path.exists
    # Both processes saw no file yet; the other one then wrote its key before us.
    monkeypatch.setattr(
        Path, "exists", lambda self: False if self.name == "secret_key" else real_exists(self)
    )
    (tmp_path / "secret_key").write_text("winner\n")
    assert conf.secret_key(tmp_path) == "winner"


def test_data_dir_is_created(monkeypatch, tmp_path):
    target = tmp_path / "a" / "b"
    monkeypatch.setenv("STEWARD_DATA_DIR", str(target))
    assert conf.data_dir() == target.resolve()
    assert target.is_dir()


# --- email ----------------------------------------------------------------------------------
def test_email_console_locmem_file():
    assert conf.email_settings("console://")["BACKEND"].endswith("console.EmailBackend")
    assert conf.email_settings("locmem://")["BACKEND"].endswith("locmem.EmailBackend")
    assert conf.email_settings("file:///var/mail/steward") == {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": "/var/mail/steward"},
    }


def test_email_smtp_with_credentials_and_defaults():
    entry = conf.email_settings("smtp://mailer%40corp:p%40ss%3Aword@mail.example.org:2525")
    assert entry["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    s = entry["OPTIONS"]
    assert (s["host"], s["port"]) == ("mail.example.org", 2525)
    assert (s["username"], s["password"]) == ("mailer@corp", "p@ss:word")
    assert (s["use_tls"], s["use_ssl"]) == (False, False)
    plain = conf.email_settings("smtp://relay")["OPTIONS"]
    assert (plain["port"], plain["username"], plain["password"]) == (25, "", "")


def test_email_tls_variants():
    tls = conf.email_settings("smtp+tls://u:p@mail.example.org")["OPTIONS"]
    assert (tls["use_tls"], tls["use_ssl"], tls["port"]) == (True, False, 587)
    ssl = conf.email_settings("smtps://u:p@mail.example.org")["OPTIONS"]
    assert (ssl["use_tls"], ssl["use_ssl"], ssl["port"]) == (False, True, 465)
    assert conf.email_settings("smtp+tls://mail.example.org:25")["OPTIONS"]["port"] == 25


@pytest.mark.parametrize("url", ["http://example.org", "sendmail://", "", "smtp://host:notaport"])
def test_email_bad_urls_name_the_variable(url):
    with pytest.raises(ValueError, match="STEWARD_EMAIL_URL"):
        conf.email_settings(url)
