"""The mail tests' real parts (aiosmtpd on 127.0.0.1, an in-memory keyring) for the digest."""

from tests.mail.conftest import ca, ca_file, memory_keyring, plain_server  # noqa: F401
