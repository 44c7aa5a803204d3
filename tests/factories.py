"""Test data built through the services, so that every record carries its history."""

import datetime
import itertools

import factory

from casework import services
from casework.idnumber import make_id_number
from casework.models import Case, Region, User
from casework.selectors import region_resolve

_sequence = itertools.count(1)
SURNAMES = "黄李陈张刘钟曾叶"


def region(path: str) -> Region:
    """A township or village by path, created under its county if missing: 紫金县/紫城镇/新联村."""
    county_name, *rest = path.split("/")
    current = region_resolve(county_name)
    for name in rest:
        current, _ = services.region_ensure(parent=current, name=name)
    return current


def staff(username: str, role: str, *paths: str) -> User:
    user = User.objects.create_user(username=username, password="pw-for-tests-1")
    services.staff_assign(user=user, role=role, regions=[region(path) for path in paths])
    return user


def new_id_number(place: str = "441621", born: datetime.date | None = None) -> str:
    n = next(_sequence)
    born = born or datetime.date(1970, 1, 1) + datetime.timedelta(days=n * 37 % 15000)
    return make_id_number(place, born, n % 999 + 1)


class CaseFactory(factory.Factory):
    """CaseFactory(region=..., name=...): a case registered as the poverty office would."""

    class Meta:
        model = Case

    id_number = factory.LazyFunction(new_id_number)
    name = factory.Sequence(lambda n: SURNAMES[n % len(SURNAMES)] + "测试" + str(n))
    region = factory.LazyFunction(lambda: region("紫金县/紫城镇/新联村"))
    actor = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.case_register(**kwargs)
