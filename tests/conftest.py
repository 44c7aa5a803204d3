import pytest
from django.core.cache import cache

from casework.models import Role
from tests import output_scan
from tests.factories import CaseFactory, region, staff
from tests.output_scan import _output_scan_installed, no_full_numbers_in_outputs  # noqa: F401
from tests.resolver import MATRIX_REQUESTS


@pytest.fixture
def zicheng(db):
    return region("紫金县/紫城镇/新联村")


@pytest.fixture
def laolong(db):
    return region("龙川县/老隆镇/水口村")


@pytest.fixture
def caseworker(db):
    return staff("cw_zijin", Role.CASEWORKER, "紫金县/紫城镇")


@pytest.fixture
def other_caseworker(db):
    return staff("cw_longchuan", Role.CASEWORKER, "龙川县/老隆镇")


@pytest.fixture
def supervisor(db):
    return staff("sup_zijin", Role.COUNTY_SUPERVISOR, "紫金县")


@pytest.fixture
def city(db):
    return staff("city", Role.CITY_STAFF, "河源市")


@pytest.fixture
def administrator(db):
    return staff("admin", Role.ADMIN, "河源市")


@pytest.fixture
def zijin_case(zicheng):
    return CaseFactory(region=zicheng, name="钟秀英")


@pytest.fixture
def longchuan_case(laolong):
    return CaseFactory(region=laolong, name="刘建国", id_number="441622197803124513")


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path_factory):
    """Files kept under MEDIA_ROOT (rosters, background exports) go to a folder of the test."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Counters and progress kept in the cache (find limits, import progress) start at zero."""
    cache.clear()


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(output_scan.summary())
    """The number of requests the generated access matrix made (docs/access.md)."""
    if MATRIX_REQUESTS[0]:
        terminalreporter.write_line(f"access matrix: {MATRIX_REQUESTS[0]} requests")
