"""Logins and sessions: the lockout page, the password change (forced after a temporary
password), the idle and absolute session limits, and the record of every login and failure."""

import ipaddress
import logging

from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .exports import export_logged
from .idnumber import mask_numbers_in_text

log = logging.getLogger("casework.logins")

# seconds since the epoch, kept in the session: when the user logged in, when last seen
LOGIN_AT = "casework_login_at"
SEEN_AT = "casework_seen_at"
# the last request is written down at most once a minute (one session write, not one a request)
SEEN_RESOLUTION = 60
# what a user who must change the password may still reach
OPEN_WHILE_CHANGING = {"password_change", "logout", "set_language", "login"}


def client_address(request) -> str:
    """The client's address (AXES_CLIENT_IP_CALLABLE): the connection's, or behind
    CASEWORK_PROXY_COUNT proxies the entry the outermost one appended to X-Forwarded-For: each
    proxy appends the address it was connected from, so that entry is the N-th from the right,
    and whatever a client wrote further left is not believed."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.CASEWORK_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        return remote  # not through the proxies configured: the connection's own
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


def login_address(request) -> str:
    """The address a login came from, as throttling sees it (settings: CASEWORK_PROXY_COUNT)."""
    return get_client_ip_address(request) or "-"


def throttled_username(request, credentials=None) -> str | None:
    """The username as django-axes records and counts it (AXES_USERNAME_CALLABLE): an ID or
    phone number typed into the box is kept masked, never whole."""
    if credentials:
        value = credentials.get("username")
    else:
        value = getattr(request, "data", request.POST).get("username")
    return mask_numbers_in_text(value) if value else value


@receiver(user_logged_in, dispatch_uid="casework_login")
def login_recorded(sender, request, user, **kwargs):
    """user_logged_in: start the session's clocks; a login at a form is recorded and logged."""
    if request is None:
        return
    if hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session[LOGIN_AT] = request.session[SEEN_AT] = now
    if request.method != "POST":
        return  # a login without a form (the test client's force_login) is nobody's sign-in
    address = login_address(request)
    log.info("login username=%r address=%s", user.get_username(), address)
    export_logged(actor=user, kind="login", description=f"{user.get_username()} {address}", rows=0)


@receiver(user_login_failed, dispatch_uid="casework_login_failed")
def login_failure_recorded(sender, credentials, request=None, **kwargs):
    """user_login_failed: a log line (never the password) and a record, with no actor."""
    # what was typed as a username may be an ID or phone number: never kept whole
    username = mask_numbers_in_text(str(credentials.get("username") or ""))
    address = login_address(request) if request is not None else "-"
    log.warning("login failed username=%r address=%s", username, address)
    export_logged(actor=None, kind="login_failed", description=f"{username} {address}", rows=0)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked (username, address) pair: when it may try again."""
    username = get_client_username(request, credentials) or ""
    cool_off = get_cool_off(request) or settings.AXES_COOLOFF_TIME
    last = (
        AccessAttempt.objects.filter(username=username, ip_address=login_address(request))
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    until = (last or timezone.now()) + cool_off
    minutes = max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
    log.warning("login locked username=%r address=%s until=%s", username,
                login_address(request), until.isoformat(timespec="minutes"))  # fmt: skip
    context = {"until": until, "minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "registration/locked_out.html", context, status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every user's own password change; Django's validators check the new one."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        user = services.staff_password_set(
            user=form.user, password=form.cleaned_data["new_password1"], actor=self.request.user
        )
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect(self.get_success_url())


class SessionLimitsMiddleware:
    """A session ends after CASEWORK_SESSION_IDLE without a request and CASEWORK_SESSION_MAX
    after the login, whatever the activity; the user is asked to log in again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = timezone.now().timestamp()
            login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
            if login_at is None or seen_at is None:
                # a session from before these limits: its clocks start now
                session[LOGIN_AT] = session[SEEN_AT] = now
            elif now - login_at > settings.CASEWORK_SESSION_MAX.total_seconds():
                return self.ended(request, _("You have been logged in for too long: log in again."))
            elif now - seen_at > settings.CASEWORK_SESSION_IDLE.total_seconds():
                return self.ended(
                    request, _("Your session ended after a time without activity: log in again.")
                )
            elif now - seen_at >= SEEN_RESOLUTION:
                session[SEEN_AT] = now
        return self.get_response(request)

    def ended(self, request, reason):
        path = request.get_full_path()
        logout(request)
        messages.info(request, reason)
        return redirect_to_login(path)


class PasswordChangeRequiredMiddleware:
    """A user given a temporary password by an administrator changes it before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not (user.is_authenticated and user.must_change_password):
            return None
        if request.resolver_match.view_name in OPEN_WHILE_CHANGING:
            return None
        return redirect("password_change")
