"""Team server (issue 15): what a PostgreSQL store needs that SQLite does in its own way.

Does nothing on SQLite. On PostgreSQL:
- text keys the list sorts and searches compare in code-point order (COLLATE "C"), as SQLite
  does, and pg_trgm GIN indexes over the folded search key and description (the server's
  counterpart of the FTS5 trigram index of 0005);
- the append-only guard of the timeline in PL/pgSQL (the same names as SQLite's triggers,
  the same one exception: blanking an event's personal part for retention erasure);
- the event chain extended by the server: a BEFORE INSERT trigger, SECURITY DEFINER, takes
  the chain's tail under a row lock, stamps the event with the connected role and the
  server's clock, and seals it with format 1 of app.integrity.chain under a key kept in
  `chain_key`, a table no member can read but `dsar_dpo` (app.team.roles grants that). The
  body is built here exactly as app.integrity.chain.event_body builds it in Python (the same
  canonical JSON), so Verify records checks a server's chain with the same code.

The functions are written out here, not imported, so this migration does the same forever.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 05:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# app.integrity.chain.PUBLIC_DETAIL_KEYS as of format 1 (tests/team checks they agree).
PUBLIC_DETAIL_KEYS = [
    "request_type",
    "channel",
    "received_on",
    "identity_required",
    "on",
    "status_before",
    "status_after",
    "clock_start_before",
    "clock_start_after",
    "paused_on",
    "resumed_on",
    "paused_days",
    "extension_months_before",
    "extension_months_after",
    "outcome",
    "outcome_before",
    "on_time",
    "late_days",
    "open_pause_cleared",
    "closed_on_before",
    "suppressed",
    "letter_id",
    "stage",
    "version",
    "sha256",
    "template_version",
    "attachment_id",
    "kind",
    "size",
    "fields",
    "request_type_before",
    "request_type_after",
    "changed_outside_app",
    "events_sealed",
    "letters_deleted",
    "attachments_deleted",
    "events_blanked",
    "retention_years",
    "closed_on",
    "statutory_due_before",
    "statutory_due_after",
    "promised_due_before",
    "promised_due_after",
    "effective_due_before",
    "effective_due_after",
    "statutory_due",
    "promised_due",
    "effective_due",
]

_C_COLLATED = (
    ("cases", "reference", "varchar(32)"),
    ("cases", "search_key", "text"),
    ("cases", "description_key", "text"),
    ("cases", "requester_sort", "text"),
    ("requesters", "email_key", "text"),
    ("suppressions", "email_key", "text"),
)

_CANONICAL = r"""
CREATE FUNCTION dsar_canonical(value jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
-- json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False) in Python.
DECLARE
    result text;
BEGIN
    CASE jsonb_typeof(value)
    WHEN 'object' THEN
        SELECT '{' || coalesce(string_agg(to_jsonb(k)::text || ':' || dsar_canonical(v), ','
                                          ORDER BY k COLLATE "C"), '') || '}'
          INTO result FROM jsonb_each(value) AS e(k, v);
        RETURN result;
    WHEN 'array' THEN
        SELECT '[' || coalesce(string_agg(dsar_canonical(v), ',' ORDER BY n), '') || ']'
          INTO result FROM jsonb_array_elements(value) WITH ORDINALITY AS a(v, n);
        RETURN result;
    ELSE
        RETURN value::text;
    END CASE;
END
$$
"""

_SEAL = r"""
CREATE FUNCTION case_events_seal() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
    tail record;
    secret bytea;
    importing boolean;
    public_details jsonb;
    body text;
BEGIN
    SELECT seq, link INTO tail FROM chain_tail WHERE id = 1 FOR UPDATE;
    SELECT key INTO secret FROM chain_key WHERE id = 1;
    -- Moving a desk's store to the server (dsar-desk team import) keeps each event's author
    -- and time; only the role that owns the schema may ask for that.
    importing := coalesce(current_setting('dsar.importing', true), '') = 'on'
        AND session_user::text = (SELECT pg_get_userbyid(relowner)::text FROM pg_class
                                  WHERE oid = 'case_events'::regclass);
    IF NOT importing THEN
        NEW.actor := session_user::text;
        NEW.at := clock_timestamp() AT TIME ZONE 'UTC';
    END IF;
    SELECT coalesce(jsonb_object_agg(k, v), '{}'::jsonb) INTO public_details
      FROM jsonb_each(coalesce(NEW.details::jsonb, '{}'::jsonb)) AS e(k, v)
     WHERE k = ANY (%(public)s);
    NEW.seq := tail.seq + 1;
    body := dsar_canonical(jsonb_build_object(
        'v', 1,
        'seq', NEW.seq,
        'case', NEW.case_id,
        'at', to_char(NEW.at, 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00',
        'actor', NEW.actor,
        'kind', NEW.kind,
        'details', public_details,
        'personal', coalesce(NEW.personal_hash, ''),
        'state', NEW.state::jsonb));
    NEW.link := 'k1:' || encode(hmac(convert_to(tail.link || E'\n' || body, 'UTF8'),
                                     secret, 'sha256'), 'hex');
    UPDATE chain_tail SET seq = NEW.seq, link = NEW.link WHERE id = 1;
    RETURN NEW;
END
$$
"""

_GUARD = r"""
CREATE FUNCTION case_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.salt IS NOT NULL AND NEW.salt IS NULL AND NEW.id = OLD.id
       AND NEW.case_id = OLD.case_id AND NEW.at = OLD.at AND NEW.actor = OLD.actor
       AND NEW.kind = OLD.kind AND NEW.seq IS NOT DISTINCT FROM OLD.seq
       AND NEW.link IS NOT DISTINCT FROM OLD.link
       AND NEW.personal_hash IS NOT DISTINCT FROM OLD.personal_hash
       AND NEW.state::text IS NOT DISTINCT FROM OLD.state::text THEN
        RETURN NEW;  -- retention erasure: the personal part goes, the seal stays
    END IF;
    RAISE EXCEPTION 'The case timeline is append-only'
        USING ERRCODE = 'integrity_constraint_violation';
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
    for table, column, kind in _C_COLLATED:
        op.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE {kind} COLLATE "C"')
    for column in ("search_key", "description_key"):
        op.execute(
            f"CREATE INDEX ix_cases_{column}_trgm ON cases USING gin ({column} gin_trgm_ops)"
        )

    op.execute(_GUARD)
    for name, when in (
        ("case_events_no_update", "BEFORE UPDATE ON case_events FOR EACH ROW"),
        ("case_events_no_delete", "BEFORE DELETE ON case_events FOR EACH ROW"),
        ("case_events_no_truncate", "BEFORE TRUNCATE ON case_events FOR EACH STATEMENT"),
    ):
        op.execute(f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION case_events_guard()")

    op.execute("CREATE TABLE chain_key (id integer PRIMARY KEY CHECK (id = 1), key bytea NOT NULL)")
    op.execute(
        "CREATE TABLE chain_tail (id integer PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL, "
        "link text NOT NULL)"
    )
    op.execute("INSERT INTO chain_key VALUES (1, gen_random_bytes(32))")
    # A new server store starts its own chain; a store moved here is re-sealed under this key.
    op.execute(
        "INSERT INTO chain_tail SELECT 1, coalesce(max(seq), 0), coalesce("
        "(SELECT link FROM case_events ORDER BY seq DESC NULLS LAST LIMIT 1), '') "
        "FROM case_events"
    )
    op.execute(
        "INSERT INTO settings (key, value) VALUES "
        "('integrity.store_id', to_json(replace(gen_random_uuid()::text, '-', ''))), "
        "('integrity.key_id', (SELECT to_json(left(encode(hmac('dsar-desk chain key id', "
        "key, 'sha256'), 'hex'), 16)) FROM chain_key)), "
        "('integrity.sealed_at', to_json(to_char(now() AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS.US+00:00'))) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
    )
    op.execute(_CANONICAL)
    public = "ARRAY[" + ", ".join(f"'{key}'" for key in PUBLIC_DETAIL_KEYS) + "]::text[]"
    op.execute(_SEAL.replace("%(public)s", public))
    op.execute(
        "CREATE TRIGGER case_events_seal BEFORE INSERT ON case_events FOR EACH ROW "
        "EXECUTE FUNCTION case_events_seal()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS case_events_seal ON case_events")
    op.execute("DROP FUNCTION IF EXISTS case_events_seal()")
    op.execute("DROP FUNCTION IF EXISTS dsar_canonical(jsonb)")
    op.execute("DROP TABLE IF EXISTS chain_tail")
    op.execute("DROP TABLE IF EXISTS chain_key")
    for name in ("case_events_no_update", "case_events_no_delete", "case_events_no_truncate"):
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON case_events")
    op.execute("DROP FUNCTION IF EXISTS case_events_guard()")
    for column in ("search_key", "description_key"):
        op.execute(f"DROP INDEX IF EXISTS ix_cases_{column}_trgm")
