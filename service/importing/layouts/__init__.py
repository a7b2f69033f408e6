"""Readers for each family of published minutes layouts.

Each module reads normalised lines into :class:`service.importing.items.RawMinutes`
(the lines before the first item, and each item's number, title and lines);
:func:`service.importing.parse.read_layout` decides which one applies.
"""
