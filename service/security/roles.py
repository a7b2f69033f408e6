"""What each role may do: reader < clerk; auditor = reader + audit; admin everything."""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    READ = "read"  # projections of the published record (exempt items withheld)
    WRITE = "write"  # record meetings, minutes, actions, imports
    AUDIT = "audit"  # the audit trail of a record, the event feed and its stream
    EXEMPT = "exempt"  # exempt (Part II) items in full
    ADMIN = "admin"


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "reader": frozenset({Permission.READ}),
    "clerk": frozenset({Permission.READ, Permission.WRITE}),
    "auditor": frozenset({Permission.READ, Permission.AUDIT, Permission.EXEMPT}),
    "admin": frozenset(Permission),
}


def allows(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def roles_with(permission: Permission) -> list[str]:
    return [role for role, perms in ROLE_PERMISSIONS.items() if permission in perms]
