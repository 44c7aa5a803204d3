"""The notifications' reads: a user's own messages, nobody else's."""

from django.db.models import QuerySet
from django.http import Http404

from casework.models import Region, User

from .models import CountyChannel, Notification


def notifications_of(user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first, with what their wording reads."""
    return Notification.objects.filter(recipient=user).select_related(
        "event__case__person", "event__actor"
    )


def unread_count(user: User) -> int:
    """The bell's number: one count query."""
    return Notification.objects.filter(recipient=user, read_at=None).count()


def notification_of_or_404(user: User, pk) -> Notification:
    """One of the user's own notifications; anyone else's answers like a missing one."""
    try:
        return Notification.objects.get(recipient=user, pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404("No notification matches the given query.") from None


def county_channels() -> list[tuple[Region, CountyChannel | None]]:
    """Every county with its channel (None where none is set up)."""
    channels = {channel.county_id: channel for channel in CountyChannel.objects.all()}
    counties = Region.objects.filter(level=Region.Level.COUNTY).order_by("code")
    return [(county, channels.get(county.pk)) for county in counties]
