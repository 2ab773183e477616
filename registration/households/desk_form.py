"""Between the desk form and the desk service: raw input out of the form (refusals go back onto it through
``app.views.put_on_form``)."""

from __future__ import annotations

from flask import Request

from app.errors import UserValueError
from registration.households.forms import DeskForm
from registration.photos import MAX_UPLOAD_BYTES, from_data_url, process_photo, to_data_url


def raw_input(form: DeskForm, request: Request) -> tuple[dict, dict[str, list[str]]]:
    """The form's data as the service's raw dict, and photo refusals by field name.

    Photos are processed here so that a photo taken or chosen is kept when the form comes back
    with other mistakes: the small JPEG goes into the row's hidden ``photo_data`` field.
    """
    photo_errors: dict[str, list[str]] = {}
    members = []
    for index, entry in enumerate(form.members.entries):
        row = {k: v for k, v in entry.form.data.items() if k not in ("photo", "photo_data")}
        row["_index"] = int(entry.name.rsplit("-", 1)[-1]) if entry.name.rsplit("-", 1)[-1].isdigit() else index
        row["not_duplicates"] = request.form.getlist(f"{entry.name}-not_duplicates")
        try:
            jpeg = _photo(entry, request)
        except UserValueError as exc:
            photo_errors[f"{entry.name}-photo"] = [exc.message]
            entry.form.photo_data.data = ""
        else:
            if jpeg:
                entry.form.photo_data.data = to_data_url(jpeg)
                row.update(photo=jpeg, photo_ready=True)
        members.append(row)
    raw = {
        "camp_id": form.camp_id.data,
        "arrival_date": form.arrival_date.data,
        "crossing_point": form.crossing_point.data,
        "origin_province": form.origin_province.data,
        "origin_district": form.origin_district.data,
        "phone": form.phone.data,
        "languages": form.languages.data,
        "consent": {"yes": True, "no": False}.get(form.consent.data),
        "notes": form.notes.data,
        "token": form.token.data,
        "members": members,
        "sms_consent": form.sms_consent.data or "",
        "sms_language": form.sms_language.data or "",
    }
    return raw, photo_errors


def _photo(entry, request: Request) -> bytes | None:
    upload = request.files.get(f"{entry.name}-photo")
    if upload and upload.filename:
        data = upload.stream.read(MAX_UPLOAD_BYTES + 1)
        return process_photo(data) if data else None
    pasted = from_data_url(entry.form.photo_data.data or "")
    return process_photo(pasted) if pasted else None


def fill_from_pending(form: DeskForm, household, user) -> None:
    """Show a pre-registered household in the desk form, one row per person still on the list,
    with only the needs codes ``user`` may see (saving keeps the others)."""
    from types import SimpleNamespace

    from registration import births, needs

    form.pending.data = household.number
    form.camp_id.data = household.camp_id
    for key in ("arrival_date", "crossing_point", "origin_province", "origin_district", "phone", "notes"):
        getattr(form, key).data = getattr(household, key)
    form.languages.data = household.language_list
    form.members.entries = []
    for person in household.active_members:
        names = {
            k: getattr(person, k)
            for k in (
                "given_name",
                "given_name_orig",
                "father_name",
                "father_name_orig",
                "family_name",
                "family_name_orig",
                "grandfather_name",
                "grandfather_name_orig",
            )
        }
        form.members.append_entry(
            SimpleNamespace(
                **names,
                sex=person.sex,
                born=births.format_born(person.birth_date, person.birth_precision),
                relation_to_head=person.relation_to_head,
                marital_status=person.marital_status or "",
                tazkira=person.tazkira,
                needs=", ".join(needs.shown_to(user, person.need_codes)),
                photo=None,
                photo_data="",
                person_id=str(person.id),
            )
        )
