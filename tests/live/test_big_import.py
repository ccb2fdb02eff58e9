"""A long history import on SQLite, against real gunicorn: another person's draft saves go on meanwhile."""

import http.client
import json
import threading
import time
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from .client import Browser
from .server import gunicorn

pytestmark = pytest.mark.live
INTERVIEWS = 500  # about 5 MB: an import taking seconds, within the default size limit
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


def test_drafts_save_promptly_while_another_user_imports_a_long_history(live_database, tmp_path):
    url, engine = live_database
    if not url.startswith("sqlite"):
        pytest.skip("the write lock held by an import is SQLite's")
    with gunicorn(url, tmp_path) as server:
        importer, writer = Browser(server.url), Browser(server.url)
        importer_name = importer.register()
        raw = long_history(importer)
        writer.register()
        interview_id = writer.start(count=1, seconds=600)
        page = writer.chat(interview_id)
        done = threading.Event()
        saves: list[tuple[int, float]] = []

        def keep_saving() -> None:
            number = 0
            while not done.is_set():
                number += 1
                response = writer.draft(interview_id, page, f"草稿 {number}")
                saves.append((response.status, response.seconds))
                time.sleep(0.02)

        saver = threading.Thread(target=keep_saving)
        saver.start()
        try:
            status, import_seconds = upload(importer, raw)
        finally:
            done.set()
            saver.join(timeout=30)
    assert status == 302
    with engine.connect() as connection:
        stored = connection.execute(sa.text(
            "SELECT count(*) FROM interviews JOIN users ON users.id = interviews.user_id WHERE users.username = :name"),
            {"name": importer_name}).scalar()
    assert stored == INTERVIEWS + 1
    assert saves and all(code == 200 for code, _seconds in saves), saves
    longest = max(seconds for _code, seconds in saves)
    # Written in one transaction, the import held the write lock for most of its run and a save waited that long.
    assert longest < import_seconds / 2, (longest, import_seconds, len(saves))
