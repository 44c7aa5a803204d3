"""The set-up commands: add_user, import_regions, seed_demo; and production settings."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from openpyxl import Workbook

from casework.idnumber import parse_id_number
from casework.models import Case, Person, Region, Role, Stage, User

ROOT = Path(__file__).resolve().parents[2]


def test_the_migration_loads_heyuan_and_its_seven_counties(db):
    counties = dict(Region.objects.filter(level="county").values_list("code", "name"))
    assert counties == {
        "441602": "源城区", "441621": "紫金县", "441622": "龙川县", "441623": "连平县",
        "441624": "和平县", "441625": "东源县", "441699": "江东新区",
    }  # fmt: skip
    assert Region.objects.get(level="city").name == "河源市"
    assert all(c.county_id == c.pk for c in Region.objects.filter(level="county"))


def test_add_user_by_path_then_replace_role_and_regions(db):
    from casework.services import region_ensure

    for name in ["紫城镇", "龙窝镇"]:
        region_ensure(parent=Region.objects.get(code="441621"), name=name)
    call_command("add_user", "zhang", "--role", "caseworker", "--region", "紫金县/紫城镇",
                 "--region", "紫金县/龙窝镇", "--password", "s3cret-pass")  # fmt: skip
    user = User.objects.get(username="zhang")
    assert user.role == Role.CASEWORKER
    assert sorted(r.name for r in user.regions.all()) == ["紫城镇", "龙窝镇"]
    assert user.check_password("s3cret-pass")
    call_command("add_user", "zhang", "--role", "county_supervisor", "--region", "441622")
    user = User.objects.get(username="zhang")
    assert user.role == Role.COUNTY_SUPERVISOR
    assert [r.name for r in user.regions.all()] == ["龙川县"]
    assert user.check_password("s3cret-pass"), "the password changes only when given"
    assert user.groups.count() == 1


@pytest.fixture
def zicheng_township(db):
    from casework.services import region_ensure

    return region_ensure(parent=Region.objects.get(code="441621"), name="紫城镇")[0]


def test_add_user_refuses_a_region_that_does_not_fit_the_role(db, zicheng_township):
    with pytest.raises(CommandError, match="紫城镇"):
        call_command("add_user", "li", "--role", "county_supervisor", "--region", "紫金县/紫城镇")
    assert not User.objects.filter(username="li").exists()
    with pytest.raises(CommandError, match="unknown region"):
        call_command("add_user", "li", "--role", "caseworker", "--region", "紫金县/无此镇")


def test_role_groups_carry_permissions(db, zicheng_township):
    call_command("add_user", "sup", "--role", "county_supervisor", "--region", "紫金县")
    call_command("add_user", "cw", "--role", "caseworker", "--region", "紫金县/紫城镇")
    assert User.objects.get(username="sup").has_perm("casework.undo_stage")
    assert not User.objects.get(username="cw").has_perm("casework.undo_stage")
    assert User.objects.get(username="cw").has_perm("casework.view_case")


def write_xlsx(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)


def test_import_regions_from_xlsx_with_a_title_row_is_idempotent(db, tmp_path, capsys):
    path = tmp_path / "regions.xlsx"
    write_xlsx(path, [
        ["紫金县行政区划"],
        ["县（区）", "乡镇（街道）", "村（社区）"],
        ["紫金县", "紫城镇", "新联村"],
        ["441621", "紫城镇", "上围村"],
        ["龙川县", "老隆镇", ""],
    ])  # fmt: skip
    call_command("import_regions", str(path))
    assert "townships created: 2, villages created: 2" in capsys.readouterr().out
    village = Region.objects.get(name="上围村")
    assert village.level == "village" and village.county.code == "441621"
    assert village.code.startswith(village.parent.code) and len(village.code) == 12
    call_command("import_regions", str(path))
    assert "townships created: 0, villages created: 0" in capsys.readouterr().out


def test_import_regions_from_gb18030_csv(db, tmp_path, capsys):
    path = tmp_path / "regions.csv"
    with open(path, "w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["县区", "乡镇", "村"])
        writer.writerow(["和平县", "阳明镇", "城南村"])
        writer.writerow(["无此县", "某镇", "某村"])
    call_command("import_regions", str(path))
    captured = capsys.readouterr()
    assert "villages created: 1" in captured.out
    assert "unknown county" in captured.err
    assert Region.objects.get(name="城南村").parent.name == "阳明镇"


def test_import_regions_refuses_a_file_that_is_not_a_spreadsheet(db, tmp_path):
    path = tmp_path / "regions.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(CommandError):
        call_command("import_regions", str(path))


@override_settings(DEBUG=False)
def test_seed_demo_refuses_without_debug(db):
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not Case.objects.exists()


def test_seed_demo_builds_the_demo_and_adds_nothing_the_second_time(db):
    call_command("seed_demo", "--force")
    counts = {stage: Case.objects.filter(stage=stage).count() for stage in Stage.values}
    assert all(counts.values()), counts
    assert 550 <= sum(counts.values()) <= 650
    assert Case.objects.filter(township__name="紫城镇", owner=None).exists()
    for township in ["紫城镇", "老隆镇"]:
        assert Region.objects.filter(name=township, level="township").exists()
    assert all(
        Region.objects.filter(level="township", county=county).exists()
        for county in Region.objects.filter(level="county")
    )
    for username in ["admin", "city", "sup_zijin", "cw_zijin", "cw_zijin2", "cw_longchuan"]:
        assert User.objects.get(username=username).check_password("casework-demo")
    for number, born in Person.objects.values_list("id_number", "birth_date"):
        assert parse_id_number(number).birth_date == born  # a valid number, its own birth date
    before = (Case.objects.count(), Region.objects.count(), User.objects.count())
    call_command("seed_demo", "--force")
    assert (Case.objects.count(), Region.objects.count(), User.objects.count()) == before


def production_env(**extra) -> dict:
    """This process's environment without the development and test switches."""
    dropped = {"DJANGO_DEBUG", "CASEWORK_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY",
               "FIELD_ENCRYPTION_KEY"}  # fmt: skip
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update(extra)
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_check_deploy_is_clean_with_the_documented_production_variables():
    env = production_env(
        SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="casework.example.org",
        DATABASE_URL="sqlite:///" + str(ROOT / "unused-deploy-check.sqlite3"),
        FIELD_ENCRYPTION_KEY=PRODUCTION_KEY,
    )
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# a key as Fernet.generate_key() makes one (urlsafe base64 of 32 bytes), written out by hand
PRODUCTION_KEY = "q1Vx0mC4n3bq5o8yP2sK7dJ9fL6hR1tW3zA5eG8uI0M="


@pytest.mark.parametrize(
    "key, code",
    [
        (None, "casework.E002"),  # missing
        ("not-a-key", "casework.E002"),  # malformed
        (f"{PRODUCTION_KEY},c2hvcnQ=", "casework.E002"),  # the second key is 5 bytes
        ("Y2FzZXdvcmstaW5zZWN1cmUtZGV2LWtleS0zMmJ5dGU=", "casework.E003"),  # the development key
    ],
)
def test_check_deploy_refuses_a_missing_malformed_or_development_encryption_key(key, code):
    env = production_env(
        SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="casework.example.org",
        DATABASE_URL="sqlite:///" + str(ROOT / "unused-deploy-check.sqlite3"),
        **({"FIELD_ENCRYPTION_KEY": key} if key else {}),
    )
    result = manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert code in result.stderr + result.stdout


# The variables the README's Deployment section exports, as it writes them.
DEPLOYMENT = {
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "casework.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://casework.example.org",
    "DATABASE_URL": "postgres://casework@/casework",
    "SECURE_PROXY_SSL_HEADER": "1",
    "FIELD_ENCRYPTION_KEY": PRODUCTION_KEY,
}


def test_collectstatic_works_with_the_documented_production_variables(tmp_path):
    env = {"PATH": os.environ["PATH"], **DEPLOYMENT, "STATIC_ROOT": str(tmp_path)}
    result = manage("collectstatic", "--noinput", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    hashed = manifest["paths"]["casework/casework.css"]
    assert hashed != "casework/casework.css" and (tmp_path / hashed).exists()
    assert (tmp_path / (hashed + ".gz")).exists()  # compressed for WhiteNoise


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env=production_env())
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
