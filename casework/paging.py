"""The project's table base: paging that a query string can neither break nor unbound, and
that never counts more rows than it can show the number of."""

import datetime
import math

import django_tables2 as tables
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils import dateformat, timezone
from django.utils.functional import cached_property
from django_tables2.paginators import LazyPaginator

MAX_PER_PAGE = 100
COUNT_CAP = 10_000  # a list counts its rows exactly up to this many; past it, "more than"


class CappedPaginator(LazyPaginator):
    """Exact pages and count up to COUNT_CAP rows; past that, pages like django-tables2's
    LazyPaginator (a page reads one row more to know whether another follows), so that a
    list of a million cases never runs COUNT(*) over them (docs/benchmarks.md)."""

    def __init__(self, object_list, per_page, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap or COUNT_CAP

    @cached_property
    def exact_count(self) -> int | None:
        """The number of rows when at most `cap`; None when there are more."""
        rows = getattr(self.object_list, "data", self.object_list)  # django-tables2's rows
        rows = getattr(rows, "data", rows)
        if isinstance(rows, QuerySet):
            n = rows.order_by().values("pk")[: self.cap + 1].count()
        else:
            n = len(rows)
        return n if n <= self.cap else None

    @property
    def capped(self) -> bool:
        return self.exact_count is None

    @property
    def count(self) -> int:
        return self.cap if self.capped else self.exact_count

    @property
    def num_pages(self) -> int:
        if self.capped:
            return self._num_pages
        if self.exact_count == 0 and not self.allow_empty_first_page:
            return 0
        return max(1, math.ceil(max(self.exact_count - self.orphans, 0) / self.per_page))

    @property
    def page_range(self):
        return range(1, self.num_pages + 1)

    def validate_number(self, number):
        if self.capped:
            return super().validate_number(number)
        return Paginator.validate_number(self, number)

    def page(self, number):
        if self.capped:
            return super().page(number)
        return Paginator.page(self, number)

    def is_last_page(self, number) -> bool:
        return number == self._final_num_pages if self.capped else number == self.num_pages


class Table(tables.Table):
    """django-tables2's Table with `per_page` kept within 1..MAX_PER_PAGE (a query string's
    `per_page=-1` was a server error, and `per_page=1000000000` would read the user's whole
    scope into one page), paged by CappedPaginator."""

    def paginate(self, paginator_class=CappedPaginator, per_page=None, page=1, *args, **kwargs):
        if paginator_class is Paginator:  # RequestConfig's default
            paginator_class = CappedPaginator
        per_page = min(max(int(per_page or self._meta.per_page), 1), MAX_PER_PAGE)
        return super().paginate(paginator_class, per_page, page, *args, **kwargs)


class DateColumn(tables.Column):
    """A date or a date and time in one format (times in the local zone): formatted in Python,
    where django-tables2's DateColumn compiles a template for every cell."""

    def __init__(self, *args, format: str = "Y-m-d", **kwargs):
        self.format = format
        super().__init__(*args, **kwargs)

    def render(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return dateformat.format(value, self.format)

    def value(self, value):
        return self.render(value)
