"""Mixed workload for ``bench.load`` (locust 2.x, headless): 50 people browsing at once.

The plan (which user opens which pages) is written by ``bench.load`` to the JSON file named
by ``BENCH_PLAN``: for each role, the accounts, a signed-in session of each and their pages.
Each simulated person takes a session (logging in 50 times would measure the password hash,
about a second of CPU each, not the pages), then opens its role's pages with a short think
time; the share of roles follows the people who use the app (leaders most, provincial staff
least). FastHttpUser (geventhttpclient) keeps the load generator's own CPU small: it
shares the machine with gunicorn and PostgreSQL.
"""

from __future__ import annotations

import json
import os
import random

from locust import FastHttpUser, between, task

PLAN = json.loads(open(os.environ["BENCH_PLAN"]).read())  # noqa: SIM115


class Person(FastHttpUser):
    abstract = True
    role = ""
    wait_time = between(0.05, 0.3)

    def on_start(self) -> None:
        plan = PLAN[self.role]
        account = random.choice(plan["accounts"])
        self.pages = account["pages"]
        self.headers = {"Cookie": f"sessionid={account['session']}"}

    @task
    def browse(self) -> None:
        name, url = random.choice(self.pages)
        with self.client.get(
            url, name=name, headers=self.headers, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 200:  # a redirect to the login page fails too
                response.failure(f"{response.status_code}")


class Leader(Person):
    role = "leader"
    weight = 7


class CommuneStaff(Person):
    role = "commune"
    weight = 2


class ProvinceStaff(Person):
    role = "province"
    weight = 1
