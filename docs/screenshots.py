"""Take the README's screenshots from a running demo:
python docs/screenshots.py [BASE_URL [FILE ...]] (only the files named, if any)."""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
ONLY = set(sys.argv[2:])
OUT = Path(__file__).parent / "img"
SHOTS = [
    # (file, user, path, language, width)
    ("case-list-zh.png", "sup_zijin", "/cases/", "zh-hans", 1360),
    ("case-list-en.png", "sup_zijin", "/cases/", "en", 1360),
    ("home-caseworker.png", "cw_zijin", "/", "zh-hans", 1360),
    ("home-supervisor.png", "sup_zijin", "/", "zh-hans", 1360),
    ("home-city.png", "city", "/", "zh-hans", 1360),
    ("tablet-case-list.png", "cw_zijin", "/cases/", "zh-hans", 768),
    ("case-detail-zh.png", "cw_zijin", "/cases/{first_case}/", "zh-hans", 1360),
    ("inbox-zh.png", "cw_zijin", "/tasks/inbox/", "zh-hans", 1360),
    ("queue-zh.png", "cw_zijin", "/tasks/queue/", "zh-hans", 1360),
    ("overdue-zh.png", "sup_zijin", "/tasks/overdue/", "zh-hans", 1360),
    ("team-en.png", "sup_zijin", "/tasks/team/", "en", 1360),
    ("task-survey-zh.png", "cw_zijin", "{first_task}", "zh-hans", 1360),
    ("notifications-zh.png", "cw_zijin", "/notifications/", "zh-hans", 1360),
    ("contacts-zh.png", "city", "/contacts/", "zh-hans", 1360),
]


def main():
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for name, user, path, language, width in SHOTS:
            if ONLY and name not in ONLY:
                continue
            height = 1024 if width < 1000 else 900  # a tablet held upright
            context = browser.new_context(viewport={"width": width, "height": height})
            host = BASE.split("//")[1].split(":")[0]
            context.add_cookies(
                [{"name": "django_language", "value": language, "domain": host, "path": "/"}]
            )
            page = context.new_page()
            page.goto(f"{BASE}/accounts/login/")
            page.fill("#id_username", user)
            page.fill("#id_password", "casework-demo")
            page.click("button[type=submit].primary")
            if path == "{first_task}":
                page.goto(BASE + "/tasks/inbox/")
                path = page.locator("table.table tbody a").first.get_attribute("href")
            if "{first_case}" in path:
                page.goto(BASE + "/cases/?sort=name")
                href = page.locator("table.table tbody a").first.get_attribute("href")
                path = href
            page.goto(BASE + path)
            page.screenshot(path=str(OUT / name), full_page=True)
            context.close()
            print("wrote", OUT / name)
        browser.close()


if __name__ == "__main__":
    main()
