"""The project's table base: paging that a query string can neither break nor unbound."""

import django_tables2 as tables
from django.core.paginator import Paginator

MAX_PER_PAGE = 100


class Table(tables.Table):
    """django-tables2's Table with `per_page` kept within 1..MAX_PER_PAGE: a query string's
    `per_page=-1` was a server error, and `per_page=1000000000` would read the user's whole
    scope into one page."""

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        per_page = min(max(int(per_page or self._meta.per_page), 1), MAX_PER_PAGE)
        return super().paginate(paginator_class, per_page, page, *args, **kwargs)
