"""Card print jobs live in the database: any server process answers for them, and a job whose
worker died is reported failed instead of running for ever."""
from __future__ import annotations

import json
import time

from app.db import own_transaction
from tests.app.live import Browser, serve
from tests.factories import PASSWORD, Factories


def test_every_server_process_answers_for_a_print_job(fresh_app, tmp_path):
    """With the jobs in one process's memory, about half the polls of two workers answered 404."""
    with fresh_app.app_context(), own_transaction() as session:
        make = Factories(session)
        for _ in range(4):
            make.household('KHR')
        make.user(roles=['registration_clerk'], camps=['KHR'], username='desk1')
    url = fresh_app.config['DATABASE_URL']
    fresh_app.extensions['panoh.db'].engine.dispose()
    with serve(url, tmp_path, workers=2) as base:
        browser = Browser(base)
        browser.login('desk1', PASSWORD)
        status, headers, _body = browser.post_form('/cards/queue', '/cards/queue', {'limit': '3'})
        assert status == 302, status
        job = headers['Location'].removeprefix(base)
        answers, states = [], []
        for _ in range(30):
            status, _headers, body = browser.get(job + '?format=json')
            answers.append(status)
            if status == 200:
                states.append(json.loads(body)['status'])
        assert answers == [200] * 30
        deadline = time.monotonic() + 60
        while states[-1] not in ('done', 'failed') and time.monotonic() < deadline:
            time.sleep(0.2)
            states.append(json.loads(browser.get(job + '?format=json')[2])['status'])
        assert states[-1] == 'done'
        status, _headers, pdf = browser.get(job + '/sheets.pdf')
        assert status == 200 and pdf.startswith(b'%PDF')
        assert browser.get(job + '/sheets.pdf')[0] == 404  # handed over once, whichever process is asked
