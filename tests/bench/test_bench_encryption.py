"""What encryption at rest costs: the same store, plain and encrypted by SQLCipher, measured
side by side in one run (the plain store is the baseline).

Not part of the default run. Run with:

    .venv/bin/python -m pytest tests/bench/test_bench_encryption.py --benchmark-enable \\
        -p no:cacheprovider -o addopts="" -s

- open: `open_store` and close (the key is raw, so no key derivation per connection);
- save: `cases.add_note` (one transaction, one sealed event, synchronous = FULL);
- list: one page of 200 cases from the case list's query, searched by name;
- verify: `verify_store` (reads every event, letter and attachment);
- backup: `back_up_now` (SQLite's backup API, decrypting and re-encrypting each page).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from app import cases
from app.backups import back_up_now
from app.demo import fill_bulk
from app.domain import Channel, RequestType
from app.encrypt_store import encrypt_store
from app.integrity.keys import KeyStore
from app.integrity.verify import verify_store
from app.listing import CaseQuery
from app.queries import CaseFilter, list_cases
from app.readmodels import RequesterDetails
from app.store import Store, open_store
from tests.bench.workload import add_noted_cases, median_seconds

BULK_CASES = 20_000
CASES_WITH_EVENTS = 300
NOTES_PER_CASE = 9
ON = date(2026, 10, 5)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, KeyStore]:
    folder = tmp_path_factory.mktemp("bench-encryption")
    keys = KeyStore(folder / "keys", use_keyring=False)
    plain = folder / "plain" / "dsar.sqlite"
    store = open_store(plain, keys=keys)
    fill_bulk(store, BULK_CASES, today=ON)
    add_noted_cases(store, CASES_WITH_EVENTS, NOTES_PER_CASE, on=ON)
    store.close()
    encrypted = folder / "encrypted" / "dsar.sqlite"
    encrypted.parent.mkdir()
    shutil.copy2(plain, encrypted)
    encrypt_store(encrypted, "benchmark passphrase, long enough", keys)
    return plain, encrypted, keys


def _measure(path: Path, keys: KeyStore) -> dict[str, float]:
    opened = median_seconds(lambda: open_store(path, keys=keys).close(), 10)
    store: Store = open_store(path, keys=keys)
    try:
        case_id = cases.log_request(
            store,
            RequesterDetails("Bench Person", "bench@example.org", "1 High St"),
            request_type=RequestType.ACCESS,
            channel=Channel.EMAIL,
            on=ON,
            today=ON,
        ).id
        query = CaseQuery(filter=CaseFilter.ALL, search="Person 1")
        return {
            "open": opened,
            "save": median_seconds(lambda: cases.add_note(store, case_id, "Benchmark note."), 40),
            "list": median_seconds(lambda: list_cases(store, query, today=ON), 20),
            "verify": median_seconds(lambda: verify_store(store), 3),
            "backup": median_seconds(lambda: back_up_now(store, keep=2), 3),
        }
    finally:
        store.close()


def test_encryption_costs(stores: tuple[Path, Path, KeyStore]) -> None:
    plain, encrypted, keys = stores
    bare = _measure(plain, keys)
    ciphered = _measure(encrypted, keys)
    size = plain.stat().st_size / 1e6
    lines = [f"\nstore: {BULK_CASES + CASES_WITH_EVENTS:,} cases, {size:.1f} MB"]
    for name, baseline in bare.items():
        lines.append(
            f"{name:7s} plain {baseline * 1000:8.2f} ms; encrypted {ciphered[name] * 1000:8.2f} "
            f"ms; ratio {ciphered[name] / baseline:.2f}x"
        )
    print("\n".join(lines))
    assert all(value > 0 for value in (*bare.values(), *ciphered.values()))
