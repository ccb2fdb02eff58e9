"""A small HTTP client for tests against a real server: keep-alive, cookies, CSRF tokens, the interview forms."""

from __future__ import annotations

import http.client
import re
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

PASSWORD = "interview-ready-1"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_TURN = re.compile(r'name="turn" type="hidden" value="(\d+)"')
_KEY = re.compile(r'name="key" type="hidden" value="([^"]+)"')


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class ChatPage:
    """The chat page as a tab holds it: its CSRF token, the current turn and this render's submission key."""

    html: str

    @property
    def csrf(self) -> str:
        return _CSRF.search(self.html).group(1)

    @property
    def turn(self) -> int | None:
        found = _TURN.search(self.html)
        return int(found.group(1)) if found else None

    @property
    def key(self) -> str:
        return _KEY.search(self.html).group(1)


class Browser:
    """One signed-in person: a cookie jar and one kept-alive connection per thread using it."""

    def __init__(self, base_url: str, timeout: float = 30):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self._connection: http.client.HTTPConnection | None = None

    def tab(self) -> Browser:
        """Another tab of the same browser: same cookies, its own connection."""
        other = Browser(f"http://{self.host}:{self.port}", self.timeout)
        other.cookies = self.cookies
        return other

    def request(self, method: str, path: str, form: dict | None = None, accept: str = "text/html") -> Response:
        body = urlencode(form).encode() if form is not None else None
        headers = {"Accept": accept, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):  # a kept-alive connection the server closed is reopened once
            if self._connection is None:
                self._connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            started = time.perf_counter()
            try:
                self._connection.request(method, path, body=body, headers=headers)
                raw = self._connection.getresponse()
                text = raw.read().decode()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self._connection.close()
                self._connection = None
                if attempt:
                    raise
                continue
            seconds = time.perf_counter() - started
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    cookie_name, _, rest = value.partition("=")
                    self.cookies[cookie_name] = rest.split(";", 1)[0]
            if raw.getheader("connection", "").lower() == "close":
                self._connection.close()
                self._connection = None
            return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, text, seconds)
        raise AssertionError("unreachable")

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, form: dict, **kwargs) -> Response:
        return self.request("POST", path, form, **kwargs)

    def csrf(self, path: str) -> str:
        return _CSRF.search(self.get(path).body).group(1)

    def register(self, username: str | None = None) -> str:
        username = username or f"u{secrets.token_hex(6)}"
        response = self.post("/auth/register", {"csrf_token": self.csrf("/auth/register"), "username": username,
                                                 "password": PASSWORD, "confirm": PASSWORD})
        assert response.status == 302, response.body[:500]
        return username

    def start(self, **fields) -> int:
        """Start an interview through the form and return its id; without follow-ups unless asked, so the
        questions come in order whatever an answer misses."""
        data = {"csrf_token": self.csrf("/interviews/new"), "mode": "mock", "count": 3, "seconds": 180,
                "follow_ups": 0, **fields}
        response = self.post("/interviews/new", data)
        assert response.status == 302, response.body[:500]
        return int(response.location.rstrip("/").split("/")[-1])

    def chat(self, interview_id: int) -> ChatPage:
        response = self.get(f"/interviews/{interview_id}")
        assert response.status == 200, (response.status, response.body[:300])
        return ChatPage(response.body)

    def answer(self, interview_id: int, page: ChatPage, text: str) -> Response:
        return self.post(f"/interviews/{interview_id}/answer",
                         {"csrf_token": page.csrf, "turn": page.turn, "key": page.key, "answer": text})

    def draft(self, interview_id: int, page: ChatPage, text: str) -> Response:
        return self.post(f"/interviews/{interview_id}/draft",
                         {"csrf_token": page.csrf, "turn": page.turn, "answer": text}, accept="application/json")

    def skip(self, interview_id: int, page: ChatPage) -> Response:
        return self.post(f"/interviews/{interview_id}/skip", {"csrf_token": page.csrf, "turn": page.turn})

    def finish(self, interview_id: int, page: ChatPage) -> Response:
        return self.post(f"/interviews/{interview_id}/finish", {"csrf_token": page.csrf})

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
