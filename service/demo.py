"""The demo store: the example minutes loaded into a fresh store on first start."""

from __future__ import annotations

import datetime as dt
import hashlib
from importlib import resources

import msgspec

from domain.errors import UnknownRecordError
from domain.provenance import Actor, Provenance, bound_provenance
from service.app import Minutebook
from service.commands import RenameBody
from service.importing.parse import parse_minutes
from service.importing.record import ImportOutcome, record_minutes

DEMO_STORE = "sqlite:///minutebook-demo.db"
DEMO_ACTOR = Actor(id="demo-loader", name="Demo loader", role="system")


class Example(msgspec.Struct, frozen=True):
    file: str
    #: Supplied for agenda-item pages, which state neither body nor date (illustrative).
    body: str | None = None
    date: dt.date | None = None


EXAMPLES = (
    Example("000_9ce30ee691b8d9d5.txt"),
    Example("001_02de1006946e2546.txt"),
    Example("002_6bee98a6ba801922.txt"),
    Example("003_419ffd5c63b2908a.txt", "Scrutiny Committee (Chorley)", dt.date(2019, 3, 14)),
    Example(
        "004_b775bff057aa75c0.txt",
        "Worcestershire Overview and Scrutiny Board",
        dt.date(2019, 7, 10),
    ),
)


def example_bytes(name: str) -> bytes:
    return resources.files("service").joinpath("examples", name).read_bytes()


#: The partnership of seed 000 was renamed before seed 001's meeting (DESIGN.md).
RENAME = ("Sefton Safer Communities Partnership", "Safer Sefton Together")


def _rename_before_001(app: Minutebook) -> None:
    old, new = RENAME
    try:
        body = app.find_body(old)
    except UnknownRecordError:
        return
    if body.name == old:
        with bound_provenance(
            Provenance(actor=DEMO_ACTOR, reason="the partnership was renamed in 2020-2022")
        ):
            app.rename_body(RenameBody(body=old, name=new))


def load_examples(app: Minutebook) -> list[ImportOutcome]:
    """Import every example into ``app``'s store; files already there record nothing."""
    outcomes = []
    with bound_provenance(Provenance(actor=DEMO_ACTOR, reason="demo data")):
        for example in EXAMPLES:
            if example.file.startswith("001"):
                _rename_before_001(app)
            data = example_bytes(example.file)
            doc = parse_minutes(
                data, file=example.file, body=example.body, meeting_date=example.date
            )
            outcomes.append(record_minutes(app, doc, hashlib.sha256(data).hexdigest()))
    return outcomes
