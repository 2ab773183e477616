"""Every setting is read in app/config.py, and every one the README documents is read."""

from __future__ import annotations

import os
import re
from pathlib import Path

from app.config import load_config
from registration.cards import services
from tests.app.fresh import app_on, fresh_url

ROOT = Path(__file__).resolve().parents[2]
#: settings of the test suite, documented under Testing, not the app's
TEST_ONLY = {"PANOH_TEST_DATABASE_URL"}


def test_panoh_keys_path_is_where_card_keys_are_kept(tmp_path, monkeypatch):
    """PANOH_KEYS_PATH was documented but never read: keys went to instance/keys regardless."""
    keys = tmp_path / "card-keys"
    monkeypatch.setenv("PANOH_KEYS_PATH", str(keys))
    assert load_config({"SECRET_KEY": "x"})["KEYS_PATH"] == str(keys)
    with fresh_url("sqlite", tmp_path) as url:
        application = app_on(url, tmp_path)
        with application.app_context():
            assert services.key_folder() == keys
            from app.db import own_transaction

            with own_transaction() as session:
                key, _private = services.signing_key(session)
        assert (keys / f"{key.kid}.pem").stat().st_mode & 0o077 == 0
        assert not (tmp_path / "instance" / "keys").exists()
        application.extensions["panoh.db"].engine.dispose()


def _read_in(path: Path) -> set[str]:
    return set(re.findall(r"""(?:env|environ\.get|getenv)\(\s*f?['"](PANOH_[A-Z0-9_]+)""", path.read_text()))


class _Recording(dict):
    """An environment that remembers which names were asked for."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.asked: set[str] = set()

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)


def test_every_setting_is_read_in_config_and_documented(tmp_path, monkeypatch):
    environment = _Recording({**os.environ, "PANOH_INSTANCE_PATH": str(tmp_path)})
    monkeypatch.setattr(os, "environ", environment)
    load_config()
    in_config = {name for name in environment.asked if name.startswith("PANOH_")}
    assert {"PANOH_DATABASE_URL", "PANOH_SECRET_KEY", "PANOH_KEYS_PATH", "PANOH_CAMP_TIMEZONE"} <= in_config
    elsewhere = {
        str(path.relative_to(ROOT)): found
        for folder in ("app", "camps", "registration")
        for path in (ROOT / folder).rglob("*.py")
        if path.name != "config.py" and (found := _read_in(path))
    }
    assert elsewhere == {}, "read settings in app/config.py only"
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `(PANOH_[A-Z0-9_]+)` \|", readme, re.MULTILINE))
    assert documented - TEST_ONLY == in_config
    mentioned = set(re.findall(r"PANOH_[A-Z0-9_]+", readme))
    assert mentioned - TEST_ONLY <= in_config, "the README mentions a setting nobody reads"
