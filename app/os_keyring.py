"""The operating system's keyring, or honestly none.

`keyring` picks whatever backend is installed with the highest priority, and some of those
are not keyrings at all in the sense that matters here: keyrings.alt's PlaintextKeyring
writes secrets to a file in the home folder as they are, its other file backends keep them
beside the user's files with a key that is no better, and keyring's own `fail`/`null`
backends keep nothing. Any of those counts as *no keyring*: the app says so and asks for the
secret each time, rather than leaving it in a file. The chained backend is looked through
to the one that would really hold the secret.
"""

from __future__ import annotations

import keyring
import keyring.backend

# Backends that keep secrets in plain files (or nowhere): never a keyring for us.
_NOT_KEYRINGS = ("keyrings.alt", "keyring.backends.fail", "keyring.backends.null")


def is_plaintext(backend: keyring.backend.KeyringBackend) -> bool:
    """A backend that is, or is built on, one that keeps secrets in a plain file."""
    return any(
        cls.__module__.startswith(_NOT_KEYRINGS) or "plaintext" in cls.__name__.lower()
        for cls in type(backend).__mro__
    )


def usable_keyring() -> keyring.backend.KeyringBackend | None:
    """The backend that would hold a secret, when it is a real keyring; else None."""
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration must not stop the app
        return None
    candidates = list(getattr(backend, "backends", None) or [backend])
    if type(backend).__name__ == "ChainerBackend" and not candidates:
        return None
    for candidate in candidates:  # the chainer lists them by priority, highest first
        if is_plaintext(candidate):
            return None  # it would be the one written to: treat the whole as no keyring
        if _priority(candidate) > 0:
            return candidate
    return None


def _priority(backend: keyring.backend.KeyringBackend) -> float:
    try:
        return float(backend.priority)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1.0  # an unusual backend that does not say: trust its being installed
