"""System checks of what the project needs from the host: a CJK font for the PDFs."""

from django.core.checks import Error, Warning, register

from . import pdf

HINT = "apt-get install " + pdf.CJK_PACKAGES


@register("casework")
def cjk_font_check(app_configs=None, **kwargs):
    """Without a CJK font every PDF is refused: a warning in development."""
    if pdf.cjk_font_available():
        return []
    return [Warning(pdf.font_missing_message(), hint=HINT, id="casework.W001")]


@register("casework", deploy=True)
def cjk_font_deploy_check(app_configs=None, **kwargs):
    """…and an error for a deployment (`check --deploy`)."""
    if pdf.cjk_font_available():
        return []
    return [Error(pdf.font_missing_message(), hint=HINT, id="casework.E001")]
