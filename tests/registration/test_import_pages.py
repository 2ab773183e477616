"""Uploading a pre-registration list: report first, import only after confirming."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from registration.households.models import Household
from registration.imports.models import ImportBatch

GOOD = (
    "household_ref,person_ref,relationship,given_name,given_name_orig,father_name,sex,born,arrival_date\n"
    "H1,P1,head,Nasir,ناصر,Jalil,m,1977,2026-11-01\n"
    "H1,P2,spouse,Setara,ستاره,Saboor,f,1983,2026-11-01\n"
    "H2,P3,head,Karima,کریمه,Rahim,f,1990,2026-11-02\n"
    "H3,P4,head,Ahmad,احمد,Wali,m,2999,2026-11-02\n"
)


def upload(client, camp, content=GOOD, name="border-list.csv"):
    return client.post(
        "/imports",
        data={"camp_id": str(camp.id), "file": (io.BytesIO(content.encode()), name)},
        content_type="multipart/form-data",
    )


def test_upload_reports_then_imports_pending_households(client, login_as, make, session):
    camp = make.camp("KHR")
    login_as("registration_clerk")
    response = upload(client, camp)
    assert response.status_code == 302
    report = client.get(response.headers["Location"]).data.decode()
    assert 'data-testid="import-problems"' in report and "future" in report
    assert session.scalar(select(func.count()).select_from(Household)) == 0
    batch = session.scalar(select(ImportBatch))
    assert client.post(f"/imports/{batch.id}/commit").status_code == 302
    pending = session.scalars(select(Household).where(Household.status == "pending")).all()
    assert len(pending) == 2 and {h.source_list for h in pending} == {"border-list"}
    assert client.get(f"/imports/{batch.id}/progress").get_json()["imported"] == 2
    again = client.post(f"/imports/{batch.id}/commit")
    assert again.status_code == 302
    assert session.scalar(select(func.count()).select_from(Household)) == 2


def test_unusable_file_is_reported_and_nothing_saved(client, login_as, make, session):
    camp = make.camp("KHR")
    login_as("registration_clerk")
    response = upload(client, camp, content="\x00\x01 not a list", name="junk.csv")
    page = client.get(response.headers["Location"]).data.decode()
    assert "This file cannot be used" in page
    assert session.scalar(select(func.count()).select_from(Household)) == 0


def test_xlsform_download(client, login_as):
    login_as("registration_clerk")
    response = client.get("/imports/xlsform.xlsx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
