"""Tokens, roles and the server's own tables in the store."""
