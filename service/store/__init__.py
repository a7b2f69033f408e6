"""Persistence: store URLs, the msgspec mapper, recorders."""
