"""Real gunicorn servers on 127.0.0.1 for race, fault and load tests, started from the repository's config."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """One gunicorn master with its workers, serving `url`."""

    url: str
    process: subprocess.Popen
    log: Path

    def workers(self) -> list[int]:
        """Return the pids of the master's worker processes."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def cpu_seconds(self) -> float:
        """Return the CPU time (user and system) the master and its live workers have used so far."""
        return sum(self.process_cpu_seconds(pid) for pid in [self.process.pid, *self.workers()])

    @staticmethod
    def process_cpu_seconds(pid: int) -> float:
        """Return the CPU time (user and system) one process has used so far."""
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime

    def kill_worker(self) -> int:
        """Kill one worker with SIGKILL, as the OOM killer would; gunicorn starts another."""
        pid = self.workers()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill_all(self) -> None:
        """Kill the master and every worker with SIGKILL at once, as a crash of the machine's process would."""
        workers = self.workers()
        os.kill(self.process.pid, signal.SIGKILL)
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def wait_until_up(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in {seconds} s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@contextmanager
def gunicorn(database_url: str, log_dir: Path, *, workers: int = 2, threads: int = 4, extra_env: dict | None = None):
    """Serve the app with the repository's gunicorn.conf.py against `database_url` until the block ends."""
    port = free_port()
    log = log_dir / f"gunicorn-{port}.log"
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "live-tests", "BIND": f"127.0.0.1:{port}",
           "RATELIMIT_ENABLED": "0",
           "WEB_CONCURRENCY": str(workers), "GUNICORN_THREADS": str(threads), **(extra_env or {})}
    with open(log, "wb") as output:
        process = subprocess.Popen([str(GUNICORN), "--config", str(REPO / "gunicorn.conf.py")], cwd=REPO, env=env,
                                   stdout=output, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        server.wait_until_up()
        yield server
    finally:
        server.stop()
