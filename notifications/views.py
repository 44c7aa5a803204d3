"""The notification centre, the read marks, a user's preferences and the counties' robots."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework import access

from . import selectors, services
from .forms import CountyChannelForm, PreferenceForm
from .wording import LADDER, REPORT, RESURVEYS, notification_text

PER_PAGE = 25


@require_GET
def centre(request):
    """The user's messages, newest first, each worded in the reader's language."""
    user = request.user
    page = Paginator(selectors.notifications_of(user), PER_PAGE).get_page(request.GET.get("page"))
    scope = access.scope_of(user)
    language = translation.get_language()
    rows = []
    for notification in page.object_list:
        title, summary = notification_text(notification, language)
        rows.append({"notification": notification, "title": title, "summary": summary,
                     "link": _link(notification, scope)})  # fmt: skip
    return render(request, "notifications/centre.html", {"page": page, "rows": rows})


def _link(notification, scope) -> str | None:
    """Where a notification leads: its case when the reader may see it; a summary of re-surveys
    to the reader's re-survey tasks, a report's to the report, a ladder step to the county's
    supervision page or the circular."""
    if notification.event_id is None:
        if notification.kind == RESURVEYS:
            return f"{reverse('workflows:inbox')}?kind=resurvey"
        if notification.kind == REPORT:
            data = notification.data
            return reverse("reports:county", args=[data["county_id"], data["month"]])
        if notification.kind == LADDER:
            data = notification.data
            if data.get("circular_id"):
                return reverse("supervision:circular", args=[data["circular_id"]])
            return reverse("supervision:county", args=[data["county_id"]])
        return None
    case = notification.event.case
    if scope.covers(case.county_id, case.township_id, case.region_id):
        return case.get_absolute_url()
    return None


@require_POST
def mark_read(request, pk):
    notification = selectors.notification_of_or_404(request.user, pk)
    services.notification_mark_read(notification=notification, actor=request.user)
    return redirect("notifications:centre")


@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:centre")


def preferences(request):
    """The user's own choice: e-mail or not, each message or a daily digest, the language."""
    preference = services.preference_of(request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        services.preference_update(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


def county_channels(request):
    """Each county's WeCom group robot: set by city staff and administrators."""
    access.require(access.may_configure_county_channels(request.user))
    form = CountyChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.county_channel_update(
            actor=request.user, county=form.cleaned_data["county"],
            wecom_webhook=form.cleaned_data["wecom_webhook"],
        )  # fmt: skip
        messages.success(request, _("The county's robot is saved."))
        return redirect("notifications:channels")
    return render(
        request,
        "notifications/channels.html",
        {"form": form, "channels": selectors.county_channels()},
    )
