"""A circular of criticism (通报批评) as read and printed: its frozen rows in words, and its PDF
(casework.pdf), issued by the city's bureau; a download is recorded like every other PDF. A
circular names counties and their figures, never a person."""

import datetime
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from casework import exports, pdf
from casework.models import User
from reports.periods import Month

from .models import Circular, Reason

EXPORT_KIND = "supervision_circular"
ISSUER = "河源市人力资源和社会保障局"


@dataclass(frozen=True)
class CircularLine:
    """A county's line in a circular, as frozen when it was issued."""

    county_id: int
    county: str
    reasons: list[str]
    report_month: Month | None
    report_deadline: datetime.date | None
    report_submitted_on: datetime.date | None
    open_tasks: int
    overdue_tasks: int
    overdue_share: float | None
    level: int


def _day(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def lines(circular: Circular) -> list[CircularLine]:
    """The circular's rows, the reasons in the active language."""
    found = []
    for row in circular.rows:
        report_month = _day(row.get("report_month"))
        found.append(
            CircularLine(
                county_id=row["county_id"], county=row["county"],
                reasons=[str(Reason(reason).label) for reason in row.get("reasons", [])],
                report_month=Month.of(report_month) if report_month else None,
                report_deadline=_day(row.get("report_deadline")),
                report_submitted_on=_day(row.get("report_submitted_on")),
                open_tasks=row.get("open_tasks", 0), overdue_tasks=row.get("overdue_tasks", 0),
                overdue_share=row.get("overdue_share"), level=row.get("level", 0),
            )
        )  # fmt: skip
    return found


def title(circular: Circular) -> str:
    """关于…的通报: the official title, in Chinese whatever the reader's language."""
    names = "、".join(row["county"] for row in circular.rows)
    return f"关于{names}{circular.month:%Y}年{circular.month.month}月就业扶贫工作滞后情况的通报"


def heading(circular: Circular) -> str:
    """The circular's title in the reader's language (the PDF keeps the official one)."""
    names = _(", ").join(row["county"] for row in circular.rows)
    return _("Circular on %(counties)s for %(month)s") % {
        "counties": names,
        "month": f"{circular.month:%Y-%m}",
    }


def filename(circular: Circular) -> str:
    return f"通报_{circular.month:%Y-%m}.pdf"


def pdf_render(circular: Circular, *, actor: User | None, request=None) -> bytes:
    """The circular as an A4 PDF in Chinese (an official document), recorded as an export;
    casework.pdf.FontMissing when no CJK font is installed."""
    with translation.override("zh-hans"):
        context = {
            "circular": circular,
            "title": title(circular),
            "lines": lines(circular),
            "issuer": ISSUER,
            "month": Month.of(circular.month),
        }
        content = pdf.render_pdf("supervision/circular_pdf.html", context, request=request)
    exports.export_logged(actor=actor, kind=EXPORT_KIND, description=f"通报 {circular.month:%Y-%m}",
                          rows=len(circular.rows))  # fmt: skip
    return content
