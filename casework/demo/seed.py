"""Build the demo registry deterministically, so that running it twice adds nothing."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from casework import services
from casework.idnumber import make_id_number
from casework.models import (
    CloseReason,
    Education,
    Health,
    HouseholdType,
    MaritalStatus,
    Person,
    PoliticalStatus,
    Region,
    Role,
    Stage,
    User,
)

PASSWORD = "casework-demo"

TOWNSHIPS = {
    "441602": ["源南镇", "埔前镇", "高埔岗街道"],
    "441621": ["紫城镇", "龙窝镇", "九和镇", "蓝塘镇"],
    "441622": ["老隆镇", "佗城镇", "鹤市镇", "黄布镇"],
    "441623": ["元善镇", "上坪镇", "内莞镇"],
    "441624": ["阳明镇", "彭寨镇", "东水镇"],
    "441625": ["仙塘镇", "蓝口镇", "义合镇"],
    "441699": ["临江镇", "古竹镇", "城东街道"],
}
VILLAGES = [
    "新联村", "上围村", "下屯村", "石坑村", "黄塘村", "岭头村", "水口村", "东坑村",
    "坪地村", "河背村", "田心村", "高陂村", "中心村", "联丰村", "龙石村", "富石村",
]  # fmt: skip
# Share of the demo's cases per county (紫金 and 龙川 hold the demo caseworkers).
COUNTY_WEIGHTS = {
    "441602": 10, "441621": 30, "441622": 22, "441623": 9,
    "441624": 9, "441625": 12, "441699": 8,
}  # fmt: skip
SURNAMES = "黄李陈张刘钟曾叶邱赖罗温谢朱古骆廖何"
GIVEN = "伟芳娟敏静丽强磊军洋勇艳杰娜涛明超秀英华平辉玲桂金梅海东志国建文春红亮兰凤"
ETHNICITIES = ["汉"] * 18 + ["畲", "瑶"]
STAGE_WEIGHTS = [
    (Stage.IDENTIFIED, 24),
    (Stage.SURVEYED, 18),
    (Stage.ASSISTED, 20),
    (Stage.EMPLOYED, 15),
    (Stage.FOLLOWED_UP, 14),
    (Stage.CLOSED, 9),
]
PATHS = {
    Stage.IDENTIFIED: [],
    Stage.SURVEYED: ["survey"],
    Stage.ASSISTED: ["survey", "assist"],
    Stage.EMPLOYED: ["survey", "assist", "place"],
    Stage.FOLLOWED_UP: ["survey", "assist", "place", "follow_up"],
}
STAFF = [
    ("admin", "系统管理员", Role.ADMIN, ["河源市"]),
    ("city", "李敏", Role.CITY_STAFF, ["河源市"]),
    ("sup_zijin", "曾志国", Role.COUNTY_SUPERVISOR, ["紫金县"]),
    ("cw_zijin", "钟伟明", Role.CASEWORKER, ["紫金县/紫城镇"]),
    ("cw_zijin2", "黄秀英", Role.CASEWORKER, ["紫金县/紫城镇"]),
    ("cw_longchuan", "刘建华", Role.CASEWORKER, ["龙川县/老隆镇"]),
]
CASE_COUNT = 600


def seed_regions() -> dict[str, list[Region]]:
    """Townships and three or four villages each; returns villages per county code."""
    villages_by_county: dict[str, list[Region]] = {}
    rng = random.Random(441600)
    for county in Region.objects.filter(code__in=TOWNSHIPS).order_by("code"):
        for township_name in TOWNSHIPS[county.code]:
            township, _ = services.region_ensure(parent=county, name=township_name)
            for village_name in rng.sample(VILLAGES, 3 + (township_name == "紫城镇")):
                village, _ = services.region_ensure(parent=township, name=village_name)
                villages_by_county.setdefault(county.code, []).append(village)
    return villages_by_county


def seed_staff() -> dict[str, User]:
    from casework.selectors import region_resolve

    users = {}
    for username, full_name, role, regions in STAFF:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": full_name}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        services.staff_assign(
            user=user, role=role, regions=[region_resolve(path) for path in regions]
        )
        users[username] = user
    return users


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _person_fields(rng: random.Random, surname: str) -> dict:
    return {
        "ethnicity": rng.choice(ETHNICITIES),
        "household_type": rng.choice(
            [HouseholdType.AGRICULTURAL] * 9 + [HouseholdType.NON_AGRICULTURAL]
        ),
        "phone": rng.choice(["138", "139", "135", "150", "158", "186", "189"])
        + f"{rng.randrange(10**8):08d}",
        "education": _pick(
            rng,
            [
                (Education.ILLITERATE, 3),
                (Education.PRIMARY, 20),
                (Education.JUNIOR, 40),
                (Education.SENIOR, 15),
                (Education.TECHNICAL, 5),
                (Education.VOCATIONAL, 10),
                (Education.JUNIOR_COLLEGE, 5),
                (Education.UNIVERSITY, 2),
            ],
        ),  # fmt: skip
        "health": _pick(rng, [(Health.HEALTHY, 80), (Health.FRAIL, 14), (Health.DISABLED, 6)]),
        "marital_status": _pick(
            rng,
            [
                (MaritalStatus.MARRIED, 70),
                (MaritalStatus.SINGLE, 22),
                (MaritalStatus.DIVORCED, 4),
                (MaritalStatus.WIDOWED, 4),
            ],
        ),  # fmt: skip
        "political_status": _pick(
            rng,
            [
                (PoliticalStatus.MASSES, 88),
                (PoliticalStatus.PARTY_MEMBER, 5),
                (PoliticalStatus.LEAGUE_MEMBER, 6),
                (PoliticalStatus.PROBATIONARY, 1),
            ],
        ),  # fmt: skip
    }


def _owner_for(village: Region, users: dict[str, User], rng: random.Random, stage: str):
    township = village.parent.name
    if township == "紫城镇":
        # some new cases stay unassigned, so that the demo's queue is never empty
        if stage == Stage.IDENTIFIED and rng.random() < 0.5:
            return None
        return users["cw_zijin"] if rng.random() < 0.6 else users["cw_zijin2"]
    if township == "老隆镇":
        return users["cw_longchuan"]
    return None


@transaction.atomic
def seed_demo(*, today: datetime.date | None = None) -> dict[str, int]:
    """Create the demo regions, logins and cases; existing records are left as they are."""
    today = today or timezone.localdate()
    villages_by_county = seed_regions()
    users = seed_staff()
    rng = random.Random(2018)
    created = 0
    households: list[tuple[Region, str, str]] = []  # (village, household number, surname)
    county_codes, weights = zip(*COUNTY_WEIGHTS.items(), strict=True)
    sequence = 0
    while sequence < CASE_COUNT:
        # one in three laborers joins an earlier household of the same village
        if households and rng.random() < 0.33:
            village, household_no, surname = rng.choice(households)
        else:
            county_code = rng.choices(county_codes, weights=weights)[0]
            village = rng.choice(villages_by_county[county_code])
            surname = rng.choice(SURNAMES)
            household_no = f"{village.code}{len(households) + 1:04d}"
            households.append((village, household_no, surname))
        sequence += 1
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 42))
        id_number = make_id_number(village.county.code, born, rng.randrange(1, 999))
        name = surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        stage = _pick(rng, STAGE_WEIGHTS)
        fields = _person_fields(rng, surname)
        identified_on = today - datetime.timedelta(days=rng.randrange(20, 365))
        if Person.objects.filter(id_number=id_number).exists():
            continue
        # the walk draws from its own generator, so skipping an existing case keeps the
        # main sequence (and so every later laborer) the same on a second run
        walk_rng = random.Random(id_number)
        case = services.case_register(
            id_number=id_number,
            name=name,
            region=village,
            actor=users["sup_zijin"] if village.county.code == "441621" else None,
            identified_on=identified_on,
            owner=_owner_for(village, users, walk_rng, stage),
            source="seed_demo",
            household_no=household_no,
            **fields,
        )
        _walk(case, stage, identified_on, today, walk_rng, users)
        created += 1
    return {"cases": created, "users": len(users)}


def _walk(case, stage, identified_on, today, rng, users):
    """Move a new case along the lifecycle to its demo stage, on dates after identification."""
    actor = case.owner
    span = max((today - identified_on).days, 1)
    path = PATHS[stage] if stage in PATHS else PATHS[rng.choice([Stage.SURVEYED, Stage.ASSISTED])]
    days = sorted(rng.sample(range(1, span + 1), min(len(path) + 1, span)))
    for transition, offset in zip(path, days, strict=False):
        at = timezone.make_aware(
            datetime.datetime.combine(
                identified_on + datetime.timedelta(days=offset), datetime.time(10)
            )
        )
        services.case_transition(case=case, transition=transition, actor=actor, at=at)
    if stage == Stage.CLOSED:
        reason = rng.choice(CloseReason.values)
        at = timezone.make_aware(
            datetime.datetime.combine(
                identified_on + datetime.timedelta(days=days[-1]), datetime.time(15)
            )
        )
        services.case_close(case=case, reason=reason, actor=users["sup_zijin"], at=at)
