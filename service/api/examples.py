"""Examples for the OpenAPI schema, from the Safer Sefton Together minutes (seed 002)."""

from __future__ import annotations

from typing import Any

BODY = "Safer Sefton Together"
MEETING_ID = "0b1c9d7e-5f1a-5c43-9a57-3f1d2b6e8c10"
ACTION_ID = "7a9e4c2b-1d3f-5e6a-8b7c-9d0e1f2a3b4c"
WRITE = {
    "id": MEETING_ID,
    "version": 4,
    "position": 42,
    "etag": '"4"',
    "amendments": None,
    "projected": None,
}
PARAGRAPH = (
    "Further to Minute No. 36 of 17 March 2022, the Partnership considered the reports "
    "provided by SWACCA and other partners."
)
WORDING = (
    "That the Minutes of the meeting held on 22 June 2022 be approved as a correct record "
    'subject to the removal of the words "by SWACCA" in the first paragraph of Minute No. 6.'
)
AMENDMENT = {
    "op": "delete",
    "old": "by SWACCA",
    "new": None,
    "minute": "6",
    "paragraph": 1,
    "anchor": None,
    "position": None,
    "attendance_list": None,
}
ITEM = {
    "number": "6",
    "title": "Violence Against Women and Girls",
    "paragraphs": [PARAGRAPH],
    "resolutions": ["the reports be noted"],
    "references": [{"minute": "36", "meeting_date": "2022-03-17"}],
    "exempt": False,
    "exempt_reason": None,
    "withheld": False,
    "notes": [],
    "votes": [],
    "approves_minutes_of": None,
}
MINUTES = {
    "body": BODY,
    "body_slug": "safer-sefton-together",
    "meeting_date": "2022-06-22",
    "status": "confirmed",
    "version": 7,
    "confirmed_at": {"meeting_date": "2022-09-08", "minute": "16", "amendments": [AMENDMENT]},
    "items": [ITEM],
    "meeting_time": "10:00",
    "venue": "Remote meeting held on Microsoft Teams",
    "remote": True,
    "cancelled": False,
    "attendance": {
        "present": ["Councillor Hardy", "Councillor Sonya Kelly"],
        "chair": "Councillor Hardy",
        "also_present": ["Mary Mason"],
        "apologies": ["Superintendent Dawn McNally"],
        "absent": [],
    },
    "declarations": [],
    "call_in": False,
    "call_in_status": None,
    "next_meeting": "2022-09-08T10:00",
    "signature": None,
    "rescheduled_from": ["2022-06-09"],
}
TEXT_MINUTES = (
    "SAFER SEFTON TOGETHER\nREMOTE MEETING HELD ON MICROSOFT TEAMS ON "
    "WEDNESDAY 22 JUNE 2022\nConfirmed as a correct record at the meeting of 2022-09-08 "
    "(Minute No. 16), as amended\n\n6. VIOLENCE AGAINST WOMEN AND GIRLS\n\n"
    "Further to Minute No. 36 of 17 March 2022, the Partnership considered the reports\n"
    "provided and other partners.\n\nRESOLVED: the reports be noted\n"
)
EVENT = {
    "position": 42,
    "record_id": MEETING_ID,
    "version": 7,
    "event": "Meeting.MinutesConfirmed",
    "recorded_at": "2022-09-08T11:02:03.120000+00:00",
    "actor": {"id": "token:3f2a9c1b7d4e", "name": "Clerk to the Partnership", "role": "clerk"},
    "reason": "confirmed at the meeting of 8 September 2022",
    "request_id": "5f0c2d8e9a3b4c1d",
    "source": None,
    "data": {"confirmation": {"meeting_date": "2022-09-08", "minute": "16"}},
}
HISTORY_ENTRY = {
    "record_id": MEETING_ID,
    "version": 7,
    "event": "Meeting.MinutesConfirmed",
    "recorded_at": "2022-09-08T11:02:03.120000+00:00",
    "actor": EVENT["actor"],
    "reason": EVENT["reason"],
    "request_id": EVENT["request_id"],
    "source": None,
    "data": EVENT["data"],
}

BODY_SUMMARY = {
    "id": "c4c6f1e2-8a43-5b8e-9d0f-1a2b3c4d5e6f",
    "name": BODY,
    "slug": "sefton-safer-communities-partnership",
    "organisation": None,
    "former_names": ["Sefton Safer Communities Partnership"],
    "meetings": 3,
    "first_meeting": "2019-12-05",
    "last_meeting": "2022-09-08",
}
MEETING_SUMMARY = {
    "date": "2022-06-22",
    "time": "10:00",
    "venue": "Remote meeting held on Microsoft Teams",
    "remote": True,
    "status": "confirmed",
    "cancelled": False,
    "rescheduled_from": ["2022-06-09"],
    "items": 9,
    "first_minute": "1",
    "last_minute": "9",
    "confirmed_at": "2022-09-08",
    "confirmed_minute": "16",
}
ACTION_ROW = {
    "id": ACTION_ID,
    "body": BODY,
    "body_slug": "sefton-safer-communities-partnership",
    "meeting_date": "2022-03-17",
    "minute": "39",
    "part": 2,
    "description": "A further report be submitted to the September 2022 meeting",
    "owners": [],
    "due_date": None,
    "due_meeting_date": "2022-09-08",
    "due_text": "the September 2022 meeting",
    "status": "open",
    "overdue": True,
    "overdue_reason": "due at the meeting of 2022-09-08, which has taken place",
    "withheld": False,
    "history": [],
}
THREAD = {
    "id": "sefton-safer-communities-partnership:2022-03-17:36",
    "body": BODY,
    "body_slug": "sefton-safer-communities-partnership",
    "subject": "Violence Against Women and Girls",
    "first_date": "2022-03-17",
    "last_date": "2022-06-22",
    "entries": [
        {
            "meeting_date": "2022-03-17",
            "minute": "36",
            "title": "Violence Against Women and Girls",
            "summary": None,
            "withheld": False,
            "refers_to": [],
        },
        {
            "meeting_date": "2022-06-22",
            "minute": "6",
            "title": "Violence Against Women and Girls",
            "summary": None,
            "withheld": False,
            "refers_to": ["Minute No. 36 of 17 March 2022"],
        },
    ],
    "dangling": [],
}

#: operationId → (request body example or None, success response example or None)
EXAMPLES: dict[str, tuple[Any, Any]] = {
    "registerBody": ({"name": BODY, "organisation": "Sefton Council"}, WRITE),
    "getBody": (
        None,
        {
            "id": "c4c6f1e2-8a43-5b8e-9d0f-1a2b3c4d5e6f",
            "name": BODY,
            "slug": "safer-sefton-together",
            "organisation": "Sefton Council",
            "version": 3,
            "former_names": ["Sefton Safer Communities Partnership"],
            "members": {"Councillor Hardy": "Chair"},
            "year_start_month": 5,
            "year_start_day": 1,
        },
    ),
    "renameBody": ({"name": BODY}, WRITE),
    "appointMember": ({"member": "Councillor Hardy", "role": "Chair"}, WRITE),
    "removeMember": (None, WRITE),
    "scheduleMeeting": (
        {"date": "2022-06-22", "time": "10:00", "venue": "Microsoft Teams", "remote": True},
        WRITE,
    ),
    "getMeeting": (None, MINUTES),
    "rescheduleMeeting": ({"new_date": "2022-06-22", "time": "10:00"}, WRITE),
    "cancelMeeting": (None, WRITE),
    "recordAttendance": (MINUTES["attendance"], WRITE),
    "declareInterest": (
        {"member": "Councillor Sonya Kelly", "item": "6", "kind": "other registrable"},
        WRITE,
    ),
    "minuteItem": (
        {
            "number": "6",
            "title": "Violence Against Women and Girls",
            "paragraphs": [PARAGRAPH],
            "resolutions": ["the reports be noted"],
            "references": [{"minute": "36", "meeting_date": "2022-03-17"}],
        },
        WRITE,
    ),
    "getItem": (None, ITEM),
    "reviseItem": ({"resolutions": ["the reports be noted and welcomed"]}, WRITE),
    "recordVote": (
        {"minute": "6", "vote": {"part": 1, "outcome": "carried", "unanimous": True}},
        WRITE,
    ),
    "addNote": (
        {"minute": "6", "note": "The reports are published on the council's website."},
        WRITE,
    ),
    "circulateMinutes": (None, WRITE),
    "confirmMinutes": (
        {"at_date": "2022-09-08", "minute": "16", "wording": WORDING},
        {**WRITE, "version": 7, "amendments": [AMENDMENT]},
    ),
    "signMinutes": ({"signed_by": "Councillor Hardy", "signed_on": "2022-09-08"}, WRITE),
    "setCallIn": ({"subject_to_call_in": False}, WRITE),
    "fixNextMeeting": ({"when": "2022-12-08T10:00", "venue": "Bootle Town Hall"}, WRITE),
    "getMinutes": (None, MINUTES),
    "listMinutesVersions": (
        None,
        [
            {
                "version": 1,
                "timestamp": "2022-05-01T09:00:00+00:00",
                "event_type": "Scheduled",
                "actor": "Clerk to the Partnership",
                "actor_role": "clerk",
                "reason": None,
                "source": None,
            }
        ],
    ),
    "diffMinutes": (
        None,
        {
            "from_version": 6,
            "to_version": 7,
            "diff": "--- version 6\n+++ version 7\n@@ -5 +5 @@\n-provided by SWACCA and other "
            "partners.\n+provided and other partners.\n",
        },
    ),
    "raiseAction": (
        {
            "body": BODY,
            "date": "2022-06-22",
            "minute": "6",
            "part": 1,
            "description": "Chris White to forward details to CI Moscrop",
            "owners": ["Chris White"],
            "due_meeting_date": "2022-09-08",
        },
        {**WRITE, "id": ACTION_ID, "version": 1},
    ),
    "getAction": (
        None,
        {
            "id": ACTION_ID,
            "version": 2,
            "origin": {
                "body_id": "c4c6f1e2-8a43-5b8e-9d0f-1a2b3c4d5e6f",
                "meeting_id": MEETING_ID,
                "meeting_date": "2022-06-22",
                "minute": "6",
                "part": 1,
            },
            "description": "Chris White to forward details to CI Moscrop",
            "owners": ["Chris White"],
            "due": {"date": None, "meeting_id": None, "meeting_date": "2022-09-08", "text": None},
            "status": "in progress",
            "notes": ["Details sent; awaiting reply"],
        },
    ),
    "updateAction": (
        {"note": "Details sent; awaiting reply", "status": "in progress"},
        {**WRITE, "id": ACTION_ID},
    ),
    "reassignAction": ({"owners": ["Mary Mason"]}, {**WRITE, "id": ACTION_ID}),
    "changeActionDue": ({"due_text": "December 2022 meeting"}, {**WRITE, "id": ACTION_ID}),
    "completeAction": ({"note": "Done"}, {**WRITE, "id": ACTION_ID}),
    "withdrawAction": ({"reason": "Superseded by the new strategy"}, {**WRITE, "id": ACTION_ID}),
    "reopenAction": ({"reason": "The reply raised new points"}, {**WRITE, "id": ACTION_ID}),
    "importMinutes": (
        "SAFER SEFTON TOGETHER\n\nMINUTES OF THE MEETING HELD ON 8 SEPTEMBER 2022 ...",
        {
            "file": "002.txt",
            "sha256": "6bee98a6ba801922" + "0" * 48,
            "imported": True,
            "body": BODY,
            "meeting_date": "2022-09-08",
            "items": 9,
            "actions": 3,
            "confirmed": "2022-06-22",
            "warnings": [],
            "message": "imported",
            "position": 118,
        },
    ),
    "previewImport": (
        "SAFER SEFTON TOGETHER\n\nMINUTES OF THE MEETING HELD ON 8 SEPTEMBER 2022 ...",
        {
            "file": "002.txt",
            "body": BODY,
            "meeting_date": "2022-09-08",
            "items": [],
            "approves_minutes_of": "2022-06-22",
            "amendments": [AMENDMENT],
        },
    ),
    "getRecordEvents": (None, {"record_id": MEETING_ID, "items": [HISTORY_ENTRY], "next": None}),
    "getBodyEvents": (None, {"record_id": MEETING_ID, "items": [HISTORY_ENTRY], "next": None}),
    "getMeetingEvents": (None, {"record_id": MEETING_ID, "items": [HISTORY_ENTRY], "next": None}),
    "listEvents": (None, {"items": [EVENT], "next": 42, "head": 118}),
    "streamEvents": (
        None,
        'id: 42\nevent: Meeting.MinutesConfirmed\ndata: {"position":42,...}\n\n',
    ),
    "listBodies": (None, {"items": [BODY_SUMMARY], "next": None}),
    "listMeetings": (
        None,
        {"body": BODY_SUMMARY, "meetings": [MEETING_SUMMARY], "renames": [], "standing_items": []},
    ),
    "getAttendanceRegister": (
        None,
        {
            "items": [
                {
                    "person": "Councillor Hardy",
                    "present": 3,
                    "also_present": 0,
                    "apologies": 0,
                    "absent": 0,
                    "meetings": [],
                }
            ],
            "next": None,
        },
    ),
    "listThreads": (None, {"items": [THREAD], "next": None}),
    "listActions": (None, {"items": [ACTION_ROW], "next": "MjAyMi0wMy0xNw"}),
    "getProjectionStatus": (
        None,
        [{"name": "minutes", "position": 118, "head": 118, "lag": 0, "generation": 1}],
    ),
    "getDigest": (
        None,
        {
            "digest": "mb1-37-c34baf705879ce9676f6e007a280f6a89578b38f5261dda1ee2de4ca7710bf29",
            "size": 37,
            "root": "c34baf705879ce9676f6e007a280f6a89578b38f5261dda1ee2de4ca7710bf29",
            "signature": None,
        },
    ),
    "getInclusionProof": (
        None,
        {
            "format": "minutebook-inclusion-proof-v1",
            "tree_size": 37,
            "leaf_index": 2,
            "position": 3,
            "leaf_data": "01…",
            "leaf_hash": "5f…",
            "audit_path": ["a1…", "9c…"],
            "root": "c34baf705879ce9676f6e007a280f6a89578b38f5261dda1ee2de4ca7710bf29",
            "digest": "mb1-37-c34baf705879ce9676f6e007a280f6a89578b38f5261dda1ee2de4ca7710bf29",
        },
    ),
    "getConsistencyProof": (
        None,
        {
            "format": "minutebook-consistency-proof-v1",
            "from": {"size": 30, "root": "4e…", "digest": "mb1-30-4e…"},
            "to": {
                "size": 37,
                "root": "c34baf705879ce9676f6e007a280f6a89578b38f5261dda1ee2de4ca7710bf29",
                "digest": "mb1-37-c34baf705879ce9676f6e007a280f6a89578b38f5261dda1ee2de4ca7710bf29",
            },
            "proof": ["b2…", "07…"],
        },
    ),
    "health": (None, {"status": "ok"}),
    "ready": (None, {"status": "ok"}),
    "metrics": (None, 'minutebook_projection_lag_events{view="minutes"} 0.0\n'),
}

MARKDOWN_MINUTES = (
    "# Safer Sefton Together\n\n**REMOTE MEETING HELD ON MICROSOFT TEAMS ON "
    "WEDNESDAY 22 JUNE 2022**\n\n*Confirmed as a correct record at the meeting of 2022-09-08 "
    "(Minute No. 16), as amended*\n\n## 6. Violence Against Women and Girls\n"
)
#: operationId → media type → example, for the renderings that are not JSON.
TEXT_EXAMPLES: dict[str, dict[str, str]] = {
    "getMinutes": {"text/plain": TEXT_MINUTES, "text/markdown": MARKDOWN_MINUTES},
    "diffMinutes": {"text/plain": str(EXAMPLES["diffMinutes"][1]["diff"])},
}
