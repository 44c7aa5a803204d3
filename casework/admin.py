"""Regions, staff (role and regions through staff_assign), export records and the runs of the
periodic work in the admin."""

from django import forms
from django.contrib import admin
from django.contrib.auth import password_validation
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import ReadOnlyPasswordHashField
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import audit, services
from .models import ExportLog, PeriodicRun, Region, RetentionRule, Role, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "default_caseworker")
    list_filter = ("level", ("county", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "name")
    autocomplete_fields = ("parent", "default_caseworker")
    list_select_related = ("parent", "default_caseworker")
    ordering = ("code",)


class StaffForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    regions = forms.ModelMultipleChoiceField(
        label=_("regions"),
        queryset=Region.objects.all(),
        required=False,
        widget=admin.widgets.FilteredSelectMultiple(_("regions"), is_stacked=False),
    )

    class Meta:
        model = User
        fields = ("role", "regions")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.role:
            self.initial["role"] = self.instance.role

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role"):
            try:
                services.staff_validate_regions(
                    role=cleaned["role"], regions=list(cleaned.get("regions") or [])
                )
            except services.ServiceError as error:
                raise ValidationError(error.message) from None
        return cleaned


class StaffChangeForm(StaffForm):
    # shown, never edited here: a new password goes through the admin's password form, which
    # runs the validators (as Django's UserChangeForm does)
    password = ReadOnlyPasswordHashField(
        label=_("Password"),
        help_text=_("Raw passwords are not stored, so there is no way to see the user’s password."),
    )

    class Meta(StaffForm.Meta):
        fields = ("username", "first_name", "last_name", "email", "is_active", "role", "regions")


class StaffAddForm(StaffForm):
    password = forms.CharField(
        label=_("Temporary password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("The new staff member must change it at the first login."),
    )

    class Meta(StaffForm.Meta):
        fields = ("username", "first_name", "last_name", "role", "regions")

    def _post_clean(self):
        super()._post_clean()
        # after the instance has its username and names: the similarity validator reads them
        password = self.cleaned_data.get("password")
        if password:
            try:
                password_validation.validate_password(password, self.instance)
            except ValidationError as error:
                self.add_error("password", error)

    def save(self, commit=True):
        user = super().save(commit=False)
        password = self.cleaned_data["password"]
        services.staff_password_set(user=user, password=password, temporary=True)
        if commit:
            user.save()
        return user


@admin.register(User)
class StaffAdmin(DjangoUserAdmin):
    form = StaffChangeForm
    add_form = StaffAddForm
    list_display = ("username", "first_name", "last_name", "role_label", "region_list", "is_active")
    list_filter = ("groups", "is_active")
    search_fields = ("username", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role and regions"), {"fields": ("role", "regions", "is_active")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password", "first_name", "last_name", "role", "regions")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups", "regions")

    @admin.display(description=_("role"))
    def role_label(self, user):
        return user.role_label

    @admin.display(description=_("regions"))
    def region_list(self, user):
        return "、".join(region.path or region.name for region in user.regions.all())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.staff_sessions_end(user=obj)  # a deactivated account is logged out now

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.staff_assign(
            user=form.instance,
            role=form.cleaned_data["role"],
            regions=list(form.cleaned_data.get("regions") or []),
            actor=request.user,
        )


# what each kind of record is, for the list and its filter (kinds are codes in the table)
EXPORT_KINDS = audit.EXPORT_KINDS


class ExportKindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        kinds = ExportLog.objects.order_by("kind").values_list("kind", flat=True).distinct()
        return [(kind, EXPORT_KINDS.get(kind, kind)) for kind in kinds]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class FullIdsFilter(admin.BooleanFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("full ID numbers")


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record, not a setting: shown in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdmin):
    """Who took which case data out or looked at a full number (whose, in the description),
    and when: read-only, as a record must be."""

    list_display = ("when", "who", "kind_label", "whose", "row_count", "full_ids")
    list_filter = (ExportKindFilter, ("full_id_numbers", FullIdsFilter))
    search_fields = ("description", "actor__username")
    date_hierarchy = "at"
    list_select_related = ("actor",)

    @admin.display(description=_("when"), ordering="at")
    def when(self, record):
        return record.at

    @admin.display(description=_("who"), ordering="actor__username")
    def who(self, record):
        return record.actor

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, record):
        return EXPORT_KINDS.get(record.kind, record.kind)

    @admin.display(description=_("whose, what"))
    def whose(self, record):
        return record.description

    @admin.display(description=_("rows"), ordering="rows")
    def row_count(self, record):
        return record.rows

    @admin.display(description=_("full ID numbers"), boolean=True)
    def full_ids(self, record):
        return record.full_id_numbers


@admin.register(PeriodicRun)
class PeriodicRunAdmin(ReadOnlyAdmin):
    """When the periodic work last ran, where and what it did (cron or beat is alive):
    read-only."""

    list_display = ("started_at", "host", "clock", "counts", "failed", "waited")
    date_hierarchy = "started_at"


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    """The retention periods: one row, which each periodic erasure reads (casework.retention)."""

    fields = ("erase_after_years", "roster_file_days")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not RetentionRule.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
