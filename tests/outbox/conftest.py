"""Fixtures of the scheduled-work tests: a private Redis as this process's broker, a loopback
SMTP server, Celery worker subprocesses, and a dispatcher loop driven from the test."""

from __future__ import annotations

import logging
from contextlib import contextmanager

import pytest
from django.test import override_settings

from brm.celery import app as celery_app
from brm.outbox import services

from .servers import STUCK_AFTER, RedisServer, SmtpServer, Worker

# aiosmtpd logs every SMTP command at INFO; the tests report what matters themselves.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@contextmanager
def publishing_to(url: str):
    """Point this process's Celery producer at `url` (the test's own Redis, or a closed port).

    Celery caches its connection pools; dropping them makes the next publish use the new URL.
    """
    previous = celery_app.conf.broker_url

    def switch(to):
        celery_app.conf.broker_url = to
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        services._broker_down_until = 0.0  # a broker that failed in another test is not this one

    switch(url)
    try:
        yield
    finally:
        switch(previous)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    with publishing_to(server.url):
        yield server
    server.stop()


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def start_worker(transactional_db, redis_server, smtp_server, tmp_path):
    """start_worker(name) -> a running Worker; all are stopped at the end of the test."""
    workers: list[Worker] = []

    def start(name: str = "w1", **kwargs) -> Worker:
        worker = Worker(
            broker_url=redis_server.url,
            smtp_url=smtp_server.url,
            logdir=tmp_path,
            name=name,
            **kwargs,
        ).start()
        workers.append(worker)
        return worker

    start.workers = workers
    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def scheduler_settings():
    """The sweeper of this process takes lost rows back after STUCK_AFTER seconds (> the
    workers' time limit, see worker_settings)."""
    with override_settings(OUTBOX_STUCK_AFTER=STUCK_AFTER, OUTBOX_RETRY_BASE=0.5):
        yield
