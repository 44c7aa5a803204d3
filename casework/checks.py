"""System checks of what the project needs from the host: a CJK font for the PDFs, the key
that encrypts personal numbers."""

from django.conf import settings
from django.core.checks import Error, Warning, register

from . import crypto, pdf

HINT = "apt-get install " + pdf.CJK_PACKAGES
KEY_HINT = (
    "Set FIELD_ENCRYPTION_KEY to the output of "
    "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' "
    "and keep it apart from the backups (docs/encryption.md)."
)


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


def _encryption_key_problem() -> str | None:
    text = getattr(settings, "FIELD_ENCRYPTION_KEY", "")
    if not text:
        return "FIELD_ENCRYPTION_KEY is not set: personal numbers cannot be stored or read."
    try:
        crypto.parse_keys(text)
    except crypto.MalformedKey as error:
        return str(error)
    return None


@register("casework")
def encryption_key_check(app_configs=None, **kwargs):
    """A malformed FIELD_ENCRYPTION_KEY, or none in production, stops every command."""
    problem = _encryption_key_problem()
    if problem and (settings.FIELD_ENCRYPTION_KEY or settings.PRODUCTION):
        return [Error(problem, hint=KEY_HINT, id="casework.E002")]
    return []


@register("casework", deploy=True)
def encryption_key_deploy_check(app_configs=None, **kwargs):
    """A deployment needs its own key, not the development one (a missing or malformed key is
    casework.E002)."""
    if _encryption_key_problem():
        return []
    if (
        crypto.parse_keys(settings.FIELD_ENCRYPTION_KEY)[0]
        != crypto.INSECURE_DEVELOPMENT_KEY.encode()
    ):
        return []
    problem = "FIELD_ENCRYPTION_KEY writes with the insecure development key."
    return [Error(problem, hint=KEY_HINT, id="casework.E003")]
