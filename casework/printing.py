"""Pages that print the survey form (附件2): blank for anyone, pre-filled (full numbers, by a
POST, recorded) for one laborer or a whole village."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import access, pdf, selectors
from .errors import posted_id
from .survey import paper


@require_GET
def survey_forms(request):
    """The blank form, and a village's forms for those who may print them pre-filled."""
    villages = selectors.villages_with_open_counts(access.villages_printable_by(request.user))
    return render(request, "casework/survey_forms.html", {"villages": villages})


@require_GET
@pdf.refused_without_font
def survey_form_blank(request):
    content = paper.blank_survey_form_pdf()
    return pdf.pdf_response(content, filename="河源市贫困劳动力调查表.pdf", personal=False)


@require_POST
@pdf.refused_without_font
def case_survey_form(request, pk: int):
    """One laborer's form, pre-filled with the full ID and phone numbers (recorded)."""
    case = access.case_visible_or_404(request.user, pk)
    access.require(access.may_reveal_numbers(request.user, case))
    content = paper.survey_forms_print(
        cases=[case], actor=request.user, description=f"survey form: case #{case.pk}"
    )
    return pdf.pdf_response(content, filename=f"调查表-{case.person.name}.pdf")


@require_POST
@pdf.refused_without_font
def village_survey_forms(request):
    """The forms of a village's open cases, one a page (recorded); none to print, a message."""
    village = access.village_visible_or_404(request.user, posted_id(request.POST, "village"))
    access.require(access.may_print_village_forms(request.user, village))
    cases = list(selectors.village_open_cases(village))
    if not cases:
        messages.info(request, _("%(village)s has no open cases: nothing to print.") % {
            "village": village.name})  # fmt: skip
        return redirect("casework:survey_forms")
    content = paper.survey_forms_print(
        cases=cases, actor=request.user,
        description=f"survey forms: village #{village.pk} {village.name}",
    )  # fmt: skip
    day = timezone.localdate().isoformat()
    return pdf.pdf_response(content, filename=f"调查表-{village.name}-{day}.pdf")
