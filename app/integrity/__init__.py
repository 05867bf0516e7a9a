"""Nothing altered unseen (DESIGN.md sections 6 and 8): the event chain, the hash checks,
Verify records and the case-file export.

- `chain`: the chain's format, as pure functions (links, personal hashes, canonical bodies).
- `keys`: where this computer keeps each store's chain key (keyring, else an owner-only file).
- `seal`: `EventChain`, the interface the use cases append through, and `LocalChain`.
- `state`: the case snapshot each event carries, checked against the case row.
- `genesis`: sealing an older store, once, from its migration.
- `verify`: Verify records: every break, by case and event.

Kept light: `app.store` imports `seal` at start-up.
"""
