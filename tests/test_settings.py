"""Deployment settings: read from the environment, loud when production lacks something."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Only what a production environment would have (the browser tests relax async checks).
    unset = ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(  # noqa: S603 - fixed command line
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-long-random-secret-key-for-the-test-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="ishc.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-secret-key-for-the-test-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "ishc.example.org",
    "TRUSTED_PROXIES": "127.0.0.1,::1",
    "ISHC_REQUIRE_2FA": "1",
}
HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "Strict-Transport-Security",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
)


def test_production_responses_carry_the_security_headers():
    script = (
        "from django.test import Client\n"
        "r = Client().get('/healthz', secure=True, HTTP_HOST='ishc.example.org')\n"
        f"for name in {HEADERS!r}:\n"
        "    print(name + ': ' + r.headers.get(name, 'MISSING'))\n"
    )
    result = manage("shell", "-c", script, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    headers = dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line)
    assert "MISSING" not in headers.values(), headers
    assert "script-src 'self';" in headers["Content-Security-Policy"] + ";"
    assert (
        "unsafe-inline"
        not in headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )
    assert "camera=()" in headers["Permissions-Policy"]
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
    assert headers["X-Frame-Options"] == "DENY"


def test_a_mistyped_trusted_proxy_stops_the_start():
    result = manage("check", **{**PRODUCTION, "TRUSTED_PROXIES": "127.0.0.1,10.0.0.300"})
    assert result.returncode != 0
    assert "10.0.0.300" in result.stderr
