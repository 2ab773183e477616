"""Feedback scenarios (issue 7): the case list of the feedback officer and the dashboard, with
100,000 feedback cases in the benchmark database.

The cases are inserted once per database (the server runs on a copy of the cached world, so once per
run), with Core inserts of 10,000 rows, before the first scenario: camps KHR, SHR and ISH, 26 weeks of
cases of every type (about 3 % sensitive), sector and channel, most old ones responded or closed
(a fifth of them late), some still open past their due date.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from benchmarks import measure
from benchmarks.client import BenchError
from benchmarks.scenarios import Context, scenario

CASES = 100_000
WEEKS = 26
CAMP_SHARES = {"KHR": 0.55, "SHR": 0.30, "ISH": 0.15}
TYPE_WEIGHTS = {
    "information_request": 30,
    "assistance_request": 24,
    "complaint": 20,
    "suggestion": 8,
    "appreciation": 7,
    "rumour": 8,
    "sensitive": 3,
}
SECTOR_WEIGHTS = {
    "food": 22,
    "shelter": 18,
    "wash": 15,
    "health": 12,
    "distribution": 12,
    "registration": 10,
    "protection": 6,
    "other": 5,
}
CHANNEL_WEIGHTS = {
    "help_desk": 35,
    "hotline": 20,
    "kiosk": 12,
    "suggestion_box": 10,
    "community_meeting": 10,
    "distribution_point": 10,
    "other": 3,
}
SENSITIVE_CATEGORIES = ("sea", "fraud", "misconduct", "safety", "child_protection")
LANGUAGES = ("fa", "fa", "fa", "ps", "tg", "ru", "uz")
CHUNK = 10_000

_ready: set[int] = set()  # server ports whose database has the cases


def _app(env: dict):
    from app import create_app

    return create_app(
        {"DATABASE_URL": env["PANOH_DATABASE_URL"], "INSTANCE_PATH": env["PANOH_INSTANCE_PATH"], "SECRET_KEY": "bench"}
    )


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _done_share(age_days: float) -> float:
    """How many cases of this age have been responded to (or closed)."""
    return 0.1 if age_days < 3 else 0.45 if age_days < 14 else 0.75 if age_days < 30 else 0.93


def _case_rows(rng: random.Random, first_id: int, count: int, camps: dict[str, int], now: datetime) -> list[dict]:
    from camps.feedback.services import DUE_HOURS

    today = now.date()
    codes, shares = list(camps), [CAMP_SHARES[c] for c in camps]
    rows = []
    for case_id in range(first_id, first_id + count):
        code = rng.choices(codes, weights=shares)[0]
        received: date = today - timedelta(days=int(WEEKS * 7 * rng.random() ** 1.15))
        created = datetime.combine(received, time(3)) + timedelta(minutes=rng.randrange(600))
        created = min(created, now - timedelta(minutes=5))
        type_ = _pick(rng, TYPE_WEIGHTS)
        sector = "protection" if type_ == "sensitive" and rng.random() < 0.7 else _pick(rng, SECTOR_WEIGHTS)
        due = created + timedelta(hours=DUE_HOURS[type_])
        age = (now - created).total_seconds() / 86400
        status = rng.choice(("new", "acknowledged", "in_progress", "referred"))
        responded = communicated = closed = None
        if age < 2:
            status = "new" if rng.random() < 0.7 else "acknowledged"
        if rng.random() < _done_share(age):
            allowed = DUE_HOURS[type_] * (rng.uniform(0.05, 0.9) if rng.random() < 0.8 else rng.uniform(1.0, 1.6))
            responded = min(created + timedelta(hours=allowed), now - timedelta(minutes=1))
            status = "responded"
            if rng.random() < 0.65 and responded + timedelta(days=1) < now:
                communicated = closed = responded + timedelta(days=1)
                status = "closed"
        anonymous = rng.random() < 0.2
        rows.append(
            {
                "id": case_id,
                "reference": f"FB-{code}-{case_id:06d}",
                "camp_id": camps[code],
                "channel": _pick(rng, CHANNEL_WEIGHTS),
                "received_on": received,
                "type": type_,
                "sensitive": type_ == "sensitive",
                "sensitive_category": rng.choice(SENSITIVE_CATEGORIES) if type_ == "sensitive" else None,
                "sector": sector,
                "description": f"Benchmark case {case_id}: the water point near block B0{case_id % 9 + 1} is broken.",
                "language": rng.choice(LANGUAGES),
                "anonymous": anonymous,
                "consent_to_contact": not anonymous,
                "contact": None,
                "status": status,
                "due_at": due,
                "response": "Repaired." if responded else None,
                "responded_at": responded,
                "communicated_at": communicated,
                "communicated_how": "help desk" if communicated else None,
                "closed_at": closed,
                "created_at": created,
                "updated_at": closed or responded or created,
            }
        )
    return rows


def ensure_cases(ctx: Context) -> int:
    """At least CASES feedback cases in the server's database; returns how many were added."""
    if ctx.server.port in _ready:
        return 0
    from app.db import advance_sequences, own_transaction, utcnow
    from camps.feedback.models import FeedbackCase
    from camps.sites.models import Camp

    app = _app(ctx.server.env)
    added = 0
    with app.app_context(), own_transaction() as session:
        have = session.scalar(select(func.count()).select_from(FeedbackCase)) or 0
        if have < CASES:
            camps = dict(session.execute(select(Camp.code, Camp.id).where(Camp.code.in_(CAMP_SHARES))).all())
            if len(camps) != len(CAMP_SHARES):
                raise BenchError(f"feedback: camps {sorted(CAMP_SHARES)} expected, found {sorted(camps)}")
            rng = random.Random(7)
            next_id = (session.scalar(select(func.max(FeedbackCase.id))) or 0) + 1
            now = utcnow()
            while added < CASES - have:
                count = min(CHUNK, CASES - have - added)
                session.execute(FeedbackCase.__table__.insert(), _case_rows(rng, next_id, count, camps, now))
                next_id += count
                added += count
            advance_sequences(session, FeedbackCase.__table__)
    app.extensions["panoh.db"].engine.dispose()
    _ready.add(ctx.server.port)
    return added


def _latency(ctx: Context, username: str, paths: list[str]) -> dict[str, float]:
    client = ctx.client(username)
    try:
        return measure.summary(measure.latency_ms(client, paths, ctx.limits))
    finally:
        client.close()


def _exists(ctx: Context, username: str, path: str) -> bool:
    client = ctx.client(username)
    try:
        status, _headers, _body = client.request("GET", path)
    finally:
        client.close()
    if status == 404:
        print(f"  ({path} answers 404: not built yet, not measured)")
    return status != 404


@scenario("feedback.case_list")
def case_list(ctx: Context) -> dict[str, float]:
    """The feedback officer ``feedback`` (camp KHR) paging the case list, and filtering it by status and overdue."""
    ensure_cases(ctx)
    if not _exists(ctx, "feedback", "/feedback"):
        raise BenchError("/feedback is missing")
    figures = _latency(ctx, "feedback", [f"/feedback?page={n}" for n in range(1, 41)])
    for name, path in (("new", "/feedback?status=new"), ("overdue", "/feedback?overdue=1")):
        filtered = _latency(ctx, "feedback", [path, path.replace("?", "?page=2&")] * 20)
        figures.update({f"{name}_{metric}": value for metric, value in filtered.items()})
    return figures


@scenario("feedback.dashboard")
def dashboard(ctx: Context) -> dict[str, float]:
    """The dashboard (12 weeks, all their camps) as the site manager ``site`` (KHR, SHR) and ``viewer`` (all
    camps); then the viewer's 26 weeks and one camp."""
    ensure_cases(ctx)
    if not _exists(ctx, "viewer", "/feedback/dashboard"):
        raise BenchError("/feedback/dashboard is missing")
    figures: dict[str, float] = {}
    for name, username, path in (
        ("site", "site", "/feedback/dashboard"),
        ("viewer", "viewer", "/feedback/dashboard"),
        ("viewer_26w", "viewer", "/feedback/dashboard?weeks=26"),
        ("viewer_khr", "viewer", "/feedback/dashboard?camp=KHR"),
    ):
        result = _latency(ctx, username, [path])
        # the headline figure (feedback.dashboard.p95_ms) is headquarters' default view: all camps, 12 weeks
        figures.update(result if name == "viewer" else {f"{name}_{metric}": value for metric, value in result.items()})
    return figures
