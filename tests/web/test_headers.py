"""Every response carries the security headers; pages need no inline script or style, so the CSP can forbid them."""

import re
from pathlib import Path

import pytest

from webapp import create_app
from webapp.edge import SECURITY_HEADERS
from webapp.rendering import render_markdown

TEMPLATES = Path(__file__).resolve().parents[2] / "webapp" / "templates"


@pytest.mark.parametrize("url", ["/", "/auth/login", "/bank/", "/no-such-page", "/static/css/app.css"])
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


def test_the_content_security_policy_forbids_inline_code_and_framing(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
    assert client.get("/").headers["X-Frame-Options"] == "DENY"


def test_the_signed_in_settings_page_cannot_be_framed(client, auth):
    auth.login()
    response = client.get("/auth/settings")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda path: path.name)
def test_no_template_holds_inline_script_or_style(template):
    html = template.read_text()
    inline_scripts = [tag for tag in re.findall(r"<script\b[^>]*>", html)
                      if "src=" not in tag and 'type="application/json"' not in tag]
    assert not inline_scripts
    assert "<style" not in html and not re.search(r"\sstyle=", html) and not re.search(r"\son[a-z]+=", html)


def test_cookies_are_secure_and_hsts_is_sent_when_served_over_https(app, monkeypatch):
    monkeypatch.setenv("HTTPS", "1")
    secure = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                         "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    client = secure.test_client()
    response = client.post("/auth/language", data={"locale": "zh"})
    assert "; Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_over_plain_http_no_hsts_is_sent(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_the_sanitizer_drops_style_attributes_from_references():
    html = render_markdown('<table><tr><td style="position:fixed;top:0;left:0;width:100%;height:100%">x</td>'
                           '<th style="color:red">h</th></tr></table>')
    assert "style" not in html and "<td>x</td>" in html
