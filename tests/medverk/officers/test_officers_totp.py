"""The pure parts of medverk.officers.totp: sealing, steps with drift, the pending note."""

from __future__ import annotations

import pyotp

from medverk.officers import totp

KEY = "s" * 48


def test_sealed_secret_is_not_readable_and_needs_the_key() -> None:
    secret = pyotp.random_base32()
    sealed = totp.seal(secret, KEY)
    assert secret not in sealed and sealed != totp.seal(secret, KEY)  # fresh nonce
    assert totp.unseal(sealed, KEY) == secret
    assert totp.unseal(sealed, "another key " * 4) is None
    assert totp.unseal(sealed[:-4] + "AAAA", KEY) is None
    assert totp.unseal("not base64!", KEY) is None


def test_code_matches_its_step_and_one_either_side_only() -> None:
    secret = pyotp.random_base32()
    now = 1_800_000_015.0
    step = int(now // 30)
    code = pyotp.TOTP(secret)
    assert totp.matching_step(secret, code.at(now), now) == step
    assert totp.matching_step(secret, code.at(now - 30), now) == step - 1
    assert totp.matching_step(secret, code.at(now + 30), now) == step + 1
    far = code.at(now - 90)
    if far not in {code.at(now - 30), code.at(now), code.at(now + 30)}:
        assert totp.matching_step(secret, far, now) is None
    assert totp.matching_step(secret, "12345", now) is None
    assert totp.matching_step(secret, "abcdef", now) is None


def test_pending_note_is_signed_and_expires() -> None:
    note = totp.pending_token(7, KEY, now=1000.0)
    assert totp.read_pending_token(note, KEY, now=1000.0 + totp.PENDING_SECONDS - 1) == 7
    assert totp.read_pending_token(note, KEY, now=1000.0 + totp.PENDING_SECONDS + 1) is None
    assert totp.read_pending_token(note, "x" * 48, now=1000.0) is None
    forged = note.replace("7.", "8.", 1)
    assert totp.read_pending_token(forged, KEY, now=1000.0) is None
    assert totp.read_pending_token("", KEY) is None


def test_provisioning_uri_names_issuer_and_account() -> None:
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", "kari")
    assert uri.startswith("otpauth://totp/Medverk:kari?secret=JBSWY3DPEHPK3PXP")
