"""The load test (issue 16, step 4): gunicorn on PostgreSQL with the province data set, and
locust running the journeys of bench/locustfile.py, on the same machine.

    .venv/bin/pip install -e '.[bench]'           # locust
    .venv/bin/python bench/load.py --db postgres://postgres@127.0.0.1:5432/casework_province_1m \\
        --users 50 --minutes 5 [--workers 4] [--out /tmp/load]

It writes the users file (the data set's logins by role, with their villages), takes the
dashboards' summaries and folds the tallies (as the periodic job would have), starts gunicorn
as a deployment would (production settings, no debug, sessions in the database, the cache in
Redis), runs locust headless for the given time and prints a table per request kind: count,
errors, median, p95, p99 and the requests per second, from locust's CSV. The data set is
written to (surveys are submitted): run it on a restored copy (bench/province.py restore).
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-1"  # bench/province.py's
DEV_KEY = "Y2FzZXdvcmstaW5zZWN1cmUtZGV2LWtleS0zMmJ5dGU="  # the key the data set was built with


def users_file(db: str, out: Path) -> dict:
    """The data set's logins by role; each caseworker with the villages it works in."""
    os.environ["DATABASE_URL"] = db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("CASEWORK_TESTING", "1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.utils import timezone

    from casework.models import Region, Role, User
    from reports import snapshots
    from workflows import tallies

    def logins(role):
        return User.objects.filter(groups__name=role, is_active=True).values_list(
            "username", flat=True
        )

    caseworkers = []
    for user in User.objects.filter(groups__name=Role.CASEWORKER, is_active=True).prefetch_related(
        "regions"
    ):
        villages = [r.pk for r in user.regions.all() if r.level == Region.Level.VILLAGE]
        if villages:
            caseworkers.append({"username": user.username, "villages": villages})
    found = {
        "password": PASSWORD,
        "caseworker": caseworkers,
        "supervisor": [{"username": u} for u in logins(Role.COUNTY_SUPERVISOR)],
        "city": [{"username": u} for u in logins(Role.CITY_STAFF)],
        "counties": list(Region.objects.filter(level=Region.Level.COUNTY).values_list(
            "pk", flat=True)),
    }  # fmt: skip
    out.write_text(json.dumps(found))
    # the server runs with the production hashers (the data set's hashes are the tests' MD5):
    # one PBKDF2 hash of the password for every login the journeys use
    names = [u["username"] for role in ("caseworker", "supervisor", "city") for u in found[role]]
    User.objects.filter(username__in=names).update(
        password=PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    )
    started = time.perf_counter()
    tallies.tallies_fold(timezone.now())
    taken = snapshots.dashboards_refresh(timezone.now())
    print(f"summaries: {taken} parts taken in {time.perf_counter() - started:.0f} s")
    return found


def serve(db: str, port: int, workers: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": db,
        "SECRET_KEY": "load-test-secret-key-not-for-production-" + "x" * 20,
        "FIELD_ENCRYPTION_KEY": DEV_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": "redis://127.0.0.1:6379/3",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "CASEWORK_JOBS": "thread",
    }
    env.pop("CASEWORK_TESTING", None)
    env.pop("DJANGO_DEBUG", None)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=ROOT, env=env, check=True)  # fmt: skip
    command = [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi",
               "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--timeout", "120", "--access-logfile", "-"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"),
                              stderr=subprocess.STDOUT)  # fmt: skip
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5)
            return server
        except OSError:
            time.sleep(1)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer; see {log}")


def report(stats: Path) -> str:
    rows = list(csv.DictReader(stats.open()))
    lines = ["| request | count | errors | median ms | p95 ms | p99 ms | max ms | req/s |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for row in rows:
        name = "**all**" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        lines.append(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} "
            f"| {row['Median Response Time']} | {row['95%']} | {row['99%']} "
            f"| {float(row['Max Response Time']):.0f} | {float(row['Requests/s']):.1f} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=2)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8031)
    parser.add_argument("--out", type=Path, default=Path("/tmp/load"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    users = args.out / "users.json"
    users_file(args.db, users)
    server = serve(args.db, args.port, args.workers, args.out / "gunicorn.log")
    try:
        locust = [str(Path(sys.executable).parent / "locust"),
                  "-f", str(ROOT / "bench/locustfile.py"), "--headless",
                  "-u", str(args.users), "-r", str(args.spawn_rate),
                  "-t", f"{int(args.minutes * 60)}s", "-H", f"http://127.0.0.1:{args.port}",
                  "--csv", str(args.out / "locust"), "--only-summary"]  # fmt: skip
        subprocess.run(locust, env={**os.environ, "LOAD_USERS": str(users)}, check=False)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\n{args.users} users, {args.minutes:g} min, gunicorn {args.workers} workers\n")
    print(report(args.out / "locust_stats.csv"))
    failures = args.out / "locust_failures.csv"
    if failures.exists():
        print("\nfailures:\n" + failures.read_text())


if __name__ == "__main__":
    main()
