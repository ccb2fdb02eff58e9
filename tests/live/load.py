"""Simulated candidates doing full mock interviews against a server, for the load benchmark and fault tests."""

from __future__ import annotations

import http.client
import random
import threading
import time
from dataclasses import dataclass, field

from .client import Browser, ChatPage, Response

ANSWERS = (
    "注意力机制通过查询和键的相似度得到权重，再对值向量加权求和；缩放是为了防止点积过大导致 softmax 梯度消失。",
    "LoRA 冻结原模型权重，在旁路加入低秩矩阵 A 和 B，只训练它们，显存和存储开销都小很多。",
    "KV cache 缓存之前 token 的键和值，生成下一个 token 时不必重新计算，推理速度更快但占用显存。",
    "位置编码给 Transformer 提供顺序信息，正弦编码可以外推，RoPE 通过旋转把相对位置编码进注意力。",
)
QUESTIONS_PER_INTERVIEW = 5


@dataclass
class Tally:
    """What all candidates saw, gathered under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    acknowledged: list[tuple[int, int, str]] = field(default_factory=list)  # interview, turn, text
    submit_seconds: list[float] = field(default_factory=list)
    page_seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)

    def add(self, **items) -> None:
        with self.lock:
            for name, value in items.items():
                getattr(self, name).append(value)


def candidate(base_url: str, ready: threading.Barrier, stop: threading.Event, tally: Tally, *, think: float,
              seed: int) -> None:
    """Sign up (before the clock starts), then do mock interviews until `stop`: read, think, save a draft, submit."""
    rng = random.Random(seed)
    browser = Browser(base_url)
    try:
        tally.add(users=browser.register())
        interview_id = browser.start(count=QUESTIONS_PER_INTERVIEW, seconds=600, follow_ups=1)
    except (AssertionError, OSError, http.client.HTTPException) as error:
        tally.add(errors=f"before the clock started: {type(error).__name__}: {str(error)[:300]}")
        ready.abort()  # the run cannot start as asked: say so at once instead of waiting out the barrier
        return
    ready.wait()
    while not stop.is_set():
        try:
            if interview_id is None:
                interview_id = browser.start(count=QUESTIONS_PER_INTERVIEW, seconds=600, follow_ups=1)
            response = browser.get(f"/interviews/{interview_id}")
            tally.add(page_seconds=response.seconds)
            page = _chat_page(response)
            if page is None or page.turn is None:
                interview_id = None
                continue
            text = f"{rng.choice(ANSWERS)} ({interview_id}-{page.turn}-{rng.random():.6f})"
            if stop.wait(rng.uniform(0.5, 1.5) * think / 2):
                return
            browser.draft(interview_id, page, text[: len(text) // 2])
            if stop.wait(rng.uniform(0.5, 1.5) * think / 2):
                return
            submitted = browser.answer(interview_id, page, text)
            tally.add(submit_seconds=submitted.seconds)
            if submitted.status == 302:
                tally.add(acknowledged=(interview_id, page.turn, text))
            else:
                tally.add(errors=f"submit {submitted.status}")
        except (OSError, http.client.HTTPException) as error:  # a worker killed under us: reload and go on
            tally.add(errors=f"{type(error).__name__}: {error}")
            browser.close()
            time.sleep(0.2)


def _chat_page(response: Response) -> ChatPage | None:
    if response.status != 200 or 'name="key"' not in response.body:
        return None
    return ChatPage(response.body)


def run(base_url: str | list[str], candidates: int, seconds: float, *, think: float, during=None) -> Tally:
    """Run `candidates` on their own threads for `seconds`, spread over the servers in `base_url`;
    each hook in `during` (one or a list) runs as `hook(stop)` alongside, from when the clock starts (e.g. to kill
    a worker or to probe /healthz)."""
    urls = [base_url] if isinstance(base_url, str) else base_url
    tally, stop, ready = Tally(), threading.Event(), threading.Barrier(candidates + 1, timeout=600)
    threads = [threading.Thread(target=candidate, args=(urls[number % len(urls)], ready, stop, tally),
                                kwargs={"think": think, "seed": number}, daemon=True)
               for number in range(candidates)]
    hooks = during if isinstance(during, list) else [during] if during is not None else []
    threads += [threading.Thread(target=hook, args=(stop,), daemon=True) for hook in hooks]
    for thread in threads[:candidates]:
        thread.start()
    try:
        ready.wait()  # everyone signed up and started: the measured time begins
    except threading.BrokenBarrierError:
        raise AssertionError(f"a candidate could not start: {tally.errors}") from None
    for thread in threads[candidates:]:
        thread.start()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    return tally
