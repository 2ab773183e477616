"""Configuration, the secret key, error pages that leak nothing, the self-signed certificate."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from app import create_app
from app.config import load_config


def test_secret_key_is_created_once_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("PANOH_SECRET_KEY", raising=False)
    first = load_config({"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"]
    second = load_config({"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600


def test_environment_configures_database_and_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("PANOH_SECRET_KEY", "from-env")
    monkeypatch.setenv("PANOH_DATABASE_URL", "sqlite:///elsewhere.sqlite3")
    config = load_config({"INSTANCE_PATH": str(tmp_path)})
    assert config["SECRET_KEY"] == "from-env" and config["DATABASE_URL"] == "sqlite:///elsewhere.sqlite3"
    assert not (tmp_path / "secret_key").exists()


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("PANOH_DATABASE_URL", raising=False)
    config = load_config({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'panoh.sqlite3'}"


@pytest.fixture()
def failing_app(tmp_path, database_url):
    application = create_app(
        {"DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", "ARGON2_PROFILE": "fast"}
    )
    from app.permissions import PUBLIC, requires

    @application.route("/boom")
    @requires(PUBLIC)
    def boom():
        raise RuntimeError("secret detail: Mohammad Karim, tazkira 1234-5678-90123")

    @application.route("/api/v1/boom")
    @requires(PUBLIC)
    def api_boom():
        raise RuntimeError("secret detail: Mohammad Karim")

    yield application
    application.extensions["panoh.db"].engine.dispose()


def test_server_error_page_leaks_nothing(failing_app):
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data
    assert b"secret detail" not in response.data and b"Traceback" not in response.data


def test_server_error_in_api_is_json_and_leaks_nothing(failing_app):
    response = failing_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500 and response.is_json
    assert "secret" not in response.get_data(as_text=True)


def test_routes_without_permission_declaration_are_found():
    """The factory raises when this finds any (every real route is declared, see the matrix test)."""
    from flask import Flask

    from app.permissions import AUTHENTICATED, requires, undeclared_endpoints

    bare = Flask(__name__)
    bare.add_url_rule("/declared", "declared", requires(AUTHENTICATED)(lambda: "x"))
    bare.add_url_rule("/forgotten", "forgotten", lambda: "x")
    assert undeclared_endpoints(bare) == ["forgotten"]


def test_self_signed_certificate_is_created_once_with_a_private_key_file(tmp_path):
    from cryptography import x509

    from app.tls import ensure_self_signed

    cert, key = ensure_self_signed(tmp_path, "192.168.10.5")
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    certificate = x509.load_pem_x509_certificate(Path(cert).read_bytes())
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "192.168.10.5" in [str(ip) for ip in names.get_values_for_type(x509.IPAddress)]
    assert ensure_self_signed(tmp_path, "192.168.10.5") == (cert, key)


def test_feedback_response_targets_come_from_the_environment(monkeypatch):
    from app.config import load_config

    monkeypatch.setenv("PANOH_FEEDBACK_DUE_HOURS", "sensitive=48, complaint=336")
    assert load_config()["FEEDBACK_DUE_HOURS"] == {"sensitive": 48, "complaint": 336}
    monkeypatch.setenv("PANOH_FEEDBACK_DUE_HOURS", "sensitive=soon")
    with pytest.raises(ValueError, match="not type=hours"):
        load_config()
