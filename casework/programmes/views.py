"""Programme pages: the list and form of each kind, a programme's page with its batch of
placements or enrolments; outreach and benefits recorded from the case page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import access, exports
from casework.errors import ServiceError, posted_ids
from casework.models import Course, Reconciliation
from casework.survey import Industry, Trade, YesNo

from . import corrections
from . import services as programmes
from .forms import (
    BatchForm,
    BenefitForm,
    OutreachForm,
    PlacementForm,
    ReconciliationForm,
    programme_form_class,
)

# columns whose codes are labelled by the survey's lists, not by the model's field
CHOICES_OF = {"trade": dict(Trade.choices), "industry": dict(Industry.choices)}


def _kind(slug):
    kind = programmes.KINDS.get(slug)
    if kind is None:
        raise Http404("No such programme kind.")
    return kind


def programme_cell(item, column: str):
    """A programme's value as people read it: choice labels, 是/否, never a code."""
    value = getattr(item, column)
    if isinstance(value, bool):
        return YesNo.YES.label if value else YesNo.NO.label
    labels = CHOICES_OF.get(column)
    if labels is not None:
        return labels.get(value, value)
    return getattr(item, f"get_{column}_display", lambda: value)()


def programme_index(request):
    return render(request, "casework/programmes.html",
                  {"kinds": programmes.programme_counts(request.user)})  # fmt: skip


def programme_list(request, kind):
    kind = _kind(kind)
    form_class = programme_form_class(kind, request.user)
    form = None
    if access.may_manage_programmes(request.user):
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            programme = programmes.programme_create(
                programme=form.save(commit=False), actor=request.user
            )
            messages.success(request, _("Saved."))
            return redirect("programmes:detail", kind=kind.slug, pk=programme.pk)
    elif request.method == "POST":
        raise PermissionDenied
    # the places a programme names are read with it (a village's name is one join, not a query)
    places = [c for c in kind.columns if kind.model._meta.get_field(c).is_relation]
    items = list(
        programmes.programmes_visible_to(request.user, kind.model).select_related(
            "county", *places
        )[:200]
    )
    rows = [[programme_cell(item, c) for c in kind.columns] for item in items]
    headers = [form_class.base_fields[c].label for c in kind.columns]
    context = {"kind": kind, "form": form, "items": list(zip(items, rows, strict=True)),
               "headers": headers}  # fmt: skip
    return render(request, "casework/programme_list.html", context)


def _report(request, done: int, refused: list) -> None:
    if done:
        messages.success(request, _("%(count)s recorded.") % {"count": done})
    for reason in refused:
        messages.error(request, reason)


def _batch(request, kind, programme, form) -> None:
    """Invite the ticked matching laborers, or place or enrol the ticked candidates."""
    user, ticked, on = request.user, posted_ids(request.POST, "case"), form.cleaned_data["on"]
    if request.POST.get("action") == "invite":
        chosen = programmes.matches_for(programme, user).filter(pk__in=ticked)
        count = programmes.invitations_record(
            programme=programme, actor=user, cases=list(chosen), on=on
        )
        return _report(request, count, [])
    if kind.action == "invite":
        raise Http404("Nobody is placed through a vacancy.")
    chosen = programmes.candidates_for(programme, user).filter(pk__in=ticked)
    _report(request, *programmes.batch_record(
        programme=programme, actor=user, cases=list(chosen), on=on, **form.hired()
    ))  # fmt: skip


def programme_detail(request, kind, pk):
    kind = _kind(kind)
    user = request.user
    programme = access.county_record_visible_or_404(user, kind.model, pk)
    form = PlacementForm(request.POST or None, programme=programme)
    open_ = programme.closed_on is None
    may_work = access.may_work_cases(user)
    if request.method == "POST":
        access.require(may_work)
        if form.is_valid():
            try:
                _batch(request, kind, programme, form)
            except ServiceError as error:
                messages.error(request, error.message)
            return redirect(request.path)
    context = {
        "kind": kind,
        "programme": programme,
        "facts": corrections.programme_facts(programme, kind.fields),
        "changes": corrections.programme_changes(programme),
        "may_manage": access.may_manage_programmes(user, programme.county_id),
        # the lists to tick are shown only to those who may record for them, while it is open
        "candidates": programmes.candidates_for(programme, user)[:300]
        if may_work and open_ and kind.action != "invite" else None,
        "matches": programmes.matches_for(programme, user)[:300] if may_work and open_ else None,
        "invitations": access.of_visible_cases(user, programmes.invitations_of(programme)),
        "form": form,
        "may_work": may_work,
        "placements": access.of_visible_cases(user, programme.placement_set)
        .select_related("case__person") if kind.action == "place" else None,
        "not_started": isinstance(programme, Course) and programme.starts_on > timezone.localdate(),
        "enrolments": access.of_visible_cases(user, programme.enrolments)
        .select_related("case__person") if isinstance(programme, Course) else None,
    }  # fmt: skip
    return render(request, "casework/programme_detail.html", context)


def programme_edit(request, kind, pk):
    """Correct a programme's fields: the county's supervisor; every change is logged."""
    kind = _kind(kind)
    programme = access.county_record_visible_or_404(request.user, kind.model, pk)
    access.require(access.may_manage_programmes(request.user, programme.county_id))
    form_class = programme_form_class(kind, request.user, editing=True)
    form = form_class(request.POST or None, instance=kind.model.objects.get(pk=programme.pk))
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.fields}
        try:
            corrections.programme_edit(programme=programme, actor=request.user, values=values)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("programmes:detail", kind=kind.slug, pk=programme.pk)
    context = {"kind": kind, "programme": programme, "form": form}
    return render(request, "casework/programme_edit.html", context)


@require_POST
def programme_close(request, kind, pk):
    """Close a programme: it takes nobody new; what it has stays (nothing is deleted)."""
    kind = _kind(kind)
    programme = access.county_record_visible_or_404(request.user, kind.model, pk)
    access.require(access.may_manage_programmes(request.user, programme.county_id))
    try:
        corrections.programme_close(programme=programme, actor=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The programme is closed: it takes nobody new."))
    return redirect("programmes:detail", kind=kind.slug, pk=programme.pk)


@require_POST
def enrolment_complete(request, pk):
    enrolment = access.enrolment_visible_or_404(request.user, pk)
    access.require(access.may_work_case(request.user, enrolment.case))
    on = BatchForm(request.POST).date()
    try:
        programmes.enrolment_complete(enrolment=enrolment, actor=request.user, on=on)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Recorded."))
    return redirect("programmes:detail", kind="courses", pk=enrolment.course_id)


def _case_record(request, pk, form_class, service):
    case = access.case_visible_or_404(request.user, pk)
    if request.method != "POST":
        return redirect(case.get_absolute_url())
    access.require(access.may_work_case(request.user, case))
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(case=case, actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Recorded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(case.get_absolute_url())


def case_outreach(request, pk):
    return _case_record(request, pk, OutreachForm, programmes.outreach_record)


def case_benefit(request, pk):
    return _case_record(request, pk, BenefitForm, programmes.benefit_record)


def reconciliation_list(request):
    may_create = access.may_reconcile(request.user)
    form = ReconciliationForm(request.POST or None, user=request.user) if may_create else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            round_ = programmes.reconciliation_create(
                reconciliation=form.save(commit=False), actor=request.user
            )
            return redirect("programmes:reconciliation", pk=round_.pk)
    rounds = programmes.reconciliations_visible_to(request.user).select_related("county")
    return render(request, "casework/reconciliations.html", {"form": form, "rounds": rounds[:100]})


def reconciliation_detail(request, pk):
    round_ = access.county_record_visible_or_404(request.user, Reconciliation, pk)
    form = BatchForm(request.POST or None,
                     initial={"on": min(round_.held_on, timezone.localdate())})  # fmt: skip
    if request.method == "POST":
        access.require(access.may_reconcile(request.user, round_.county_id))
        chosen = access.cases_visible_to(request.user).filter(
            county_id=round_.county_id, pk__in=posted_ids(request.POST, "case")
        )
        try:
            _report(request, *programmes.reconciliation_confirm(
                reconciliation=round_, actor=request.user, on=form.date(),
                cases=list(chosen.select_related("person")),
            ))  # fmt: skip
        except ServiceError as error:
            messages.error(request, error.message)
        return redirect(request.path)
    context = {
        "round": round_, "form": form,
        "confirmations": programmes.confirmations_of(round_, request.user),
        "candidates": programmes.reconciliation_candidates(round_, request.user)[:500],
        "may_export": access.may_export_full_ids(request.user),
        "may_confirm": access.may_reconcile(request.user, round_.county_id),
    }  # fmt: skip
    return render(request, "casework/reconciliation.html", context)


def reconciliation_export(request, pk):
    """The round's list for the poverty office, with full ID numbers, in the background when
    large; recorded."""
    access.county_record_visible_or_404(request.user, Reconciliation, pk)
    access.require(access.may_export_full_ids(request.user))
    return exports.export_answer(request, "reconciliation", {"pk": pk})


@exports.maker("reconciliation")
def reconciliation_export_made(user, params: dict) -> exports.Export:
    round_ = access.county_record_visible_or_404(user, Reconciliation, params["pk"])
    access.require(access.may_export_full_ids(user))
    header = [_("ID number"), _("name"), _("township"), _("village"), _("stage"),
              _("employer"), _("start date")]  # fmt: skip
    return exports.Export(
        kind="reconciliation", filename=f"reconciliation-{round_.pk}.xlsx",
        description=f"{round_} #{round_.pk}", full_id_numbers=True,
        sheets=lambda: [exports.Sheet(_("Reconciliation"), header,
                                      programmes.reconciliation_rows(round_, user))],
        counted=programmes.reconciliation_cases(round_, user),
    )  # fmt: skip
