"""The contact table's pages: the table, a county's contacts and their changes, the edit form,
and the workbook in the form's layout (附件3)."""

import copy

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from casework import access, exports
from casework.errors import ServiceError
from casework.idnumber import mask_numbers_in_text, mask_phone
from casework.models import ContactRole, CountyContact

from . import selectors, services
from .forms import ContactForm

TITLE = "河源市就业技能精准扶贫组织化程度工作联系表"
# the official table's columns, for each role
COLUMNS = ("姓名", "单位及职务", "办公电话", "手机号码", "电子邮箱", "QQ号码", "微信号码")
ROLE_HEADINGS = {ContactRole.LEADER: "分管局领导", ContactRole.LIAISON: "联络员"}


def shown(row: selectors.CountyContacts, *, full_mobiles: bool) -> list[tuple]:
    """A county's rows as the page shows them: (role label, contact, mobile as shown)."""
    rows = []
    for _role, label, contact in row.by_role:
        if contact is None:
            rows.append((label, None, ""))
        elif full_mobiles:
            rows.append((label, contact, contact.mobile))
        else:
            rows.append((label, _mobiles_masked(contact), mask_phone(contact.mobile)))
    return rows


def _mobiles_masked(contact: CountyContact) -> CountyContact:
    """A copy to show with every mobile number masked, also one typed as the office phone, QQ
    or WeChat (a WeChat id is often the bound mobile)."""
    shown = copy.copy(contact)
    for name in ("office_phone", "qq", "wechat"):
        setattr(shown, name, mask_numbers_in_text(getattr(contact, name)))
    return shown


def contact_index(request):
    """Every county the user reads, its leader in charge and liaison (the form's rows)."""
    full_mobiles = access.may_see_contact_mobiles(request.user)
    counties = [
        (row.county, access.may_edit_contacts(request.user, row.county),
         shown(row, full_mobiles=full_mobiles))
        for row in selectors.contact_table(request.user)
    ]  # fmt: skip
    context = {"counties": counties, "may_export": access.may_export_contacts(request.user)}
    return render(request, "casework/contacts.html", context)


def contact_county(request, pk):
    """One county's contacts and who changed them when."""
    county = access.contact_county_visible_or_404(request.user, pk)
    (row,) = selectors.contact_table(request.user, counties=[county])
    full_mobiles = access.may_see_contact_mobiles(request.user)
    context = {
        "county": county,
        "rows": shown(row, full_mobiles=full_mobiles),
        "changes": [(change, change_details(change, full_mobiles=full_mobiles))
                    for change in selectors.contact_changes(county)],
        "may_edit": access.may_edit_contacts(request.user, county),
    }  # fmt: skip
    return render(request, "casework/contact_county.html", context)


def change_details(change, *, full_mobiles: bool = True) -> list[tuple[str, str, str]]:
    """A logged change worded: (field label, before, after); a mobile was logged masked, one
    typed in another field is masked for those who see no mobiles."""
    shown = (lambda value: value) if full_mobiles else mask_numbers_in_text
    return [
        (str(CountyContact._meta.get_field(item["field"]).verbose_name),
         shown(item["from"]) or "—", shown(item["to"]) or "—")
        for item in change.data.get("changes", [])
    ]  # fmt: skip


def contact_edit(request, pk):
    """Enter or correct a county's leader in charge and liaison: its supervisor only."""
    county = access.contact_county_visible_or_404(request.user, pk)
    access.require(access.may_edit_contacts(request.user, county))
    (row,) = selectors.contact_table(request.user, counties=[county])
    data = request.POST if request.method == "POST" else None
    forms = [
        (role, label, ContactForm(data, prefix=role, contact=contact))
        for role, label, contact in row.by_role
    ]
    if data is not None and all(form.is_valid() for _role, _label, form in forms):
        rows = {role: form.cleaned_data for role, _label, form in forms}
        try:
            changed = services.county_contacts_save(county=county, actor=request.user, rows=rows)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved.") if changed else _("Nothing was changed."))
            return redirect("contacts:county", pk=county.pk)
    return render(request, "casework/contact_edit.html", {"county": county, "forms": forms})


@require_GET
def contact_export(request):
    """The contact table as a workbook in the layout of 附件3, one row per county."""
    access.require(access.may_export_contacts(request.user))
    table = selectors.contact_table(request.user)
    sheet = contact_sheet(table, full_mobiles=access.may_see_contact_mobiles(request.user))
    return exports.xlsx_response(
        [sheet], filename=f"联系表-{timezone.localdate():%Y%m%d}.xlsx", actor=request.user,
        kind="contacts", description=f"附件3 联系表 ({len(table)})",
    )  # fmt: skip


def contact_sheet(table: list[selectors.CountyContacts], *, full_mobiles: bool) -> exports.Sheet:
    """附件3's layout: the title, 填报单位 and 填报日期, two header rows (the role over its
    columns), then one row per county."""
    width = 1 + 2 * len(COLUMNS)
    reporter = table[0].county.name if len(table) == 1 else "河源市"
    today = timezone.localdate()
    preamble = [
        [TITLE],
        [f"填报单位：{reporter}", *[""] * (len(COLUMNS) - 1), f"填报日期：{today:%Y年%m月%d日}"],
        ["县（区）", ROLE_HEADINGS[ContactRole.LEADER], *[""] * (len(COLUMNS) - 1),
         ROLE_HEADINGS[ContactRole.LIAISON]],
    ]  # fmt: skip
    last = exports.column_letter(width)
    middle = exports.column_letter(1 + len(COLUMNS))
    merged = [
        f"A1:{last}1",
        f"A2:{exports.column_letter(len(COLUMNS))}2",
        f"{exports.column_letter(len(COLUMNS) + 1)}2:{last}2",
        "A3:A4",
        f"B3:{middle}3",
        f"{exports.column_letter(2 + len(COLUMNS))}3:{last}3",
    ]
    rows = [
        [row.county.name, *_cells(row.leader, full_mobiles), *_cells(row.liaison, full_mobiles)]
        for row in table
    ]
    return exports.Sheet(
        title="附件3", header=["", *COLUMNS, *COLUMNS], rows=rows,
        widths=[12, *[10, 24, 16, 14, 24, 12, 14] * 2], preamble=preamble, merged=merged,
    )  # fmt: skip


def _cells(contact: CountyContact | None, full_mobiles: bool) -> list[str]:
    if contact is None:
        return [""] * len(COLUMNS)
    mobile = contact.mobile if full_mobiles else mask_phone(contact.mobile)
    unit_and_post = " ".join(part for part in (contact.unit, contact.post) if part)
    return [contact.name, unit_and_post, contact.office_phone, mobile, contact.email,
            contact.qq, contact.wechat]  # fmt: skip
