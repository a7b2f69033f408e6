"""The Minutebook application: eventsourcing's Application is the service layer."""

from service.app.actions import ActionCommands
from service.app.bodies import BodyCommands
from service.app.core import RecordApplication
from service.app.meetings import MeetingCommands
from service.app.queries import Queries


class Minutebook(MeetingCommands, ActionCommands, BodyCommands, Queries, RecordApplication):
    """Commands take msgspec structs: get → one domain call → save."""


__all__ = ["Minutebook"]
