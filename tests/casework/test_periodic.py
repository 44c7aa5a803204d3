"""The periodic work as production runs it: from cron (`manage.py run_periodic`) on several
hosts at once, or under Celery beat with a real worker and Redis as the broker."""

import datetime
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from casework.jobs import PERIODIC_LOCK_KEY
from casework.models import PeriodicRun, Role
from config.celery import app
from tests.factories import staff

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/9"  # a database of its own: the test empties it
KEYS = [
    "timers_fired", "rechecks_created", "case_escalations", "county_escalations",
    "notifications_sent", "personal_numbers_erased", "tallies_folded", "dashboards_refreshed",
]  # fmt: skip

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the worker and the commands need the test database from another process "
    "(SQLite's lives in memory)",
)


def test_beat_sends_the_periodic_work_every_five_minutes_by_default():
    entry = app.conf.beat_schedule["casework.run_periodic"]
    assert entry["task"] == "casework.run_periodic"
    assert entry["schedule"] == datetime.timedelta(minutes=5)
    assert "casework.run_periodic" in app.tasks


def test_each_run_is_recorded_with_its_clock(db, capsys):
    call_command("run_periodic", "--json", "--now", "2027-01-04T08:00")
    assert sorted(json.loads(capsys.readouterr().out)) == sorted(KEYS)
    run = PeriodicRun.objects.get()
    assert timezone.localtime(run.clock).isoformat() == "2027-01-04T08:00:00+08:00"
    assert sorted(run.counts) == sorted(KEYS) and run.failed == []
    assert run.finished_at >= run.started_at


def subprocess_env(**extra) -> dict:
    """The environment of a process working on this test's PostgreSQL database."""
    db = connection.settings_dict
    login = f"{db['USER']}:{db['PASSWORD'] or ''}"
    url = f"postgres://{login}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "CASEWORK_TESTING": "1",
           "DJANGO_SETTINGS_MODULE": "config.settings", **extra}  # fmt: skip
    env.pop("REDIS_URL", None)
    return env


def run_periodic_process(env: dict) -> subprocess.Popen:
    command = [sys.executable, "manage.py", "run_periodic", "--json", "--now", "2027-01-04T08:00"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


def hold_the_turn():
    """Hold the periodic work's lock, as a run on another host would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [PERIODIC_LOCK_KEY])


def waiting_for_the_turn(count: int, timeout: float = 90) -> None:
    """Until `count` other sessions of this database are asking for the periodic turn."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND query LIKE 'SELECT pg_try_advisory_lock%%'"
            )
            if cursor.fetchone()[0] >= count:
                return
        time.sleep(0.2)
    pytest.fail(f"{count} runs did not start waiting within {timeout} s")


def release_the_turn():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [PERIODIC_LOCK_KEY])


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_hosts_starting_run_periodic_together_both_finish_and_print_json():
    hold_the_turn()  # a third run is busy: both must wait for it, then take turns
    try:
        processes = [run_periodic_process(subprocess_env()) for _ in range(2)]
        waiting_for_the_turn(2)
        time.sleep(1)
        assert [process.poll() for process in processes] == [None, None]  # still waiting
    finally:
        release_the_turn()
    outputs = [process.communicate(timeout=120) for process in processes]
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert sorted(json.loads(out)) == sorted(KEYS)
    first, second = PeriodicRun.objects.order_by("finished_at")
    assert first.waited >= 1 and second.waited >= 1
    # one after the other: the second began its jobs only once the first had finished
    began = second.started_at + datetime.timedelta(seconds=second.waited)
    assert began >= first.finished_at


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_run_that_waits_too_long_prints_its_json_and_says_why_it_did_nothing():
    hold_the_turn()
    try:
        process = run_periodic_process(subprocess_env(CASEWORK_PERIODIC_WAIT="1"))
        out, err = process.communicate(timeout=60)
    finally:
        release_the_turn()
    assert json.loads(out) == dict.fromkeys(KEYS, 0)
    assert process.returncode == 1 and "waiting for another run" in err
    assert not PeriodicRun.objects.exists()


def redis_or_skip():
    client = redis.Redis.from_url(REDIS, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CASEWORK_REQUIRE_E2E"):
            pytest.fail(f"Redis at {REDIS} is required but unreachable: {error}")
        pytest.skip(f"Redis at {REDIS} is unreachable: {error}")
    return client


def finished_results(client) -> list[dict]:
    """The results the worker left in the result backend."""
    results = []
    for key in client.scan_iter("celery-task-meta-*"):
        results.append(json.loads(client.get(key)))
    return results


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_celery_beat_and_a_real_worker_run_the_periodic_work(tmp_path):
    client = redis_or_skip()
    client.flushdb()
    env = subprocess_env(
        CELERY_BROKER_URL=REDIS, CELERY_RESULT_BACKEND=REDIS, CASEWORK_JOBS="celery",
        CASEWORK_PERIODIC_MINUTES="0.05",  # every 3 seconds
    )  # fmt: skip
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--beat", "--pool=solo",
        "--loglevel=INFO", "--without-mingle", "--without-gossip", "--hostname=periodic-test@%h",
        f"--schedule={tmp_path / 'beat-schedule'}",
    ]  # fmt: skip
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not PeriodicRun.objects.exists():
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            time.sleep(0.5)
        run = PeriodicRun.objects.first()
        assert run is not None, (tmp_path / "worker.log").read_text()[-3000:]
        results = []
        while time.monotonic() < deadline and not results:
            results = [r for r in finished_results(client) if r["status"] == "SUCCESS"]
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
        client.flushdb()
    worker_log = (tmp_path / "worker.log").read_text()
    assert "casework.run_periodic" in worker_log
    assert results, worker_log[-3000:]
    assert sorted(results[0]["result"]) == sorted(KEYS)
    assert run.failed == [] and sorted(run.counts) == sorted(KEYS)


def test_the_administrator_sees_when_the_periodic_work_last_ran(db, client):
    call_command("run_periodic", "--now", "2027-01-04T08:00", stdout=io.StringIO())
    client.force_login(staff("admin", Role.ADMIN, "河源市"))
    page = client.get("/admin/casework/periodicrun/")
    assert page.status_code == 200
    assert "2027-01-04 08:00" in page.content.decode()
