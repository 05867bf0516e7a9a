"""Team mode: one store on a PostgreSQL server, shared by a privacy team (issue 15).

- `address`: the server's address as the DPO gives it (`postgresql://…`), TLS and passwords.
- `server`: opening a server store (`app.store.open_store` hands a URL here).
- `chain`: the event chain extended by the server, with a key only `dsar_dpo` can read.
- `roles`: `dsar-desk team init` (the three group roles, their grants and row security) and
  adding members.
- `importer`: `dsar-desk team import STORE.sqlite URL`.
- `cli`: the `dsar-desk team …` commands.
- `changes`: which cases other members changed since a desk last looked.

Nothing here is loaded for a store on this workstation.
"""
