"""Password hashing with argon2id at or above OWASP's minimum (m = 19 MiB, t = 2, p = 1).

Raising the parameters here is enough: `needs_rehash` tells the login to re-hash with the new ones.
argon2 is imported when a password is first hashed or checked, not with this module: most functions that import
it (through the auth package) never do either, and argon2's bindings are a cold start's cost (docs/decisions.md).
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_LENGTH = 8
MAX_LENGTH = 128


@cache
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher, Type

    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, salt_len=16, type=Type.ID)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return _hasher().hash("decoy password for accounts that do not exist")


def verify_against_decoy(password: str) -> None:
    """Spend the time a real verification takes, so a missing account answers as slowly as a real one."""
    verify_password(_decoy_hash(), password)
