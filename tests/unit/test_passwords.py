from argon2 import PasswordHasher, Type, extract_parameters

from collectra.auth import passwords


def test_hash_is_argon2id_at_or_above_owasp_minimum() -> None:
    parameters = extract_parameters(passwords.hash_password("correct horse battery"))
    assert parameters.type is Type.ID
    assert parameters.memory_cost >= 19 * 1024
    assert parameters.time_cost >= 2


def test_verification_accepts_only_the_same_password() -> None:
    stored = passwords.hash_password("correct horse battery")
    assert passwords.verify_password(stored, "correct horse battery")
    assert not passwords.verify_password(stored, "correct horse batterz")
    assert not passwords.verify_password("not a hash", "correct horse battery")


def test_long_passwords_are_not_truncated() -> None:
    base = "x" * 100
    stored = passwords.hash_password(base + "a")
    assert not passwords.verify_password(stored, base + "b")


def test_a_hash_made_with_weaker_parameters_needs_rehash() -> None:
    weaker = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1, type=Type.ID).hash("pw-123456")
    assert passwords.needs_rehash(weaker)
    assert not passwords.needs_rehash(passwords.hash_password("pw-123456"))
