"""Casework URLs. Everything but login, logout, language switch and static files needs a login."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from casework.ledger.needs import NeedsView
from casework.logins import PasswordChangeView
from casework.views import (
    audit_export,
    audit_list,
    bad_request,
    export_download,
    export_progress,
    home,
    permission_denied,
)

handler400 = bad_request
handler403 = permission_denied

admin.site.site_header = admin.site.site_title = "Casework 就业扶贫个案管理系统"

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("accounts/password/", PasswordChangeView.as_view(), name="password_change"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("cases/", include("casework.urls")),
    path("", include("workflows.urls")),
    path("needs/", NeedsView.as_view(), name="needs"),
    path("programmes/", include("casework.programmes.urls")),
    path("notifications/", include("notifications.urls")),
    path("contacts/", include("casework.contacts.urls")),
    path("reports/", include("reports.urls")),
    path("supervision/", include("supervision.urls")),
    path("audit/", audit_list, name="audit"),
    path("audit/audit.xlsx", audit_export, name="audit_export"),
    path("exports/<id:pk>/", export_progress, name="export_progress"),
    path("exports/<id:pk>/download/", export_download, name="export_download"),
    path("admin/", admin.site.urls),
]
