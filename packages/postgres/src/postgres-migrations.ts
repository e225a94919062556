/** The store's schema as versioned, idempotent migrations, applied by one function in a schema of the caller's choosing. */
import { sql, type Kysely } from 'kysely'

// model

/** One step of the schema. A released migration is never edited; a change is a new migration. */
export interface Migration {
  readonly version: number
  readonly name: string
  /** The statements, for the schema named by `s` (already quoted). */
  readonly statements: (s: SchemaNames) => ReadonlyArray<string>
}

/** Names derived from the configured schema, quoted where they go into SQL. */
export interface SchemaNames {
  /** The schema name as given, e.g. `support_ledger`. */
  readonly schema: string
  /** The quoted schema, e.g. `"support_ledger"`. */
  readonly q: string
  /** The channel appends notify on. */
  readonly channel: string
  /** The advisory lock key that orders transaction ids with positions (see docs/decisions/0100). */
  readonly positionLock: bigint
  /** The advisory lock key migrations take. */
  readonly migrationLock: bigint
}

export interface MigrationReport {
  readonly schema: string
  /** Versions applied by this call, in order; empty when the schema was already current. */
  readonly applied: ReadonlyArray<number>
  /** The schema's version afterwards. */
  readonly version: number
}

// constructors

export const DEFAULT_SCHEMA = 'support_ledger'

/** Checks and quotes a schema name. Only plain lower-case identifiers: they go into function bodies and channel names. */
export const schemaNames = (schema: string = DEFAULT_SCHEMA): SchemaNames => {
  if (!/^[a-z_][a-z0-9_]{0,47}$/.test(schema)) {
    throw new TypeError(`schema name ${JSON.stringify(schema)} must be a lower-case identifier of at most 48 characters`)
  }
  return {
    schema,
    q: `"${schema}"`,
    channel: `${schema}_events`,
    positionLock: lockKey(`${schema}.positions`),
    migrationLock: lockKey(`${schema}.migrations`),
  }
}

// FNV-1a, folded to a signed 64-bit integer: a stable advisory lock key per schema and purpose.
const lockKey = (text: string): bigint => {
  let h = 0xcbf29ce484222325n
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte)
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn
  }
  return BigInt.asIntN(64, h)
}

// the migrations

/**
 * The canonical content an event's hash covers. One SQL function, used by the append and by
 * verification alike, so the two can never disagree (docs/decisions/0103).
 */
const eventHashFunction = (s: SchemaNames) => `
CREATE OR REPLACE FUNCTION ${s.q}.event_hash(
  prev bytea, stream_id text, stream_version bigint, event_id uuid, type text, schema_version integer, data jsonb, metadata jsonb
) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT sha256(prev || convert_to(concat_ws(chr(10),
    stream_id, stream_version::text, event_id::text, type, schema_version::text, data::text, metadata::text), 'UTF8'))
$$`

/**
 * The append: every check inside the database, one call per batch of appends. Arguments are
 * parallel arrays, one entry per append (stream, expected version, key, event count) and one per
 * event. Expected versions: -1 any, -2 no-stream, -3 exists, n >= 0 exact. Returns one row per
 * append: status 0 appended, 1 replayed from its idempotency key, 2 wrong expected version
 * (`actual` set), 3 key first used for `first_stream_id`.
 */
const appendFunction = (s: SchemaNames) => `
CREATE OR REPLACE FUNCTION ${s.q}.append_events(
  p_stream_ids text[], p_expected bigint[], p_keys text[], p_counts integer[],
  p_event_ids uuid[], p_types text[], p_schema_versions integer[], p_data jsonb[], p_metadata jsonb[],
  p_notify boolean
) RETURNS TABLE (
  idx integer, status smallint, actual bigint, from_version bigint, to_version bigint,
  from_position bigint, to_position bigint, event_ids uuid[], first_stream_id text
) LANGUAGE plpgsql AS $fn$
DECLARE
  n_appends integer := cardinality(p_stream_ids);
  n_events integer := cardinality(p_types);
  v_xid xid8;
  v_next_position bigint;
  v_offsets integer[] := array_fill(0, ARRAY[n_appends]);
  v_recorded_at text := to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  v_any_written boolean := false;
  i integer;
  j integer;
  k integer;
  e integer;
  v_stream text;
  v_expected bigint;
  v_version bigint;
  v_head bytea;
  v_found boolean;
  v_key record;
  v_meta jsonb;
  v_from_position bigint;
  -- the rows of the whole batch, inserted by one statement at the end
  r_positions bigint[] := '{}';
  r_streams text[] := '{}';
  r_versions bigint[] := '{}';
  r_ids uuid[] := '{}';
  r_types text[] := '{}';
  r_schema_versions integer[] := '{}';
  r_data jsonb[] := '{}';
  r_metadata jsonb[] := '{}';
  r_hashes bytea[] := '{}';
BEGIN
  -- Transaction id and positions are taken together under a lock released at once, so that
  -- position order is transaction-id order: a reader fenced by the oldest running transaction
  -- then never passes an event that commits later (docs/decisions/0100).
  BEGIN
    PERFORM pg_advisory_lock(${s.positionLock});
    v_xid := pg_current_xact_id();
    v_next_position := nextval('${s.q}.event_position');
    IF n_events > 1 THEN
      PERFORM setval('${s.q}.event_position', v_next_position + n_events - 1);
    END IF;
    PERFORM pg_advisory_unlock(${s.positionLock});
  EXCEPTION WHEN OTHERS OR query_canceled THEN
    PERFORM pg_advisory_unlock(${s.positionLock});
    RAISE;
  END;

  FOR i IN 2..n_appends LOOP
    v_offsets[i] := v_offsets[i - 1] + p_counts[i - 1];
  END LOOP;

  -- Streams are locked in one order (by id) in every batch, so batches cannot deadlock on them.
  FOR i IN SELECT o.i FROM unnest(p_stream_ids) WITH ORDINALITY AS o(stream_id, i) ORDER BY o.stream_id, o.i LOOP
    v_stream := p_stream_ids[i];
    v_expected := p_expected[i];

    SELECT st.version, st.head_hash INTO v_version, v_head FROM ${s.q}.streams st WHERE st.stream_id = v_stream FOR UPDATE;
    v_found := FOUND;
    IF NOT v_found AND (v_expected IN (-1, -2, 0) OR p_keys[i] IS NOT NULL) THEN
      INSERT INTO ${s.q}.streams (stream_id, version, head_hash) VALUES (v_stream, 0, '\\x') ON CONFLICT DO NOTHING;
      SELECT st.version, st.head_hash INTO v_version, v_head FROM ${s.q}.streams st WHERE st.stream_id = v_stream FOR UPDATE;
      v_found := FOUND;
    END IF;
    IF NOT v_found THEN
      v_version := 0;
      v_head := '\\x';
    END IF;

    -- Checked after the stream lock: a concurrent retry with this key has committed by now.
    IF p_keys[i] IS NOT NULL THEN
      SELECT * INTO v_key FROM ${s.q}.idempotency_keys ik WHERE ik.idempotency_key = p_keys[i];
      IF FOUND THEN
        IF v_key.stream_id = v_stream THEN
          RETURN QUERY SELECT i, 1::smallint, NULL::bigint, v_key.from_version, v_key.to_version,
            v_key.from_position, v_key.to_position, v_key.event_ids, NULL::text;
        ELSE
          RETURN QUERY SELECT i, 3::smallint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint,
            NULL::uuid[], v_key.stream_id;
        END IF;
        CONTINUE;
      END IF;
    END IF;

    IF NOT (v_expected = -1 OR (v_expected = -2 AND v_version = 0) OR (v_expected = -3 AND v_version > 0) OR v_expected = v_version) THEN
      RETURN QUERY SELECT i, 2::smallint, v_version, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::uuid[], NULL::text;
      CONTINUE;
    END IF;

    v_from_position := v_next_position;
    IF p_keys[i] IS NOT NULL THEN
      INSERT INTO ${s.q}.idempotency_keys (idempotency_key, stream_id, from_version, to_version, from_position, to_position, event_ids)
      VALUES (p_keys[i], v_stream, v_version + 1, v_version + p_counts[i], v_from_position, v_from_position + p_counts[i] - 1,
        p_event_ids[v_offsets[i] + 1 : v_offsets[i] + p_counts[i]])
      ON CONFLICT DO NOTHING;
      IF NOT FOUND THEN
        -- The same key, in flight for another stream, committed first.
        SELECT * INTO v_key FROM ${s.q}.idempotency_keys ik WHERE ik.idempotency_key = p_keys[i];
        RETURN QUERY SELECT i, 3::smallint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint,
          NULL::uuid[], v_key.stream_id;
        CONTINUE;
      END IF;
    END IF;

    FOR k IN 1..p_counts[i] LOOP
      e := v_offsets[i] + k;
      v_meta := p_metadata[e] || jsonb_build_object('recordedAt', v_recorded_at);
      v_head := ${s.q}.event_hash(v_head, v_stream, v_version + k, p_event_ids[e], p_types[e], p_schema_versions[e], p_data[e], v_meta);
      r_positions := r_positions || v_next_position;
      r_streams := r_streams || v_stream;
      r_versions := r_versions || (v_version + k);
      r_ids := r_ids || p_event_ids[e];
      r_types := r_types || p_types[e];
      r_schema_versions := r_schema_versions || p_schema_versions[e];
      r_data := r_data || p_data[e];
      r_metadata := r_metadata || v_meta;
      r_hashes := r_hashes || v_head;
      v_next_position := v_next_position + 1;
    END LOOP;

    IF v_found THEN
      UPDATE ${s.q}.streams SET version = v_version + p_counts[i], head_hash = v_head, updated_at = statement_timestamp()
      WHERE stream_id = v_stream;
    ELSE
      INSERT INTO ${s.q}.streams (stream_id, version, head_hash) VALUES (v_stream, v_version + p_counts[i], v_head);
    END IF;
    v_any_written := true;
    RETURN QUERY SELECT i, 0::smallint, NULL::bigint, v_version + 1, v_version + p_counts[i],
      v_from_position, v_from_position + p_counts[i] - 1, p_event_ids[v_offsets[i] + 1 : v_offsets[i] + p_counts[i]], NULL::text;
  END LOOP;

  IF v_any_written THEN
    INSERT INTO ${s.q}.events
      (global_position, transaction_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, hash)
    SELECT u.p, v_xid, u.s, u.v, u.id, u.t, u.sv, u.d, u.m, u.h
    FROM unnest(r_positions, r_streams, r_versions, r_ids, r_types, r_schema_versions, r_data, r_metadata, r_hashes)
      AS u(p, s, v, id, t, sv, d, m, h);
    IF p_notify THEN
      PERFORM pg_notify('${s.channel}', (v_next_position - 1)::text);
    END IF;
  END IF;
END
$fn$`

/** The schema, oldest first. */
export const migrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: 'events, streams, idempotency keys, checkpoints, snapshots, outbox',
    statements: (s) => [
      `CREATE TABLE ${s.q}.streams (
        stream_id text PRIMARY KEY,
        version bigint NOT NULL CHECK (version >= 0),
        head_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT statement_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT statement_timestamp()
      )`,
      `CREATE SEQUENCE ${s.q}.event_position AS bigint`,
      `CREATE TABLE ${s.q}.events (
        global_position bigint PRIMARY KEY,
        transaction_id xid8 NOT NULL,
        stream_id text NOT NULL,
        stream_version bigint NOT NULL CHECK (stream_version >= 1),
        event_id uuid NOT NULL UNIQUE,
        type text NOT NULL,
        schema_version integer NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        hash bytea NOT NULL,
        UNIQUE (stream_id, stream_version)
      )`,
      `CREATE TABLE ${s.q}.idempotency_keys (
        idempotency_key text PRIMARY KEY,
        stream_id text NOT NULL,
        from_version bigint NOT NULL,
        to_version bigint NOT NULL,
        from_position bigint NOT NULL,
        to_position bigint NOT NULL,
        event_ids uuid[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT statement_timestamp()
      )`,
      `CREATE TABLE ${s.q}.consumer_checkpoints (
        consumer text NOT NULL,
        partition integer NOT NULL,
        partitions integer NOT NULL,
        position bigint NOT NULL DEFAULT 0,
        lease_owner text,
        lease_expires_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT statement_timestamp(),
        PRIMARY KEY (consumer, partition)
      )`,
      `CREATE TABLE ${s.q}.snapshots (
        stream_id text NOT NULL,
        snapshot_name text NOT NULL,
        schema_version text NOT NULL,
        stream_version bigint NOT NULL,
        state jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT statement_timestamp(),
        PRIMARY KEY (stream_id, snapshot_name)
      )`,
      `CREATE TABLE ${s.q}.outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        channel text NOT NULL,
        dedupe_key text NOT NULL,
        payload jsonb NOT NULL,
        source_position bigint,
        available_at timestamptz NOT NULL DEFAULT statement_timestamp(),
        attempts integer NOT NULL DEFAULT 0,
        lease_owner text,
        lease_expires_at timestamptz,
        delivered_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT statement_timestamp(),
        UNIQUE (channel, dedupe_key)
      )`,
      `CREATE INDEX outbox_pending ON ${s.q}.outbox (channel, available_at) WHERE delivered_at IS NULL`,
      eventHashFunction(s),
      appendFunction(s),
    ],
  },
]

// operations

/**
 * Brings the schema up to date: creates it if needed and applies the migrations it lacks, each
 * in its own transaction, under an advisory lock so that concurrent callers apply each once.
 */
export const migrate = async (db: Kysely<unknown>, options: { readonly schema?: string } = {}): Promise<MigrationReport> => {
  const s = schemaNames(options.schema)
  const applied: number[] = []
  for (const migration of migrations) {
    const done = await db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(${sql.lit(s.migrationLock)})`.execute(tx)
      await sql.raw(`CREATE SCHEMA IF NOT EXISTS ${s.q}`).execute(tx)
      await sql
        .raw(
          `CREATE TABLE IF NOT EXISTS ${s.q}.schema_migrations (
            version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT statement_timestamp())`,
        )
        .execute(tx)
      const found = await sql<{ version: number }>`SELECT version FROM ${sql.table(`${s.schema}.schema_migrations`)} WHERE version = ${migration.version}`.execute(tx)
      if (found.rows.length > 0) return false
      for (const statement of migration.statements(s)) await sql.raw(statement).execute(tx)
      await sql`INSERT INTO ${sql.table(`${s.schema}.schema_migrations`)} (version, name) VALUES (${migration.version}, ${migration.name})`.execute(tx)
      return true
    })
    if (done) applied.push(migration.version)
  }
  const last = migrations[migrations.length - 1]
  return { schema: s.schema, applied, version: last?.version ?? 0 }
}

/** Drops the schema and everything in it. For tests and tools; there is no undo. */
export const dropSchema = async (db: Kysely<unknown>, schema: string): Promise<void> => {
  const s = schemaNames(schema)
  await sql.raw(`DROP SCHEMA IF EXISTS ${s.q} CASCADE`).execute(db)
}
