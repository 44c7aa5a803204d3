"""The contact table (附件3 联系表): per county, the leader in charge and the liaison."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .regions import Region


class ContactRole(models.TextChoices):
    """The two rows of 附件3, in the form's order."""

    LEADER = "leader", _("Leader in charge")
    LIAISON = "liaison", _("Liaison")


class CountyContact(models.Model):
    """One row of a county's contact table: the person in that role and how to reach them."""

    county = models.ForeignKey(
        Region,
        verbose_name=_("county / district"),
        on_delete=models.PROTECT,
        related_name="contacts",
        limit_choices_to={"level": Region.Level.COUNTY},
    )
    role = models.CharField(_("role"), max_length=10, choices=ContactRole.choices)
    name = models.CharField(_("name"), max_length=40)
    unit = models.CharField(_("unit"), max_length=80, blank=True)
    post = models.CharField(pgettext_lazy("contact", "post"), max_length=40, blank=True)
    office_phone = models.CharField(_("office phone"), max_length=20, blank=True)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True)
    email = models.EmailField(_("e-mail"), max_length=120, blank=True)
    qq = models.CharField(_("QQ"), max_length=12, blank=True)
    wechat = models.CharField(_("WeChat"), max_length=20, blank=True)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("county contact")
        verbose_name_plural = _("county contacts")
        ordering = ["county__code", "role"]
        constraints = [
            models.UniqueConstraint(fields=["county", "role"], name="county_contact_one_per_role")
        ]

    def __str__(self):
        return f"{self.county_id} {self.role} {self.name}"


class ContactChange(models.Model):
    """A contact row entered or changed: who, when, and each field before and after (a mobile
    number is kept masked here)."""

    county = models.ForeignKey(
        Region, verbose_name=_("county / district"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=10, choices=ContactRole.choices)
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("contact change")
        verbose_name_plural = _("contact changes")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["county", "-at"])]

    def __str__(self):
        return f"{self.county_id} {self.role} {self.at:%Y-%m-%d}"
