"""The one way the project prints a PDF: a Django template rendered by weasyprint with a CJK
font embedded, refused (FontMissing) rather than printed as empty boxes when none is installed.

Templates extend `pdf/base.html` (A4 portrait; `{% block orientation %}landscape{% endblock %}`
for wide tables), whose print CSS (`pdf/print.css`) names the font for the text and for the
page's margin boxes (page numbers).
"""

import functools
import glob
import shutil
import subprocess

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from weasyprint import HTML

CJK_PACKAGES = "fonts-noto-cjk libharfbuzz-subset0"
# where Debian's fonts-noto-cjk puts its files, for hosts without fontconfig's fc-list
FONT_FILES = "/usr/share/fonts/**/Noto*CJK*"


class FontMissing(Exception):
    """No CJK font is installed: a PDF would print empty boxes for every Chinese character."""

    def __str__(self) -> str:
        return font_missing_message()


def font_missing_message() -> str:
    """What to install, in the active language."""
    return _(
        "No Chinese (CJK) font is installed, so PDFs cannot be printed. Install the Debian "
        "packages %(packages)s (apt-get install %(packages)s)."
    ) % {"packages": CJK_PACKAGES}


@functools.cache
def cjk_font_available() -> bool:
    """Whether fontconfig knows a font covering Chinese (asked once per process)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return bool(glob.glob(FONT_FILES, recursive=True))
    try:
        listed = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return listed.returncode == 0 and bool(listed.stdout.strip())


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """The template rendered to PDF bytes; FontMissing when no CJK font is installed."""
    if not cjk_font_available():
        raise FontMissing
    html = render_to_string(template_name, context, request=request)
    # no base URL: a PDF fetches nothing (no request back to this server, nothing remote);
    # its CSS is inline (pdf/print.css) and charts are inline SVG
    return HTML(string=html).write_pdf()


def pdf_response(content: bytes, *, filename: str, personal: bool = True) -> HttpResponse:
    """A PDF as a download (UTF-8 file names allowed); one with personal data is never kept
    by a browser's or a proxy's cache."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store" if personal else "private, max-age=0"
    return response


def font_missing_response(request, error: FontMissing | None = None) -> HttpResponse:
    """The page a PDF view answers instead of a traceback: what to install (503)."""
    return render(
        request, "pdf/font_missing.html", {"message": str(error or FontMissing())}, status=503
    )


def refused_without_font(view):
    """Decorates a view that prints: FontMissing becomes the 503 page naming the packages."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except FontMissing as error:
            return font_missing_response(request, error)

    return wrapper
