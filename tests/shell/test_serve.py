"""`aftersales serve`, the production web server, run for real in a subprocess: a fixed pool of
workers holding one database connection each however many requests arrive, no start on the
development key with DEBUG off, and the production settings of README "Running in production"."""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

from tests.factories import PASSWORD, make_staff

AFTERSALES = [sys.executable, "-m", "aftersales.cli"]

# What README "Running in production" sets behind a TLS proxy.
PRODUCTION = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "service.example.com,127.0.0.1",
    "CSRF_TRUSTED_ORIGINS": "https://service.example.com",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_COOKIES": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "PROXY_TLS_HEADER": "X-Forwarded-Proto",
}


def environment(var_dir: Path, **settings: str) -> dict[str, str]:
    """The test run's environment with its own var/ directory, English messages, no SECRET_KEY
    unless given, and `settings` on top."""
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", *PRODUCTION}}
    env.update(AFTERSALES_VAR_DIR=str(var_dir), LANGUAGE_CODE="en", **settings)
    env.setdefault("DATABASE_URL", f"sqlite:///{var_dir / 'serve.sqlite3'}")
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(env: dict[str, str], logs: Path) -> Iterator[str]:
    """`aftersales serve` on a free port until the block ends (then SIGTERM, as a service
    manager stops it); yields its base URL once it answers."""
    port = free_port()
    out, err = (logs / "serve.out").open("wb"), (logs / "serve.err").open("wb")
    server = subprocess.Popen(
        [*AFTERSALES, "serve", f"127.0.0.1:{port}"], env=env, stdout=out, stderr=err
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve did not start:\n{(logs / 'serve.err').read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        out.close()
        err.close()


def fetch(url: str, headers: dict[str, str] | None = None, body: bytes | None = None):
    """(status, headers, body) of one request; redirects are not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database the test itself runs on (pytest-django's test_<name>)."""
    user = quote(settings_dict["USER"] or "")
    password = f":{quote(settings_dict['PASSWORD'])}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def connections_named(watcher: psycopg.Connection, application_name: str) -> int:
    query = "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s"
    return int(watcher.execute(query, [application_name]).fetchone()[0])


@pytest.mark.django_db(transaction=True)  # committed, so the server's processes see the user
def test_a_burst_of_100_requests_holds_one_connection_per_web_worker_and_leaks_none(
    tmp_path, settings
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "counts the server's connections in PostgreSQL's pg_stat_activity: run with "
            "DATABASE_URL=postgres://… (CI does)"
        )
    settings.PASSWORD_HASHERS = ["aftersales.core.hashers.Argon2PasswordHasher"]  # the server's
    make_staff("hotline1", "hotline")
    app_name = f"aftersales-serve-test-{os.getpid()}"  # libpq tags every connection of the server
    env = environment(
        tmp_path,
        DATABASE_URL=database_url(connection.settings_dict),
        PGAPPNAME=app_name,
        WEB_CONCURRENCY="2",
        SECRET_KEY=secrets.token_urlsafe(50),
    )
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as watcher, serving(env, tmp_path) as base:
        status, _, body = fetch(
            f"{base}/api/v1/auth/token",
            {"Content-Type": "application/json"},
            json.dumps({"username": "hotline1", "password": PASSWORD}).encode(),
        )
        assert status == 200, body
        bearer = {"Authorization": f"Bearer {json.loads(body)['token']}"}

        most_seen = 0
        done = threading.Event()

        def watch() -> None:
            nonlocal most_seen
            while not done.is_set():
                most_seen = max(most_seen, connections_named(watcher, app_name))

        watching = threading.Thread(target=watch)
        watching.start()
        start = threading.Barrier(100)

        def one_request(i: int) -> int:
            start.wait()
            if i % 2:
                return fetch(f"{base}/api/v1/customers", bearer)[0]
            return fetch(f"{base}/login/")[0]

        try:
            with ThreadPoolExecutor(max_workers=100) as pool:
                statuses = list(pool.map(one_request, range(100)))
        finally:
            done.set()
            watching.join()

        assert statuses == [200] * 100
        assert most_seen <= 2
        assert 1 <= connections_named(watcher, app_name) <= 2  # kept for the next requests

    # Stopped: every connection of the server is gone with it.
    with psycopg.connect(**params, autocommit=True) as watcher:
        deadline = time.monotonic() + 30
        while connections_named(watcher, app_name) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert connections_named(watcher, app_name) == 0


def test_serve_refuses_debug_off_with_the_development_key(tmp_path):
    result = subprocess.run(
        [*AFTERSALES, "serve", str(free_port())],
        env=environment(tmp_path, DEBUG="false"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Refusing to serve with DEBUG off and the built-in development SECRET_KEY" in (
        result.stderr
    )
    assert str(tmp_path / "secret_key") in result.stderr  # where to put one


def test_serve_starts_with_the_key_under_var_and_speaks_https_behind_the_proxy(tmp_path):
    key = secrets.token_urlsafe(50)
    (tmp_path / "secret_key").write_text(key + "\n")
    env = environment(tmp_path, **PRODUCTION)
    in_use = subprocess.run(
        [
            *AFTERSALES,
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings; print(settings.SECRET_KEY)",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert in_use.stdout.strip() == key

    with serving(env, tmp_path) as base:
        status, headers, _ = fetch(f"{base}/login/")  # plain http: sent to https
        assert status == 301 and headers["Location"].startswith("https://")

        status, headers, _ = fetch(f"{base}/login/", {"X-Forwarded-Proto": "https"})
        assert status == 200
        assert headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert "Secure" in headers["Set-Cookie"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
    assert "GET /login/ HTTP/1.1" in (tmp_path / "serve.out").read_text()  # the access log


def test_the_deploy_check_is_clean_with_the_documented_production_settings(tmp_path):
    env = environment(tmp_path, SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION)
    result = subprocess.run(
        [*AFTERSALES, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_the_deploy_check_fails_on_the_development_key(tmp_path):
    result = subprocess.run(
        [*AFTERSALES, "check", "--deploy", "--fail-level", "WARNING"],
        env=environment(tmp_path, **PRODUCTION),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_on_a_laptop_over_plain_http_nothing_is_forced_to_https(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response.headers
    assert not response.cookies["csrftoken"]["secure"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
