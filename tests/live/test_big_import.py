"""Long imports on SQLite (a history through the page, a bank through the command) against real gunicorn:
another person's draft saves go on meanwhile, none waiting out the import."""

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from .client import Browser
from .conftest import only_on
from .server import REPO, gunicorn

pytestmark = pytest.mark.live
INTERVIEWS = 500  # about 5 MB: an import taking seconds, within the default size limit
BANK_QUESTIONS = 150  # a new bank whose key points take seconds to extract
TIMES = ("started_at", "finished_at", "asked_at", "deadline", "answered_at", "created_at")


def shifted(value, hours: int):
    """Move every time in an exported interview by `hours`, so each copy is a distinct interview."""
    if isinstance(value, dict):
        return {key: (datetime.fromisoformat(item) + timedelta(hours=hours)).isoformat()
                if key in TIMES and isinstance(item, str) else shifted(item, hours) for key, item in value.items()}
    if isinstance(value, list):
        return [shifted(item, hours) for item in value]
    return value


def long_history(browser: Browser) -> bytes:
    """Finish one two-question mock interview and repeat its export `INTERVIEWS` times, an hour apart."""
    interview_id = browser.start(count=2, seconds=600)
    for text in ("注意力机制通过查询和键的相似度加权求和值向量，缩放防止梯度消失。" * 8,
                 "LoRA 冻结原模型权重，只训练旁路的低秩矩阵 A 和 B，显存开销小。" * 8):
        page = browser.chat(interview_id)
        assert browser.answer(interview_id, page, text).status == 302
    document = json.loads(browser.get("/history/export.json").body)
    [interview] = document["interviews"]
    document["interviews"] = [shifted(interview, -hours) for hours in range(1, INTERVIEWS + 1)]
    return json.dumps(document, ensure_ascii=False).encode()


def upload(browser: Browser, raw: bytes) -> tuple[int, float]:
    """Post the file as the history page's import form does (multipart); return the status and the seconds taken."""
    boundary = "mianshi-import-boundary"
    fields = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
              f"{browser.csrf('/history/')}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
              f"filename=\"history.json\"\r\nContent-Type: application/json\r\n\r\n")
    body = fields.encode() + raw + f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection(browser.host, browser.port, timeout=120)
    started = time.perf_counter()
    connection.request("POST", "/history/import", body=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Cookie": "; ".join(f"{name}={value}" for name, value in browser.cookies.items())})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, time.perf_counter() - started


@pytest.fixture
def sqlite_url(live_database):
    return only_on("sqlite", live_database, "the write lock an import holds is SQLite's")


class DraftSaver:
    """Another person saving a draft every 20 ms on a thread, until stopped; keeps each save's status and time."""

    def __init__(self, server_url: str):
        self.browser = Browser(server_url)
        self.browser.register()
        self.interview_id = self.browser.start(count=1, seconds=600)
        self.page = self.browser.chat(self.interview_id)
        self.saves: list[tuple[int, float]] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._keep_saving)

    def _keep_saving(self) -> None:
        while not self.done.is_set():
            response = self.browser.draft(self.interview_id, self.page, f"草稿 {len(self.saves)}")
            self.saves.append((response.status, response.seconds))
            time.sleep(0.02)

    def __enter__(self) -> "DraftSaver":
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.done.set()
        self.thread.join(timeout=30)

    def assert_none_waited_out(self, import_seconds: float) -> None:
        assert self.saves and all(code == 200 for code, _seconds in self.saves), self.saves
        longest = max(seconds for _code, seconds in self.saves)
        # Held through the import, the write lock made a save wait for most of it.
        assert longest < import_seconds / 2, (longest, import_seconds, len(self.saves))


def test_drafts_save_promptly_while_another_user_imports_a_long_history(sqlite_url, tmp_path):
    url, engine = sqlite_url
    with gunicorn(url, tmp_path) as server:
        importer = Browser(server.url)
        importer_name = importer.register()
        raw = long_history(importer)
        with DraftSaver(server.url) as saver:
            status, import_seconds = upload(importer, raw)
    assert status == 302
    with engine.connect() as connection:
        stored = connection.execute(sa.text(
            "SELECT count(*) FROM interviews JOIN users ON users.id = interviews.user_id WHERE users.username = :name"),
            {"name": importer_name}).scalar()
    assert stored == INTERVIEWS + 1
    saver.assert_none_waited_out(import_seconds)


def test_drafts_save_promptly_while_the_bank_command_imports_a_new_bank(sqlite_url, tmp_path):
    url, engine = sqlite_url
    bank = tmp_path / "bank.md"
    bank.write_text("".join(
        f"# {number}.第 {number} 个模型的注意力层为什么要除以根号 d？\n\n"
        f"第 {number} 个模型：点积随维度 d 增大，方差变大，softmax 进入饱和区，梯度消失；除以根号 d 让方差回到 1。"
        f"多头注意力把查询、键和值投影到 {number % 7 + 2} 个子空间，各自计算后拼接。\n\n"
        for number in range(1, BANK_QUESTIONS + 1)), encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "live-tests"}
    with gunicorn(url, tmp_path) as server, DraftSaver(server.url) as saver:
        started = time.perf_counter()
        command = subprocess.run([str(Path(sys.executable).with_name("flask")), "--app", "webapp", "bank", "import",
                                  str(bank)], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
        import_seconds = time.perf_counter() - started
    assert command.returncode == 0, command.stderr[-2000:]
    with engine.connect() as connection:
        imported = connection.execute(sa.text("SELECT count(*) FROM questions WHERE text LIKE :asked"),
                                      {"asked": "第 % 个模型的注意力层%"}).scalar()
    assert imported == BANK_QUESTIONS
    saver.assert_none_waited_out(import_seconds)
