"""The permissions each role's group carries; kept in sync after every migrate."""

from django.contrib.auth.models import Group, Permission

from .models import Role

VIEW = [
    "casework.view_case",
    "casework.view_person",
    "casework.view_region",
]
CASEWORKER = VIEW + ["casework.change_case", "casework.work_case"]
COUNTY_SUPERVISOR = VIEW + [
    "casework.change_case",
    "casework.reassign_case",
    "casework.undo_stage",
    "casework.approve_closing",
    "casework.import_roster",
]
CITY_STAFF = VIEW + ["casework.view_user"]
# administrators manage users, regions, settings and imports; they read cases as city staff do
ADMIN = (
    VIEW
    + ["casework.import_roster", "casework.view_exportlog", "casework.view_periodicrun"]
    # a locked (username, address) pair is lifted early by deleting its access attempt
    + ["axes.view_accessattempt", "axes.delete_accessattempt"]
    + [
        f"{app}.{action}_{model}"
        for app, model in [
            ("casework", "user"),
            ("casework", "region"),
            ("auth", "group"),
            ("workflows", "deadlinerule"),
            ("workflows", "calendarday"),
            ("workflows", "escalationstep"),
            ("notifications", "countychannel"),
            ("casework", "retentionrule"),
        ]
        for action in ("view", "add", "change")
    ]
)

ROLE_PERMISSIONS = {
    Role.CASEWORKER: CASEWORKER,
    Role.COUNTY_SUPERVISOR: COUNTY_SUPERVISOR,
    Role.CITY_STAFF: CITY_STAFF,
    Role.ADMIN: ADMIN,
}


def sync_role_groups(**kwargs) -> None:
    """Create the four role groups and give each exactly its permissions (idempotent)."""
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for code in codes:
            app_label, codename = code.split(".")
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
