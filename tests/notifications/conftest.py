"""A county's robot on a local HTTP server, an SMTP server on localhost, events that notify."""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from casework import history
from casework.models import CaseEvent, Role
from notifications.models import CountyChannel
from tests.factories import staff

ACKNOWLEDGED = (200, '{"errcode":0,"errmsg":"ok"}', 0)


class Robot:
    """What the robot received (each request's JSON) and how it answers the next ones."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[tuple[int, str, float]] = []  # (HTTP status, body, delay seconds)
        self.url = ""

    def contents(self) -> list[str]:
        return [request["markdown"]["content"] for request in self.requests]


@pytest.fixture
def robot(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    state = Robot()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            state.requests.append(json.loads(self.rfile.read(length)))
            status, body, delay = state.answers.pop(0) if state.answers else ACKNOWLEDGED
            time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode())
            except OSError:  # the client gave up waiting
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=test-key"
    yield state
    server.shutdown()
    server.server_close()


class Mailbox:
    def __init__(self):
        self.envelopes = []
        self.refuse = 0  # how many of the next messages to refuse with 451

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            return "451 Requested action aborted: try again later"
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on localhost (aiosmtpd), and the settings that send to it."""
    mailbox = Mailbox()
    with socket.socket() as probe:  # a free port (the controller checks the port it is given)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "casework@example.org"
    yield mailbox
    controller.stop()


@pytest.fixture
def worker(db):
    user = staff("cw_notified", Role.CASEWORKER, "紫金县/紫城镇")
    user.email = "cw@example.org"
    user.save()
    return user


@pytest.fixture
def zijin_robot(robot, zicheng):
    CountyChannel.objects.create(county=zicheng.county, wecom_webhook=robot.url)
    return robot


@pytest.fixture
def notify(django_capture_on_commit_callbacks):
    """Record an event that asks for messages and let its transaction commit."""

    def record(case, *, users=(), county=None, kind=CaseEvent.Kind.ASSISTANCE, **data):
        if users:
            data["notify"] = [user.pk for user in users]
        if county is not None:
            data["notify_county"] = county.pk
        with django_capture_on_commit_callbacks(execute=True):
            return history.case_event_record(case=case, kind=kind, data=data)

    return record
