"""Build the demo registry deterministically, so that running it twice adds nothing."""

import datetime
import random
from contextlib import contextmanager

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.timers import fire_due_timers

from casework import recording, records, services, survey
from casework.contacts.services import county_contacts_save
from casework.errors import ServiceError
from casework.idnumber import make_id_number
from casework.models import (
    BenefitKind,
    Case,
    CaseEvent,
    CloseReason,
    Course,
    Education,
    EmploymentForm,
    FollowUpStatus,
    Health,
    HouseholdType,
    LocationClass,
    MaritalStatus,
    Person,
    PoliticalStatus,
    PublicPost,
    Reconciliation,
    RecruitmentEvent,
    Region,
    Role,
    Stage,
    StageChange,
    User,
    Vacancy,
    Workshop,
)
from casework.programmes.services import (
    benefit_record,
    enrolment_complete,
    enrolment_record,
    outreach_record,
    placement_record,
    reconciliation_confirm,
)
from casework.selectors import region_resolve
from reports import services as reports
from reports.periods import Month
from supervision import ladder
from supervision import services as supervision
from workflows import services as workflow
from workflows.bookkeeping import follow_up_opens
from workflows.deadlines import WorkCalendar
from workflows.models import CaseTask, TaskKind

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
STAFF = [
    ("admin", "系统管理员", Role.ADMIN, ["河源市"]),
    ("city", "李敏", Role.CITY_STAFF, ["河源市"]),
    ("sup_zijin", "曾志国", Role.COUNTY_SUPERVISOR, ["紫金县"]),
    ("cw_zijin", "钟伟明", Role.CASEWORKER, ["紫金县/紫城镇"]),
    ("cw_zijin2", "黄秀英", Role.CASEWORKER, ["紫金县/紫城镇"]),
    ("cw_longchuan", "刘建华", Role.CASEWORKER, ["龙川县/老隆镇"]),
    # the other counties' staff, so that every demo case has someone working on it
    ("cw_zijin3", "邱丽娟", Role.CASEWORKER, ["紫金县/龙窝镇", "紫金县/九和镇", "紫金县/蓝塘镇"]),
    ("sup_longchuan", "骆海东", Role.COUNTY_SUPERVISOR, ["龙川县"]),
    (
        "cw_longchuan2",
        "温春红",
        Role.CASEWORKER,
        ["龙川县/佗城镇", "龙川县/鹤市镇", "龙川县/黄布镇"],
    ),
    ("sup_yuancheng", "陈志强", Role.COUNTY_SUPERVISOR, ["源城区"]),
    (
        "cw_yuancheng",
        "叶敏",
        Role.CASEWORKER,
        ["源城区/源南镇", "源城区/埔前镇", "源城区/高埔岗街道"],
    ),
    ("sup_lianping", "谢国华", Role.COUNTY_SUPERVISOR, ["连平县"]),
    ("cw_lianping", "赖玲", Role.CASEWORKER, ["连平县/元善镇", "连平县/上坪镇", "连平县/内莞镇"]),
    ("sup_heping", "朱文", Role.COUNTY_SUPERVISOR, ["和平县"]),
    ("cw_heping", "罗艳", Role.CASEWORKER, ["和平县/阳明镇", "和平县/彭寨镇", "和平县/东水镇"]),
    ("sup_dongyuan", "古建军", Role.COUNTY_SUPERVISOR, ["东源县"]),
    ("cw_dongyuan", "何桂英", Role.CASEWORKER, ["东源县/仙塘镇", "东源县/蓝口镇", "东源县/义合镇"]),
    ("sup_jiangdong", "廖明", Role.COUNTY_SUPERVISOR, ["江东新区"]),
    (
        "cw_jiangdong",
        "张涛",
        Role.CASEWORKER,
        ["江东新区/临江镇", "江东新区/古竹镇", "江东新区/城东街道"],
    ),
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
    users = {}
    password = make_password(PASSWORD)  # hashed once: hashing is slow by design
    for username, full_name, role, regions in STAFF:
        user, _ = User.objects.get_or_create(
            username=username, defaults={"first_name": full_name, "password": password}
        )
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


def _caseworkers_by_township(users: dict[str, User]) -> dict[int, list[User]]:
    by_township: dict[int, list[User]] = {}
    for user in users.values():
        if user.role == Role.CASEWORKER:
            for region in user.regions.all():
                by_township.setdefault(region.pk, []).append(user)
    return by_township


def _owner_for(village: Region, caseworkers: dict[int, list[User]], rng, stage: str):
    """The caseworker of the village's township; some new 紫城镇 cases stay in the queue."""
    if village.parent.name == "紫城镇" and stage == Stage.IDENTIFIED and rng.random() < 0.5:
        return None
    workers = caseworkers.get(village.parent_id) or [None]
    return workers[0] if len(workers) == 1 or rng.random() < 0.6 else workers[1]


@transaction.atomic
def seed_demo(*, today: datetime.date | None = None) -> dict[str, int]:
    """Create the demo regions, logins and cases; existing records are left as they are."""
    today = today or timezone.localdate()
    villages_by_county = seed_regions()
    users = seed_staff()
    caseworkers = _caseworkers_by_township(users)
    supervisors = {user.regions.first().pk: user for user in users.values()
                   if user.role == Role.COUNTY_SUPERVISOR}  # fmt: skip
    existing = set(Person.objects.values_list("id_number", flat=True))
    programmes = seed_programmes(supervisors, today)
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
        identified_on = today - datetime.timedelta(
            days=rng.randrange(3, 30) if stage == Stage.IDENTIFIED else rng.randrange(60, 365)
        )
        if id_number in existing:
            continue
        # the walk draws from its own generator, so skipping an existing case keeps the
        # main sequence (and so every later laborer) the same on a second run
        walk_rng = random.Random(id_number)
        walker = DemoWalk(
            today=today, rng=walk_rng, supervisor=supervisors[village.county_id],
            programmes=programmes[village.county_id],
        )  # fmt: skip
        with walker.step(identified_on):
            case = workflow.case_intake(
                id_number=id_number,
                name=name,
                region=village,
                actor=supervisors[village.county_id],
                identified_on=identified_on,
                owner=_owner_for(village, caseworkers, walk_rng, stage),
                source="seed_demo",
                household_no=household_no,
                **fields,
            )
            walker.case_id = case.pk
        walker.walk(case, stage)
        created += 1
    fired = fire_due_timers()
    if created:
        seed_reconciliations(supervisors, today, random.Random(7))
        # after every record is written, so that the frozen figures are the demo's own
        seed_reports(supervisors, users["city"], today)
    seed_contacts(supervisors)
    if created:
        seed_supervision(users["city"], today)
    return {"cases": created, "users": len(users), "follow_ups_opened": fired}


# 附件3's two contacts per county: invented people at example addresses (the county's code makes
# each number and address its own)
DEMO_CONTACTS = {
    "leader": {"name": "{surname}局长", "post": "副局长", "mobile": "1390762{code4}"},
    "liaison": {"name": "{surname}联络", "post": "就业股股长", "mobile": "1360762{code4}"},
}


def seed_contacts(supervisors: dict) -> None:
    """Each county's leader in charge and liaison (附件3), unless the county named them."""
    for county_id, supervisor in supervisors.items():
        county = Region.objects.get(pk=county_id)
        if county.contacts.exists():
            continue
        rows = {}
        for offset, (role, fields) in enumerate(DEMO_CONTACTS.items()):
            rows[role] = {
                "name": fields["name"].format(surname=SURNAMES[(county_id + offset) % 10]),
                "unit": f"{county.name}人力资源和社会保障局",
                "post": fields["post"],
                "office_phone": f"0762-{county.code[-4:]}{offset}00",
                "mobile": fields["mobile"].format(code4=county.code[-4:]),
                "email": f"{role}.{county.code}@hrss.example.cn",
            }
        county_contacts_save(county=county, actor=supervisor, rows=rows)


def seed_programmes(supervisors: dict, today: datetime.date) -> dict[int, dict]:
    """One of each programme per county (made once), dated within the last year."""
    made: dict[int, dict] = {}
    for county_id, boss in supervisors.items():
        county = Region.objects.get(pk=county_id)
        township = Region.objects.filter(parent=county).order_by("code").first()
        day = today - datetime.timedelta(days=200)
        common = {"county": county, "created_by": boss}
        made[county_id] = {
            "events": RecruitmentEvent.objects.get_or_create(
                name=f"{county.name}春风行动专场招聘会", **common,
                defaults={"campaign": "spring_breeze", "held_on": day,
                          "place": f"{county.name}人才市场", "employers": "宝山电子、龙记制衣"},
            )[0],
            "workshops": Workshop.objects.get_or_create(
                name=f"{township.name}就业扶贫车间", **common,
                defaults={"township": township, "enterprise": "河源市龙记制衣有限公司",
                          "founded_on": day, "rent_subsidy": 12000, "utility_subsidy": 3000},
            )[0],
            "posts": PublicPost.objects.get_or_create(
                name=f"{county.name}农村保洁公益岗", **common,
                defaults={"post_type": "cleaning", "positions": 40, "monthly_subsidy": 1500,
                          "employer": f"{county.name}人民政府", "starts_on": day},
            )[0],
            "courses": [
                Course.objects.get_or_create(
                    name=f"{county.name}{title}（{start:%Y年%m月}）", **common,
                    defaults={"kind": kind, "trade": trade, "starts_on": start,
                              "provider": f"{county.name}职业技术学校",
                              "ends_on": start + datetime.timedelta(days=20)},
                )[0]
                for back, title, kind, trade in [
                    (300, "中式烹调师培训班", "skill", "cook"),
                    (180, "创业培训班", "startup", ""),
                    (60, "电工培训班", "skill", "electrician"),
                    (-20, "家政服务员培训班", "skill", "housekeeping"),
                ]
                for start in [today - datetime.timedelta(days=back)]
            ],
            "vacancies": Vacancy.objects.get_or_create(
                name=f"{county.name}电子厂普工", **common,
                defaults={"employer": "紫金县宝山电子厂", "post": "装配工", "positions": 30,
                          "wage": "3000-4000", "place": county.name, "industry": "manufacturing"},
            )[0],
        }  # fmt: skip
    return made


def seed_reconciliations(supervisors: dict, today: datetime.date, rng: random.Random) -> None:
    """A reconciliation round a month ago per county, confirming most of the laborers in work
    on the round's day, with that day."""
    held_on = today - datetime.timedelta(days=30)
    for county_id, boss in supervisors.items():
        round_ = Reconciliation.objects.create(
            county_id=county_id, held_on=held_on, recorded_by=boss, note="与县扶贫办核对",
        )  # fmt: skip
        placed_by_then = Case.objects.filter(
            county_id=county_id, stage_changes__on__lte=held_on,
            stage_changes__to_stage__in=[Stage.EMPLOYED, Stage.FOLLOWED_UP],
        ).distinct().select_related("person").order_by("pk")  # fmt: skip
        in_work = [case for case in placed_by_then if records.employed_on(case, held_on)]
        reconciliation_confirm(
            reconciliation=round_, actor=boss, on=held_on,
            cases=[case for case in in_work if rng.random() < 0.7],
        )  # fmt: skip


class DemoWalk:
    """Moves a new case through its real workflow, dating each step in the past.

    Every step runs the same services as the pages; afterwards the rows the step wrote are
    re-dated to the step's day, so that the demo has a history spread over the last year.
    """

    def __init__(self, *, today: datetime.date, rng: random.Random, supervisor: User,
                 programmes: dict | None = None):  # fmt: skip
        self.programmes = programmes or {}
        self.today = today
        self.rng = rng
        self.supervisor = supervisor
        self.calendar = WorkCalendar()
        self.case_id = None

    @contextmanager
    def step(self, day: datetime.date):
        started = timezone.now()
        yield
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        self._redate(started, moment)

    def _redate(self, started, moment):
        case, process, task = {}, {}, {}
        if self.case_id:
            case = {"case_id": self.case_id}
            processes = list(
                Process.objects.filter(
                    artifact_content_type=ContentType.objects.get_for_model(Case),
                    artifact_object_id=self.case_id,
                ).values_list("pk", flat=True)
            )
            process, task = {"pk__in": processes}, {"process_id__in": processes}
        for model, fields, of_case in [
            (StageChange, ["at"], case),
            (CaseEvent, ["at"], case),
            (Task, ["created", "assigned", "started", "finished"], task),
            (Process, ["created", "finished"], process),
        ]:
            for field in fields:
                rows = model.objects.filter(**of_case, **{f"{field}__gte": started})
                dated = {"on": moment.date()} if model is StageChange else {}
                rows.update(**{field: moment}, **dated)
        new_tasks = CaseTask.objects.filter(task__created=moment, **case)
        for case_task in new_tasks.exclude(kind__in=[TaskKind.SURVEY, TaskKind.FOLLOW_UP]):
            case_task.due_on = self.calendar.due_on(case_task.kind, moment.date())
            case_task.save(update_fields=["due_on"])
        timers = Task.objects.filter(
            created=moment, flow_task_type="TIMER", status="SCHEDULED", **task
        )
        for timer in timers:
            timer.scheduled = follow_up_opens(timer)
            timer.save(update_fields=["scheduled"])

    def _execute(self, case, kind, actor, perform=lambda case: None):
        case_task = CaseTask.objects.get(case=case, kind=kind, task__status__in=["NEW", "ASSIGNED"])
        workflow.task_execute(case_task=case_task, actor=actor, perform=perform)

    def walk(self, case, stage):
        """Survey, help, work, follow-up or closing, each on its own later day."""
        self.case_id = case.pk
        if stage == Stage.IDENTIFIED:
            return
        rng = self.rng
        actor = case.owner
        span = max((self.today - case.identified_on).days, 1)
        steps = {
            Stage.SURVEYED: 1, Stage.ASSISTED: 2, Stage.EMPLOYED: 3,
            Stage.FOLLOWED_UP: 4, Stage.CLOSED: 2,
        }[stage]  # fmt: skip
        days = sorted(rng.sample(range(1, span + 1), min(steps, span)))
        days = [case.identified_on + datetime.timedelta(days=offset) for offset in days]
        days += [days[-1]] * (steps - len(days))
        # the step that opened today's task lies in the last weeks, as in a working office
        recent = self.today - datetime.timedelta(days=rng.randrange(2, 40))
        days[-1] = max(days[-1], recent)
        working_at_survey = stage in (Stage.EMPLOYED, Stage.FOLLOWED_UP) and rng.random() < 0.3
        status = rng.choice(["migrant", "local"]) if working_at_survey else "farming"
        with self.step(days[0]):
            answers = demo_answers(rng, status)
            self._execute(case, TaskKind.SURVEY, actor, lambda case: recording.survey_submit(
                case=case, actor=actor, surveyed_on=days[0], employment_status=status,
                answers=answers))  # fmt: skip
        if rng.random() < 0.5:
            outreach_record(case=case, actor=actor, on=days[0], note="宣讲就业扶持政策")
        if stage == Stage.CLOSED:
            reason = rng.choice(CloseReason.values)
            with self.step(days[1]):
                workflow.closing_request(case=case, actor=actor, reason=reason)
                case_task = CaseTask.objects.get(case=case, kind=TaskKind.CLOSING_APPROVAL)
                workflow.closing_decide(case_task=case_task, actor=self.supervisor, approve=True)
            # the step's day, as its stage change was re-dated
            Case.objects.filter(pk=case.pk).update(closed_on=days[1])
            if reason == CloseReason.LEFT_LIST:
                Case.objects.filter(pk=case.pk).update(left_list_on=days[1])
            return
        if stage == Stage.SURVEYED:
            return
        if not working_at_survey:
            with self.step(days[1]):
                case_task = CaseTask.objects.get(case=case, kind=TaskKind.ASSISTANCE)
                workflow.assistance_record_for_task(
                    case_task=case_task, actor=actor, measure=rng.choice(MEASURES), on=days[1]
                )
            # the next course starting after the help, if any; completed once it has ended
            course = next((c for c in self.programmes["courses"] if c.starts_on >= days[1]), None)
            if course is not None and rng.random() < 0.4:
                enrolment = enrolment_record(case=case, actor=actor, course=course, on=days[1])
                if course.ends_on <= self.today and rng.random() < 0.8:
                    enrolment_complete(enrolment=enrolment, actor=actor, on=course.ends_on)
            if rng.random() < 0.3:
                benefit_record(
                    case=case, actor=actor, kind=rng.choice(BenefitKind.values), on=days[1],
                    amount=rng.choice([200, 500, 1000]),
                )  # fmt: skip
            if stage == Stage.ASSISTED:
                return
            if rng.random() < 0.4:
                programme = self.programmes[rng.choice(["events", "workshops", "posts"])]
                with self.step(days[2]):
                    self._place(case, actor, programme, days[2])
                self._follow_up(case, stage, days, actor)
                return
            with self.step(days[2]):
                self._execute(case, TaskKind.ASSISTANCE, actor)
        with self.step(days[2]):
            details = {
                "started_on": days[2], "employer": rng.choice(EMPLOYERS), "post": rng.choice(POSTS),
                "location_class": rng.choice(LocationClass.values),
                "form": rng.choice(EmploymentForm.values),
            }  # fmt: skip
            self._execute(case, TaskKind.EMPLOYMENT, actor, lambda case: (
                recording.employment_record(case=case, actor=actor, **details)))  # fmt: skip
        self._follow_up(case, stage, days, actor)

    def _place(self, case, actor, programme, day):
        """Place through the programme, naming who hired at an event; a public post that is
        full or not open that day leaves the laborer to the township's workshop."""
        hired = {}
        if isinstance(programme, RecruitmentEvent):
            hired = {"employer": self.rng.choice(programme.employers.split("、")),
                     "post": self.rng.choice(POSTS)}  # fmt: skip
        try:
            placement_record(case=case, actor=actor, programme=programme, on=day, **hired)
        except ServiceError:
            placement_record(case=case, actor=actor, programme=self.programmes["workshops"],
                             on=day)  # fmt: skip

    def _follow_up(self, case, stage, days, actor):
        if stage == Stage.FOLLOWED_UP:
            with self.step(days[3]):
                timer = Task.objects.get(
                    process__artifact_object_id=case.pk, flow_task_type="TIMER", status="SCHEDULED"
                )
                with timer.activation() as activation:
                    activation.start()
                    activation.execute()
                record = lambda case: recording.follow_up_record(  # noqa: E731
                    case=case, actor=actor, status=FollowUpStatus.STILL_WORKING,
                    followed_up_on=days[3],
                )  # fmt: skip
                self._execute(case, TaskKind.FOLLOW_UP, actor, record)


def demo_answers(rng: random.Random, status: str) -> dict:
    """Plausible answers of the survey form: employment details, or wishes."""
    if status in survey.WORKING:
        return {
            "employer_post": f"{rng.choice(EMPLOYERS)} {rng.choice(POSTS)}",
            "location_class": rng.choice(survey.LocationClass.values),
            "employment_form": rng.choice(survey.EmploymentForm.values),
            "income_band": rng.choice(survey.IncomeBand.values[:3]),
            "channel": rng.choice(survey.Channel.values),
            "industry": rng.choice(survey.Industry.values[:-1]),
        }
    training = rng.random() < 0.6
    kind = rng.choice([survey.TrainingKind.SKILL] * 3 + [survey.TrainingKind.STARTUP])
    startup = rng.random() < 0.15
    return {
        "reasons": rng.sample(survey.NotWorkingReason.values, rng.choice((1, 2))),
        "wished_location": rng.choice(survey.WishedLocation.values),
        "wished_form": rng.choice(survey.WishedForm.values[:3]),
        "employer_type": rng.choice(survey.EmployerType.values[:3]),
        "wage_expectation": rng.choice(survey.IncomeBand.values[:3]),
        "training_wish": "yes" if training else "no",
        "training_kind": kind if training else "",
        "training_trade": rng.choice(survey.Trade.values[:-1])
        if training and kind == "skill"
        else "",
        "startup_wish": "yes" if startup else "no",
        "startup_project_wish": rng.choice(["养鸡", "种植百香果", "开小卖部"]) if startup else "",
    }


MEASURES = ["referral", "workshop", "public_post", "training", "policy"]
EMPLOYERS = ["紫金县宝山电子厂", "河源市龙记制衣有限公司", "东莞市长安五金厂", "深圳市富华物流",
             "龙川县佗城扶贫车间", "本村农村保洁公益岗", "源城区汇景酒店"]  # fmt: skip
POSTS = ["普工", "缝纫工", "仓管员", "保洁员", "厨工", "搬运工", "质检员"]


# the demo's monthly reports: the three months before last submitted on the 2nd of the next
# month (连平县's once on the 10th, late) and accepted by the city; last month submitted by every
# county but 紫金县, whose report stays a draft to submit in the demo
LATE_COUNTY = "441623"
DRAFT_COUNTY = "441621"


def seed_reports(supervisors: dict, city: User, today: datetime.date) -> None:
    last = Month.of(today).previous()
    months = [last.previous().previous().previous(), last.previous().previous(), last.previous()]
    for county_id, boss in supervisors.items():
        county = boss.regions.first()
        for month in [*months, last]:
            if month == last and county.code == DRAFT_COUNTY:
                continue
            day = 10 if county.code == LATE_COUNTY and month == months[-1] else 2
            at = timezone.make_aware(datetime.datetime.combine(
                month.next().first.replace(day=day), datetime.time(10)))  # fmt: skip
            if timezone.localdate(at) > today:
                continue
            round_ = reports.reconciliations_in(county_id, month).first()
            submission = reports.report_submit(
                county=county, month=month, actor=boss, at=at, remarks="",
                reconciliation_id=round_.pk if round_ else None,
                no_reconciliation_reason="" if round_ else "与县扶贫办电话核对，无书面记录",
            )  # fmt: skip
            if month != last:
                reports.report_decide(report=submission.report, actor=city, accept=True)


# the share of each county's open tasks the demo leaves overdue: the walk leaves most of them
# past due, which would put every county on the ladder's top step; these spread the counties
DEMO_OVERDUE_SHARE = {"441602": 4, "441621": 30, "441622": 8, "441623": 9, "441624": 3,
                      "441625": 14, "441699": 6}  # fmt: skip


def overdue_spread(today: datetime.date) -> None:
    """Keep about each county's DEMO_OVERDUE_SHARE of its tasks late, as the walk left them;
    the others were done by their due date (a finished one is due on the day it was done at the
    latest) or are due in the coming three weeks (an open one)."""
    for county in Region.objects.filter(level=Region.Level.COUNTY):
        share = DEMO_OVERDUE_SHARE.get(county.code, 5)
        tasks = CaseTask.objects.filter(county=county).order_by("pk")
        rows = tasks.values_list("pk", "due_on", "task__finished", "task__status")
        for n, (pk, due_on, finished, status) in enumerate(rows):
            if n % 100 < share:
                continue  # one of the late ones
            if finished is not None and timezone.localdate(finished) > due_on:
                tasks.filter(pk=pk).update(due_on=timezone.localdate(finished))
            elif finished is None and status in ("NEW", "ASSIGNED", "STARTED") and due_on < today:
                tasks.filter(pk=pk).update(due_on=today + datetime.timedelta(days=1 + n % 21))


def seed_supervision(city: User, today: datetime.date) -> None:
    """The ladder's last three months, assessed as cron would have at each month's start (after
    the contacts, whom its steps tell), and an inspection of 连平县 last month."""
    overdue_spread(today)
    last = Month.of(today).previous()
    for month in (last.previous().previous(), last.previous(), last):
        start = ladder.start_of(month.next().first) + datetime.timedelta(hours=8)
        ladder.county_escalations_run(start)
    supervision.inspection_record(
        county=region_resolve("连平县"), actor=city, held_on=last.first.replace(day=20),
        inspectors="市局就业促进科 李科长、王主任",
        findings="部分贫困劳动力未按期入户调查；台账与扶贫办名单有3人不一致。",
        follow_up="一个月内完成补调查并与县扶贫办重新核对名单。",
        follow_up_due=last.next().first.replace(day=20),
    )  # fmt: skip
