"""docs/backup.md on PostgreSQL: a pg_dump of the database, restored with pg_restore into an empty
database, holds every case, and the key kept apart decrypts its numbers."""

import importlib
import os
import shutil
import subprocess
import uuid

import psycopg
import pytest
from cryptography.fernet import Fernet, MultiFernet
from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection

from casework import crypto
from casework.models import Case, Region
from tests.factories import CaseFactory, region

heyuan_regions = importlib.import_module("casework.migrations.0002_heyuan_regions")
NUMBERS = ["441621198507150029", "441621199002280519", "11010519491231002X"]

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="pg_dump and pg_restore are PostgreSQL's"
    ),
    pytest.mark.skipif(shutil.which("pg_restore") is None, reason="no PostgreSQL client"),
]


def _env(settings_dict) -> dict:
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


def _args(settings_dict) -> list[str]:
    args = ["-U", settings_dict.get("USER") or "postgres"]
    if settings_dict.get("HOST"):
        args += ["-h", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    return args


# transactional, so after test_migrations.py (its flush empties the regions the migrations load)
@pytest.mark.django_db(transaction=True)
def test_a_dump_restored_into_an_empty_database_has_every_case(tmp_path):
    # an earlier transactional test's flush may have emptied the regions the migrations load
    if not Region.objects.exists():
        heyuan_regions.load(django_apps, None)
    zicheng = region("紫金县/紫城镇/新联村")
    cases = {CaseFactory(region=zicheng, id_number=number).pk: number for number in NUMBERS}
    config = connection.settings_dict
    dump = tmp_path / "casework.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "-f", str(dump), *_args(config),
         config["NAME"]],
        check=True, env=_env(config), capture_output=True,
    )  # fmt: skip
    restored = f"casework_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", restored, *_args(config),
             str(dump)],
            check=True, env=_env(config), capture_output=True,
        )  # fmt: skip
        dsn = {"dbname": restored, "user": config.get("USER") or "postgres"}
        dsn.update({k.lower(): config[k] for k in ("HOST", "PORT", "PASSWORD") if config.get(k)})
        with psycopg.connect(**dsn) as other:
            rows = other.execute(
                "SELECT c.id, p.id_number FROM casework_case c "
                "JOIN casework_person p ON p.id = c.person_id"
            ).fetchall()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
    assert (
        {pk for pk, _token in rows} == set(cases) == set(Case.objects.values_list("pk", flat=True))
    )
    # the dump holds ciphertext; the key, kept apart, reads it
    fernet = MultiFernet([Fernet(key) for key in crypto.parse_keys(settings.FIELD_ENCRYPTION_KEY)])
    for pk, token in rows:
        assert cases[pk] not in token
        assert fernet.decrypt(token.encode()).decode() == cases[pk]
