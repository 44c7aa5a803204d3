"""Personal numbers at rest: Fernet encryption under FIELD_ENCRYPTION_KEY and keyed lookup hashes.

`FIELD_ENCRYPTION_KEY` holds one or more comma-separated Fernet keys (urlsafe base64 of 32
bytes, as `Fernet.generate_key()` makes): the first encrypts, every one decrypts (MultiFernet).
A lookup hash is HMAC-SHA256 of the value under a key derived from an encryption key (HKDF,
its own `info`), so the hash key changes with the encryption key: the writing key makes the
hashes that are stored, and a lookup asks for the hash under every configured key, so values
not yet re-keyed are still found while a rotation runs (docs/encryption.md).
"""

import base64
import binascii
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

# The development and test key: 32 bytes spelling out that it is not a secret.
INSECURE_DEVELOPMENT_KEY = base64.urlsafe_b64encode(b"casework-insecure-dev-key-32byte").decode()
LOOKUP_INFO = b"casework lookup hash v1"


class MalformedKey(ValueError):
    """FIELD_ENCRYPTION_KEY is missing or is not a list of Fernet keys."""


class UndecryptableValue(RuntimeError):
    """A stored value that none of the configured keys decrypts (a key removed too early?)."""


def parse_keys(text: str | None) -> list[bytes]:
    """The keys of a FIELD_ENCRYPTION_KEY value, the writing one first (MalformedKey if bad)."""
    keys = [part.strip() for part in (text or "").split(",") if part.strip()]
    if not keys:
        raise MalformedKey("FIELD_ENCRYPTION_KEY is empty.")
    parsed = []
    for position, key in enumerate(keys, start=1):
        try:
            raw = base64.urlsafe_b64decode(key.encode("ascii"))
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raw = b""
        if len(raw) != 32:
            raise MalformedKey(
                f"Key {position} of FIELD_ENCRYPTION_KEY is not urlsafe base64 of 32 bytes "
                "(make one with cryptography.fernet.Fernet.generate_key())."
            )
        parsed.append(key.encode("ascii"))
    return parsed


@functools.cache
def _keyring(text: str) -> tuple[MultiFernet, tuple[bytes, ...]]:
    keys = parse_keys(text)
    lookup_keys = tuple(
        HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=LOOKUP_INFO).derive(
            base64.urlsafe_b64decode(key)
        )
        for key in keys
    )
    return MultiFernet([Fernet(key) for key in keys]), lookup_keys


def keyring() -> tuple[MultiFernet, tuple[bytes, ...]]:
    """The Fernet of the configured keys and each key's lookup-hash key, in the same order."""
    return _keyring(settings.FIELD_ENCRYPTION_KEY)


def encrypt(text: str) -> str:
    """A Fernet token (ASCII) of the text, under the first key."""
    return keyring()[0].encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return keyring()[0].decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as error:
        raise UndecryptableValue(
            "A stored personal value cannot be decrypted with FIELD_ENCRYPTION_KEY."
        ) from error


def encrypt_bytes(data: bytes) -> bytes:
    return keyring()[0].encrypt(data)


def decrypt_bytes(data: bytes) -> bytes:
    try:
        return keyring()[0].decrypt(data)
    except InvalidToken as error:
        raise UndecryptableValue(
            "A stored file cannot be decrypted with FIELD_ENCRYPTION_KEY."
        ) from error


def rotate_token(token: str) -> str:
    """The same value under the first key (unchanged in meaning; a new token)."""
    return keyring()[0].rotate(token.encode("ascii")).decode("ascii")


def rotate_bytes(data: bytes) -> bytes:
    return keyring()[0].rotate(data)


def is_current(token: str | bytes) -> bool:
    """Whether the first key decrypts this token (it needs no rotation)."""
    fernet = Fernet(parse_keys(settings.FIELD_ENCRYPTION_KEY)[0])
    try:
        fernet.decrypt(token.encode("ascii") if isinstance(token, str) else token)
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


def _hash(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def lookup_hash(text: str) -> str:
    """The stored lookup hash of a value: HMAC-SHA256 under the writing key's hash key."""
    return _hash(keyring()[1][0], text)


def lookup_hashes(text: str) -> list[str]:
    """The value's hash under every configured key: what a lookup asks for."""
    return [_hash(key, text) for key in keyring()[1]]
