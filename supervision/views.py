"""The supervision's pages: every county's standing on the ladder with its ranking, a county's
ladder history, inspections and interviews (recorded by city staff), the circulars (read by
every county) and their PDF, and the year-end evaluation (年终考评)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from casework import access, pdf
from casework.models import Region
from reports.periods import FIRST_MONTH, Month

from . import circulars as circular_doc
from . import selectors, services
from .forms import InspectionForm, InterviewForm
from .ladder import step_of
from .models import Circular, Inspection, Interview, LadderRule, Step
from .tables import YearTable

RECENT = 10  # inspections on the dashboard


def _counties(request):
    """The counties whose supervision the user reads; 404 for a caseworker (as for reports)."""
    if not access.may_see_reports(request.user):
        raise Http404("Nothing matches the given query.")
    return access.supervision_counties_visible_to(request.user)


def level_label(level: int, rule: dict) -> str:
    step = step_of(level, rule)
    return _("none") if step == Step.NONE else str(Step(step).label)


def ladder_rule_words(rule: LadderRule) -> list[str]:
    """The ladder's rule in plain words, from the thresholds in force."""
    percent = f"{rule.overdue_percent:g}"
    if rule.late_report_strikes:
        strike = _(
            "A county earns a strike for a month when the monthly report due in it is late or "
            "missing, or when more than %(percent)s%% of its open tasks are overdue as the "
            "month ends."
        ) % {"percent": percent}
    else:
        strike = _(
            "A county earns a strike for a month when more than %(percent)s%% of its open "
            "tasks are overdue as the month ends (a late report earns none)."
        ) % {"percent": percent}
    return [
        strike,
        _("Each strike climbs one level; each month without a strike steps down one level."),
        _(
            "Level %(reminder)s: a reminder to the county's leader in charge, its liaison and "
            "its supervisors. Level %(circular)s: a circular (通报) naming the county, sent to "
            "every county. Level %(interview)s, the top: an interview (约谈) that city staff "
            "arrange."
        )
        % {
            "reminder": rule.reminder_at,
            "circular": rule.circular_at,
            "interview": rule.interview_at,
        },  # fmt: skip
    ]


def subsidy_rule_words(rule: dict) -> str:
    """The year-end rule in plain words, from the rule dict the rows were judged by."""
    parts = []
    if rule["subsidy_strikes"]:
        parts.append(_("it earns %(n)s strikes or more") % {"n": rule["subsidy_strikes"]})
    if rule["subsidy_late_reports"]:
        parts.append(
            _("%(n)s of its monthly reports or more are late") % {"n": rule["subsidy_late_reports"]}
        )
    percent = float(rule["subsidy_target_percent"])
    if percent:
        parts.append(
            _(
                "either 100%% target (refined service, policy coverage) is under %(percent)s%% at "
                "year end"
            )
            % {"percent": f"{percent:g}"}  # fmt: skip
        )
    if not parts:
        return _("Every part of the rule is disabled (0): no county's subsidy is stopped.")
    return _(
        "A county's service-fund subsidy is stopped (停发基层服务经费补贴) when in the year "
        "%(conditions)s. A threshold of 0 disables its part of the rule."
    ) % {"conditions": _(", or ").join(parts)}


@require_GET
def dashboard(request):
    """Every county the user reads, ranked, with its ladder level and history."""
    counties = _counties(request)
    rule = LadderRule.current()
    # the rank is the city's: every county is ranked, the user's own are shown
    shown = set(counties.values_list("pk", flat=True))
    everyone = Region.objects.filter(level=Region.Level.COUNTY)
    standings = [s for s in selectors.standings(everyone) if s.county.pk in shown]
    for standing in standings:
        # a level reads by the rule its month was assessed under
        kept = standing.latest.rule if standing.latest and standing.latest.rule else rule.as_dict()
        standing.level_step = step_of(standing.level, kept)
        standing.level_label = level_label(standing.level, kept)
        for row in standing.history:
            row.level_step = step_of(row.level, row.rule or rule.as_dict())
    context = {
        "standings": standings,
        "rule_words": ladder_rule_words(rule),
        "last_month": Month.of(timezone.localdate()).previous(),
        "to_arrange": selectors.interviews(counties).filter(held_on__isnull=True),
        "inspections": selectors.inspections(counties)[:RECENT],
        "may_supervise": access.may_supervise_counties(request.user),
        "may_print": access.may_print_supervision_report(request.user),
        "year": timezone.localdate().year,
    }
    return render(request, "supervision/dashboard.html", context)


def county(request, pk):
    """A county's ladder history, its interviews and inspections, the circulars naming it."""
    _counties(request)
    county = access.supervision_county_visible_or_404(request.user, pk)
    mine = Region.objects.filter(pk=county.pk)
    current = LadderRule.current().as_dict()
    history = selectors.county_history(county)
    for row in history:
        kept = row.rule or current  # a level reads by the rule its month was assessed under
        row.level_step, row.level_label = step_of(row.level, kept), level_label(row.level, kept)
    named = Circular.objects.filter(county_months__county=county).distinct()
    context = {
        "county": county,
        "history": history,
        "interviews": selectors.interviews(mine),
        "inspections": selectors.inspections(mine),
        "circulars": access.circulars_visible_to(request.user, named),
        "may_supervise": access.may_supervise_counties(request.user),
    }
    return render(request, "supervision/county.html", context)


def _errors(error: ValidationError, form) -> None:
    """A service's refusal shown on its field, as a form error."""
    found = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, texts in found.items():
        for text in texts:
            form.add_error(field if field in form.fields else None, text)


def _inspection_page(request, form, *, county, inspection=None, status=200):
    context = {"form": form, "county": county, "inspection": inspection}
    return render(request, "supervision/inspection_form.html", context, status=status)


def _inspection_save(request, county, inspection=None):
    """Record (or correct) an inspection from the posted form; a refusal changes nothing and
    comes back with what was typed."""
    form = InspectionForm(request.POST)
    if form.is_valid():
        try:
            saved = services.inspection_record(
                county=county, actor=request.user, inspection=inspection, **form.cleaned_data
            )
        except ValidationError as error:
            _errors(error, form)
        else:
            messages.success(request, _("The inspection is recorded."))
            return redirect("supervision:county", pk=saved.county_id)
    messages.error(request, _("Nothing was saved: correct what is marked below."))
    return _inspection_page(request, form, county=county, inspection=inspection, status=400)


def inspection_new(request, pk):
    """Record a special inspection (专项督导检查) of a county: city staff."""
    _counties(request)
    county = access.supervision_county_visible_or_404(request.user, pk)
    access.require(access.may_supervise_counties(request.user))
    if request.method == "POST":
        return _inspection_save(request, county)
    form = InspectionForm(initial={"held_on": timezone.localdate()})
    return _inspection_page(request, form, county=county)


def inspection_edit(request, pk):
    """Correct an inspection already recorded: city staff."""
    _counties(request)
    inspection = access.one_or_404(
        access.supervision_records_visible_to(request.user, Inspection.objects.all()), pk
    )
    access.require(access.may_supervise_counties(request.user))
    if request.method == "POST":
        return _inspection_save(request, inspection.county, inspection)
    fields = ("held_on", "inspectors", "findings", "follow_up", "follow_up_due")
    form = InspectionForm(initial={name: getattr(inspection, name) for name in fields})
    return _inspection_page(request, form, county=inspection.county, inspection=inspection)


def interview(request, pk):
    """Arrange an interview (约谈) and record how it went: city staff."""
    _counties(request)
    found = access.one_or_404(
        access.supervision_records_visible_to(
            request.user, Interview.objects.select_related("county", "county_month")
        ),
        pk,
    )
    access.require(access.may_supervise_counties(request.user))
    status = 200
    if request.method == "POST":
        form = InterviewForm(request.POST)
        if form.is_valid():
            try:
                services.interview_update(interview=found, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _errors(error, form)
            else:
                messages.success(request, _("The interview is saved."))
                return redirect("supervision:county", pk=found.county_id)
        messages.error(request, _("Nothing was saved: correct what is marked below."))
        status = 400
    else:
        fields = ("held_on", "attendees", "outcome", "follow_up_on")
        form = InterviewForm(initial={name: getattr(found, name) for name in fields})
    context = {"form": form, "interview": found, "county": found.county}
    return render(request, "supervision/interview_form.html", context, status=status)


def _circulars(request):
    if not access.may_see_reports(request.user):
        raise Http404("Nothing matches the given query.")
    return access.circulars_visible_to(request.user, Circular.objects.all())


@require_GET
def circulars(request):
    """Every circular, newest first: every county reads them all."""
    found = [(circular, circular_doc.heading(circular)) for circular in _circulars(request)]
    return render(request, "supervision/circulars.html", {"circulars": found})


@require_GET
def circular(request, pk):
    """A circular's frozen rows, and its PDF."""
    found = access.one_or_404(_circulars(request), pk)
    context = {
        "circular": found,
        "title": circular_doc.heading(found),
        "lines": circular_doc.lines(found),
        "issuer": circular_doc.ISSUER,
    }
    return render(request, "supervision/circular.html", context)


@require_GET
@pdf.refused_without_font
def circular_pdf(request, pk):
    """The circular as an A4 PDF (no personal data; the download is recorded)."""
    found = access.one_or_404(_circulars(request), pk)
    content = circular_doc.pdf_render(found, actor=request.user, request=request)
    return pdf.pdf_response(content, filename=circular_doc.filename(found), personal=False)


def _year(request) -> tuple[int, bool]:
    """The year asked for (this year by default) and whether it was acceptable."""
    this_year = timezone.localdate().year
    asked = request.GET.get("year", "").strip()
    if not asked:
        return this_year, True
    try:
        year = int(asked)
    except ValueError:
        return this_year, False
    if not FIRST_MONTH[0] <= year <= this_year:
        return this_year, False
    return year, True


@require_GET
def year(request):
    """The year-end evaluation (年终考评): per county, frozen or provisional, the rule on top."""
    counties = _counties(request)
    chosen, acceptable = _year(request)
    if not acceptable:
        messages.error(
            request,
            _("There is no evaluation for %(year)s: choose a year from %(first)s to %(last)s.")
            % {
                "year": request.GET.get("year", "")[:10],
                "first": FIRST_MONTH[0],
                "last": timezone.localdate().year,
            },  # fmt: skip
        )
    rows, rule = selectors.year_rows(counties, chosen)
    assessed = selectors.year_assessed(chosen)
    rows = rows if assessed else []
    frozen = [row.evaluated_at for row in rows if row.evaluated_at]
    context = {
        "year": chosen,
        "years": list(range(timezone.localdate().year, FIRST_MONTH[0] - 1, -1)),
        "table": YearTable(rows),
        "rows": rows,
        "rule_words": subsidy_rule_words(rule),
        "evaluated_at": max(frozen) if frozen else None,
        "provisional": any(row.evaluated_at is None for row in rows),
        "assessed": assessed,
    }
    return render(request, "supervision/year.html", context, status=200 if acceptable else 400)
