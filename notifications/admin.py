"""The admin's view of the notifications: each county's robot, and deliveries to look into."""

from django import forms
from django.contrib import admin

from casework import access
from casework.admin import ReadOnlyAdmin

from .models import CountyChannel, Delivery, DeliveryAttempt


class CountyChannelForm(forms.ModelForm):
    wecom_webhook = forms.URLField(
        label=CountyChannel._meta.get_field("wecom_webhook").verbose_name,
        help_text=CountyChannel._meta.get_field("wecom_webhook").help_text,
        required=False,
        max_length=300,
        assume_scheme="https",
    )

    class Meta:
        model = CountyChannel
        fields = ("county", "wecom_webhook")


@admin.register(CountyChannel)
class CountyChannelAdmin(admin.ModelAdmin):
    form = CountyChannelForm
    list_display = ("county", "wecom_webhook")
    fields = ("county", "wecom_webhook")

    def has_module_permission(self, request):
        return access.may_configure_county_channels(request.user)

    def has_view_permission(self, request, obj=None):
        return access.may_configure_county_channels(request.user)

    def has_add_permission(self, request):
        return access.may_configure_county_channels(request.user)

    def has_change_permission(self, request, obj=None):
        return access.may_configure_county_channels(request.user)

    def has_delete_permission(self, request, obj=None):
        return access.may_configure_county_channels(request.user)


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("at", "outcome", "error", "response", "request_id")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """Read only: a delivery's attempts tell why a message did not arrive."""

    list_display = ("message_id", "channel", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("channel", "status")
    inlines = [AttemptInline]
    exclude = ("body",)

    def has_view_permission(self, request, obj=None):
        return access.has_role(request.user, "admin") or request.user.is_superuser
