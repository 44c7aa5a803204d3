"""The load test (issue 16, step 4): the daily journeys of each role against a running server.

Run by bench/load.py, which writes the users file, starts gunicorn and locust and reports;
by hand:

    LOAD_USERS=/tmp/load-users.json .venv/bin/locust -f bench/locustfile.py --headless \\
        -u 50 -r 5 -t 5m -H http://127.0.0.1:8001

The users file (bench/load.py `users`) lists the logins of the province data set
(bench/province.py) by role, each with the villages it works in. A simulated user logs in once,
then repeats its role's journey with a pause of 1–5 s between steps (a person reading a page):

- a caseworker (6 in 9): the inbox, a case from it, the queue, a search of the case list, and
  now and then a survey: it opens a survey task of its queue, claims it and submits the form;
  the case list of a village exported (xlsx, answered in the request);
- a county supervisor (2 in 9): home, the overdue list, the team page, the case list by stage,
  the needs list, the open tasks, a case page;
- city staff (1 in 9): home, the case list 200 pages in, the overdue list, the needs list, a
  county's team page, a case page.

Every response must be 200 (a redirect followed); anything else is an error in the report.
"""

import json
import os
import random
import re
from datetime import date
from pathlib import Path

from locust import HttpUser, between, task

USERS = json.loads(Path(os.environ.get("LOAD_USERS", "/tmp/load-users.json")).read_text())
PASSWORD = USERS["password"]
TASK_LINK = re.compile(r'href="/tasks/(\d+)/"')
CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _value(page: str, name: str) -> str | None:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    return found.group(1) if found else None


def _selected(page: str, name: str) -> str | None:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S)
    if not select:
        return None
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(0))
    return chosen.group(1) if chosen else None


class Role(HttpUser):
    abstract = True
    wait_time = between(1, 5)
    role = ""

    def on_start(self):
        self.login = random.choice(USERS[self.role])
        self.cases: list[str] = []
        page = self.client.get("/accounts/login/", name="login").text
        self.client.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": CSRF.search(page).group(1), "username": self.login["username"],
             "password": PASSWORD, "next": "/"},
            name="login", headers={"Referer": self.host + "/accounts/login/"},
        )  # fmt: skip

    def get(self, url: str, name: str) -> str:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200 or "/accounts/login/" in response.url:
                response.failure(f"{response.status_code} at {response.url}")
                return ""
            return response.text

    def post(self, url: str, data: dict, name: str, referer: str) -> None:
        page = self.client.get(referer, name=name + " (form)").text
        token = CSRF.search(page)
        data = {**data, "csrfmiddlewaretoken": token.group(1) if token else ""}
        with self.client.post(url, data, name=name, catch_response=True,
                              headers={"Referer": self.host + referer}) as response:  # fmt: skip
            if response.status_code != 200:
                response.failure(f"{response.status_code} at {response.url}")

    def remember_cases(self, page: str) -> None:
        found = CASE_LINK.findall(page)
        if found:
            self.cases = found[:20]

    def case_page(self):
        if self.cases:
            self.get(f"/cases/{random.choice(self.cases)}/", "case page")


class Caseworker(Role):
    weight = 6
    role = "caseworker"

    @task(4)
    def inbox(self):
        self.remember_cases(self.get("/tasks/inbox/", "inbox"))

    @task(4)
    def case(self):
        self.case_page()

    @task(2)
    def queue(self):
        self.get("/tasks/queue/", "queue")

    @task(1)
    def search(self):
        # a laborer found by the last digits of the ID number, as a caseworker at a door does
        self.remember_cases(self.get(f"/cases/?q={random.randint(0, 9999):04d}", "case search"))

    @task(1)
    def survey(self):
        page = self.get("/tasks/queue/?kind=survey", "queue of surveys")
        tasks = TASK_LINK.findall(page)
        if not tasks:
            return
        url = f"/tasks/{random.choice(tasks)}/"
        self.post(url + "claim/", {}, "claim a task", url)
        form = self.get(url, "survey task")
        name, sex = _value(form, "name"), _selected(form, "sex")
        if not name:
            return  # another user claimed it first
        self.post(url, {
            "name": name, "sex": sex or "male", "surveyed_on": date.today().isoformat(),
            "employment_status": "farming", "reasons": "skills", "wished_location": "in_county",
            "wished_form": "employee", "training_wish": "no", "startup_wish": "no",
        }, "survey submit", url)  # fmt: skip

    @task(1)
    def export(self):
        village = random.choice(self.login["villages"])
        with self.client.get(f"/cases/ledger.xlsx?village={village}", name="village export",
                             catch_response=True) as response:  # fmt: skip
            kind = response.headers.get("Content-Type", "")
            if response.status_code != 200 or "spreadsheet" not in kind:
                response.failure(f"{response.status_code} {kind}")


class Supervisor(Role):
    weight = 2
    role = "supervisor"

    @task(2)
    def home(self):
        self.get("/", "home")

    @task(2)
    def overdue(self):
        self.remember_cases(self.get("/tasks/overdue/", "overdue"))

    @task(1)
    def team(self):
        self.get("/tasks/team/", "team")

    @task(2)
    def cases(self):
        stage = random.choice(["identified", "surveyed", "assisted", "employed"])
        self.remember_cases(self.get(f"/cases/?stage={stage}", "case list by stage"))

    @task(1)
    def needs(self):
        self.get("/needs/", "needs")

    @task(1)
    def open_tasks(self):
        self.get("/tasks/open/", "open tasks")

    @task(2)
    def case(self):
        self.case_page()


class CityStaff(Role):
    weight = 1
    role = "city"

    @task(2)
    def home(self):
        self.get("/", "home")

    @task(2)
    def cases(self):
        self.remember_cases(self.get("/cases/?page=200", "case list page 200"))

    @task(1)
    def overdue(self):
        self.get("/tasks/overdue/", "overdue")

    @task(1)
    def needs(self):
        self.get("/needs/", "needs")

    @task(1)
    def team(self):
        self.get(f"/tasks/team/?county={random.choice(USERS['counties'])}", "team of a county")

    @task(2)
    def case(self):
        self.case_page()
