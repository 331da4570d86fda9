"""Real processes for the worker tests: a private redis-server, a loopback SMTP server that
records Message-IDs, and Celery worker subprocesses. Nothing here is a mock."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from email.parser import BytesHeaderParser
from pathlib import Path
from urllib.parse import quote

from aiosmtpd.controller import Controller
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CELERY = ROOT / ".venv" / "bin" / "celery"
# Worker time limit (worker_settings) < this < the time a test waits for a rescue.
STUCK_AFTER = 8


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_process(proc: subprocess.Popen, sig=signal.SIGTERM, timeout=15) -> None:
    """SIGKILL goes to the whole process group (a Celery worker and its pool children die
    together); SIGTERM to the main process only, which shuts its pool down itself."""
    if proc.poll() is not None:
        return
    try:
        if sig == signal.SIGKILL:
            os.killpg(proc.pid, sig)
        else:
            os.kill(proc.pid, sig)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


class RedisServer:
    """A redis-server of the test's own on a spare port, without persistence: stopping it loses
    every message in it, the harshest broker outage. The machine's Redis on 6379 is never used."""

    def __init__(self, workdir: Path):
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not come up on port {self.port}")

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc, signal.SIGKILL)
            self.proc = None


class RecordingHandler:
    """aiosmtpd handler: records the Message-ID of every accepted message. `answers` maps a
    subject to a list of SMTP replies given (in order) before the message is accepted."""

    def __init__(self):
        self.lock = threading.Lock()
        self.accepted: list[str] = []
        self.refused: list[tuple[str, str]] = []
        self.answers: dict[str, list[str]] = {}
        self.always: dict[str, str] = {}

    async def handle_DATA(self, server, session, envelope):
        headers = BytesHeaderParser().parsebytes(envelope.content)
        message_id, subject = headers["Message-ID"], headers["Subject"]
        with self.lock:
            reply = self.always.get(subject)
            if reply is None and self.answers.get(subject):
                reply = self.answers[subject].pop(0)
            if reply is not None:
                self.refused.append((message_id, reply))
                return reply
            self.accepted.append(message_id)
        return "250 2.0.0 Accepted"

    def counts(self) -> Counter:
        with self.lock:
            return Counter(self.accepted)

    def unique(self) -> int:
        return len(self.counts())

    def duplicates(self) -> int:
        """Deliveries beyond the first of each Message-ID (raw SMTP-level duplicates)."""
        return sum(n - 1 for n in self.counts().values())


class SmtpServer:
    def __init__(self):
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def worker_database_url() -> str:
    """The URL of the pytest test database, as the runtime role the tests run as."""
    s = connection.settings_dict
    auth = quote(s["USER"], safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    """`celery -A brm worker -Q default,email --concurrency=2 -P prefork` on the test database."""

    def __init__(
        self,
        *,
        broker_url: str,
        smtp_url: str,
        logdir: Path,
        name: str,
        concurrency: int = 2,
        extra_env: dict | None = None,
    ):
        self.name = name
        self.log = logdir / f"{name}.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.outbox.worker_settings",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": worker_database_url(),
            "DATABASE_RUNTIME_USER": connection.settings_dict["USER"],
            "CELERY_BROKER_URL": broker_url,
            "REDIS_URL": broker_url,
            "EMAIL_URL": smtp_url,
            "LOG_LEVEL": "INFO",
            **(extra_env or {}),
        }
        self.args = [
            str(CELERY),
            "-A",
            "brm",
            "worker",
            "-Q",
            "default,email",
            f"--concurrency={concurrency}",
            "-P",
            "prefork",
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
            f"--hostname={name}@%h",
        ]
        self.proc: subprocess.Popen | None = None
        self.restarts = 0

    def start(self) -> Worker:
        out = self.log.open("ab")
        self.proc = subprocess.Popen(
            self.args,
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL reaches the pool children
        )
        return self

    def ensure_running(self) -> None:
        """Start the worker again if it exited, as the compose file's `restart: unless-stopped`
        does. Needed after a broker outage: Celery 5.7 / kombu 5.7 can die with "Unrecoverable
        error: AttributeError(... 'hostname')" while closing a Redis connection that broke."""
        if self.proc is not None and self.proc.poll() is not None:
            self.restarts += 1
            self.start()

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once, as a crashed machine would."""
        if self.proc is not None:
            stop_process(self.proc, signal.SIGKILL)

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc, signal.SIGTERM)

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
