"""Regions and staff: the city's counties, townships and villages; users and their roles."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Staff roles; each is also a Django group of the same name carrying its permissions."""

    CASEWORKER = "caseworker", _("Caseworker")
    COUNTY_SUPERVISOR = "county_supervisor", _("County supervisor")
    CITY_STAFF = "city_staff", _("City staff")
    ADMIN = "admin", _("Administrator")


class Region(models.Model):
    class Level(models.TextChoices):
        CITY = "city", _("City")
        COUNTY = "county", _("County / district")
        TOWNSHIP = "township", _("Township / street")
        VILLAGE = "village", _("Village / community")

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The county a region lies in (a county is its own); kept so that scoping a
    # user or a case to a county never walks the tree.
    county = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    default_caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("default caseworker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="default_for_regions",
        help_text=_("New survey tasks of this township or village go to this caseworker."),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_in_parent")
        ]
        indexes = [models.Index(fields=["level", "county"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        renamed = not self._state.adding and "code" in (kwargs.get("update_fields") or ["code"])
        if self.level in (self.Level.TOWNSHIP, self.Level.VILLAGE) and self.parent_id:
            self.county_id = self.parent.county_id
        super().save(*args, **kwargs)
        if self.level == self.Level.COUNTY and self.county_id != self.pk:
            Region.objects.filter(pk=self.pk).update(county=self.pk)
            self.county_id = self.pk
        if renamed:  # the case list sorts on a copy of the place's code (Case.place_code)
            self.cases.exclude(place_code=self.code).update(place_code=self.code)

    def clean(self):
        # lists bound a scope's cases by their place codes (casework.access.Scope.codes)
        child = self.level in (self.Level.TOWNSHIP, self.Level.VILLAGE) and self.parent_id
        if child and not self.code.startswith(self.parent.code):
            raise ValidationError(
                {"code": _("A township's or village's code begins with its parent's code.")}
            )

    @cached_property
    def path(self) -> str:
        """紫金县/紫城镇/… from the county down, the way people name a place."""
        names = []
        region = self
        while region is not None and region.level != self.Level.CITY:
            names.append(region.name)
            region = region.parent
        return "/".join(reversed(names))


class User(AbstractUser):
    regions = models.ManyToManyField(
        Region,
        verbose_name=_("regions"),
        blank=True,
        related_name="staff",
        help_text=_("A caseworker works townships or villages, a supervisor a county."),
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when an administrator gave a temporary password: cleared once changed."),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self):
        full_name = self.get_full_name()
        return f"{full_name} ({self.username})" if full_name else self.username

    @cached_property
    def role(self) -> str | None:
        """The staff role, read from the user's role group."""
        names = {group.name for group in self.groups.all()}
        for role in (Role.ADMIN, Role.CITY_STAFF, Role.COUNTY_SUPERVISOR, Role.CASEWORKER):
            if role.value in names:
                return role.value
        return None

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""
