"""The two outside channels, called outside any database transaction: SMTP through Django's
e-mail framework, and a WeCom group robot's webhook. Each answers an Outcome, never raises."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

# seconds to wait for a robot's answer; a slower one counts as a timeout and is tried again
WEBHOOK_TIMEOUT = 10


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A robot's address answers itself: a redirect (elsewhere, perhaps inside) is a failure."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass(frozen=True)
class Outcome:
    acknowledged: bool
    timed_out: bool = False
    error: str = ""
    response: str = ""


def email_send(
    *, connection: BaseEmailBackend, to: str, subject: str, body: str, message_id
) -> Outcome:
    """Hand one e-mail (to one address or several, comma-separated) to the SMTP server; its
    Message-ID is the message's stable id."""
    headers = {"Message-ID": f"<{message_id}@casework>", "X-Casework-Message-Id": str(message_id)}
    recipients = [address.strip() for address in to.split(",") if address.strip()]
    message = EmailMessage(
        subject=subject, body=body, to=recipients, connection=connection, headers=headers
    )
    try:
        message.send(fail_silently=False)
    except TimeoutError as error:
        return Outcome(False, timed_out=True, error=repr(error))
    except Exception as error:  # any refusal of the server is a failed attempt, tried again
        return Outcome(False, error=repr(error))
    return Outcome(True, response="accepted")


def robot_post(*, url: str, content: str) -> Outcome:
    """POST a markdown message to a WeCom group robot; {"errcode": 0} is its acknowledgement."""
    payload = json.dumps({"msgtype": "markdown", "markdown": {"content": content}})
    request = urllib.request.Request(
        url, data=payload.encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with _OPENER.open(request, timeout=WEBHOOK_TIMEOUT) as reply:
            text = reply.read(1_000).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        body = error.read(1_000).decode("utf-8", "replace")
        return Outcome(False, error=f"HTTP {error.code}", response=body)
    except TimeoutError as error:
        return Outcome(False, timed_out=True, error=repr(error))
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            return Outcome(False, timed_out=True, error=repr(error.reason))
        return Outcome(False, error=repr(error.reason))
    except OSError as error:
        return Outcome(False, error=repr(error))
    try:
        answer = json.loads(text)
    except ValueError:
        return Outcome(False, error="not JSON", response=text)
    if isinstance(answer, dict) and answer.get("errcode") == 0:
        return Outcome(True, response=text)
    errcode = answer.get("errcode") if isinstance(answer, dict) else None
    return Outcome(False, error=f"errcode {errcode}", response=text)
