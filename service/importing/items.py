"""What a layout reads: the lines before the first item, and each item's lines."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawItem:
    """One minute item as a layout found it, before its text is interpreted."""

    number: str | None
    title: str
    lines: list[str] = field(default_factory=list)
    #: Resolutions a layout read from a column of their own (record tables).
    actions: list[str] = field(default_factory=list)


@dataclass
class RawMinutes:
    """A layout's reading of the document."""

    header: list[str]
    items: list[RawItem]
    #: Whether the first plain short line of the header may name the body.
    loose_body: bool = False
    #: Whether the layout lets the header name the body at all.
    has_body: bool = True
