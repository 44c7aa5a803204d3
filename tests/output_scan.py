"""Every output the test suite produces, scanned for full ID and mobile numbers.

Pages, JSON, exports (xlsx, csv), PDFs (through pdftotext), e-mails, WeCom robot messages and
log lines: a whole 18-character ID number (with a valid check character, computed here apart
from casework.idnumber) or an 11-digit mobile number fails the test that produced it, unless

- the output is an audited one: the request that produced it recorded a reveal or an export of
  full numbers (an ExportLog row with full_id_numbers, a reveal, the contact table of officials),
  or
- the number came in with the request itself (a form echoing what its user typed), or
- it is a mobile number on the contact table's pages (/contacts/: the work mobiles of the
  officials that 附件3 lists, shown to those who keep the table; not a laborer's number).

Loaded by tests/conftest.py. The findings of one test are reported in its teardown.
"""

import io
import logging
import re
import shutil
import subprocess
import threading
import zipfile

import pytest

ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d{9})(?![0-9A-Za-z])")
AUDITED_KINDS = {"reveal_phone", "reveal_id_number", "contacts"}
OFFICIALS_PAGES = ("/contacts/",)

findings: list[str] = []
scanned_counts: dict[str, int] = {}
_request = threading.local()


def _count(kind: str) -> None:
    scanned_counts[kind] = scanned_counts.get(kind, 0) + 1


def _valid_id(number: str) -> bool:
    """GB 11643's check: weights 2**(17-i) mod 11, check (12 - sum mod 11) mod 11, 10 as X."""
    total = sum(int(digit) * (2 ** (17 - i) % 11) for i, digit in enumerate(number[:17]))
    check = (12 - total % 11) % 11
    return number[17].upper() == ("X" if check == 10 else str(check))


def numbers_in(text: str) -> set[str]:
    found = {match.upper() for match in ID.findall(text) if _valid_id(match)}
    found |= set(MOBILE.findall(text))
    return found


def _text_of(content: bytes) -> str:
    if content.startswith(b"%PDF"):
        if not shutil.which("pdftotext"):
            _count("PDFs not read (no pdftotext)")
            return ""
        _count("PDFs")
        done = subprocess.run(
            ["pdftotext", "-q", "-", "-"], input=content, capture_output=True, check=False
        )
        return done.stdout.decode("utf-8", "replace")
    if content.startswith(b"PK\x03\x04"):  # xlsx, docx: the text is in the XML parts
        _count("workbooks")
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                return "\n".join(
                    archive.read(name).decode("utf-8", "replace")
                    for name in archive.namelist()
                    if name.endswith(".xml")
                )
        except zipfile.BadZipFile:
            return ""
    return content.decode("utf-8", "replace")


def _request_numbers(request) -> set[str]:
    typed = []
    for query in (request.GET, getattr(request, "_post", None) or {}):
        for key in query:
            typed.extend(query.getlist(key))
    return numbers_in(" ".join(str(value) for value in typed) + " " + request.path)


def _report(where: str, numbers: set[str]) -> None:
    findings.append(f"{where}: {', '.join(sorted(numbers))}")


def _scan_response(request, response) -> None:
    _count("responses")
    if getattr(_request, "audited", False):
        _count("audited responses (not judged)")
        return
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
        response.streaming_content = [content]
    else:
        content = response.content
    numbers = numbers_in(_text_of(content))
    numbers -= _request_numbers(request)
    if request.path.startswith(OFFICIALS_PAGES):
        numbers = {number for number in numbers if len(number) != 11}
    if numbers:
        _report(f"{request.method} {request.get_full_path()} ({response.status_code})", numbers)


class _LogScan(logging.Handler):
    """Formats each record as the project's handlers do (settings.LOGGING) and scans it."""

    def __init__(self, formatter):
        super().__init__(level=logging.DEBUG)
        self.setFormatter(formatter)

    def emit(self, record):
        try:
            line = self.format(record)
        except Exception:  # a record that cannot be formatted is not ours to judge
            return
        _count("log lines")
        numbers = numbers_in(line)
        if numbers:
            _report(f"log {record.name}", numbers)


@pytest.fixture(scope="session", autouse=True)
def _output_scan_installed(django_db_setup):
    from django.conf import settings
    from django.core.handlers.base import BaseHandler
    from django.db.models.signals import post_save

    from casework.models import ExportLog
    from notifications import channels

    get_response = BaseHandler.get_response

    def scanned(self, request):
        _request.audited = False
        response = get_response(self, request)
        _scan_response(request, response)
        return response

    def audited(sender, instance, created, **kwargs):
        if created and (instance.full_id_numbers or instance.kind in AUDITED_KINDS):
            _request.audited = True

    robot_post = channels.robot_post

    def robot_scanned(*, url, content):
        _count("WeCom robot messages")
        numbers = numbers_in(content)
        if numbers:
            _report("WeCom robot message", numbers)
        return robot_post(url=url, content=content)

    line = settings.LOGGING["formatters"]["line"]
    factory = line.get("()", "logging.Formatter")
    if isinstance(factory, str):
        module, _, name = factory.rpartition(".")
        factory = getattr(__import__(module, fromlist=[name]), name)
    handler = _LogScan(factory(line["format"]))
    logging.getLogger().addHandler(handler)
    BaseHandler.get_response = scanned
    post_save.connect(audited, sender=ExportLog, dispatch_uid="output-scan")
    channels.robot_post = robot_scanned
    yield
    BaseHandler.get_response = get_response
    channels.robot_post = robot_post
    post_save.disconnect(sender=ExportLog, dispatch_uid="output-scan")
    logging.getLogger().removeHandler(handler)


@pytest.fixture(autouse=True)
def no_full_numbers_in_outputs(_output_scan_installed):
    findings.clear()
    yield
    from django.core import mail

    for message in getattr(mail, "outbox", []):
        _count("e-mails")
        parts = [message.subject, message.body]
        parts += [content for content, _type in getattr(message, "alternatives", [])]
        numbers = numbers_in("\n".join(str(part) for part in parts))
        if numbers:
            _report(f"e-mail to {', '.join(message.to)}", numbers)
    if findings:
        found = "\n".join(findings)
        findings.clear()
        pytest.fail(f"full ID or mobile numbers left the system unaudited:\n{found}")


def summary() -> str:
    counts = ", ".join(f"{count:,} {kind}" for kind, count in sorted(scanned_counts.items()))
    return f"outputs scanned for full ID and mobile numbers: {counts or 'none'}"
