"""Programme pages: the list and form of each kind, a programme's page with its batch of
placements or enrolments; outreach and benefits recorded from the case page."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import access, programmes
from .models import BenefitKind, Course, Enrolment
from .services import ServiceError


def _kind(slug):
    kind = programmes.KINDS.get(slug)
    if kind is None:
        raise Http404("No such programme kind.")
    return kind


def programme_index(request):
    return render(request, "casework/programmes.html",
                  {"kinds": programmes.programme_counts(request.user)})  # fmt: skip


def programme_list(request, kind):
    kind = _kind(kind)
    form_class = programmes.programme_form_class(kind, request.user)
    may_create = access.is_supervisor(request.user) and access.may_import(request.user)
    form = None
    if may_create:
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            programme = form.save(commit=False)
            programme.created_by = request.user
            programme.save()
            messages.success(request, _("Saved."))
            return redirect("programmes:detail", kind=kind.slug, pk=programme.pk)
    elif request.method == "POST":
        raise PermissionDenied
    items = programmes.programmes_visible_to(request.user, kind.model).select_related("county")
    rows = [[getattr(item, f"get_{c}_display", lambda c=c, item=item: getattr(item, c))()
             for c in kind.columns] for item in items[:200]]  # fmt: skip
    headers = [kind.model._meta.get_field(c).verbose_name for c in kind.columns]
    context = {"kind": kind, "form": form, "items": list(zip(items[:200], rows, strict=False)),
               "headers": headers}  # fmt: skip
    return render(request, "casework/programme_list.html", context)


class BatchForm(forms.Form):
    on = forms.DateField(
        label=gettext_lazy("date"), initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip


def programme_detail(request, kind, pk):
    kind = _kind(kind)
    try:
        programme = programmes.programmes_visible_to(request.user, kind.model).get(pk=pk)
    except kind.model.DoesNotExist:
        raise Http404("No programme matches the given query.") from None
    candidates = programmes.candidates_for(programme, request.user)
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = candidates.filter(pk__in=request.POST.getlist("case"))
        done, refused = programmes.batch_record(
            programme=programme, actor=request.user, cases=list(chosen), on=form.cleaned_data["on"]
        )
        if done:
            messages.success(request, _("%(count)s recorded.") % {"count": done})
        for reason in refused:
            messages.error(request, reason)
        return redirect(request.path)
    context = {
        "kind": kind,
        "programme": programme,
        "candidates": candidates[:300],
        "form": form,
        "placements": programme.placement_set.select_related("case__person")
        if kind.action == "place" else None,
        "enrolments": programme.enrolments.select_related("case__person")
        if isinstance(programme, Course) else None,
    }  # fmt: skip
    return render(request, "casework/programme_detail.html", context)


@require_POST
def enrolment_complete(request, pk):
    enrolment = access._visible_or_404(
        request.user, pk, Enrolment.objects.select_related("course"), prefix="case__"
    )
    programmes.enrolment_complete(enrolment=enrolment, on=timezone.localdate())
    messages.success(request, _("Recorded."))
    return redirect("programmes:detail", kind="courses", pk=enrolment.course_id)


class OutreachForm(forms.Form):
    on = BatchForm.base_fields["on"]
    note = forms.CharField(label=gettext_lazy("note"), max_length=200, required=False)


class BenefitForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=BenefitKind.choices)
    on = BatchForm.base_fields["on"]
    amount = forms.DecimalField(label=gettext_lazy("amount (yuan)"), min_value=0, decimal_places=2)


def _case_record(request, pk, form_class, service):
    case = access.case_visible_or_404(request.user, pk)
    if request.method != "POST":
        return redirect(case.get_absolute_url())
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
