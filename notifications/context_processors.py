"""The header's bell: the signed-in user's unread notifications (one count, when shown)."""

from functools import partial

from casework import access

from .selectors import unread_count


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # a callable: the template counts only where it shows the bell, once (cached by `with`)
    return {
        "unread_notifications": partial(unread_count, user),
        "may_configure_channels": access.may_configure_county_channels(user),
    }
