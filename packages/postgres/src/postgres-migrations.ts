/** The store's schema as versioned, idempotent migrations, applied by one function in a schema of the caller's choosing. */
import { sql, type Kysely } from 'kysely'
import { logSealMigration } from './postgres-log-seal.js'

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
  /** The first key of the two-key advisory locks an append takes on each of its streams. */
  readonly streamLockClass: number
  /** The same for idempotency keys. */
  readonly keyLockClass: number
}

/** What `migrate` did. */
export interface MigrationReport {
  readonly schema: string
  /** Versions applied by this call, in order; empty when the schema was already current. */
  readonly applied: ReadonlyArray<number>
  /** The schema's version afterwards. */
  readonly version: number
}

// constructors

/** The schema the store uses when none is given: `support_ledger`. */
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
    // Stream locks sort before key locks (class + 1) in every append, single or batched: one lock order, no deadlock.
    streamLockClass: Number(BigInt.asUintN(30, lockKey(`${schema}.streams`))),
    keyLockClass: Number(BigInt.asUintN(30, lockKey(`${schema}.streams`))) + 1,
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
 * The canonical content an event's hash covers, as one SQL expression: the append computes it
 * inline (a SQL function call from PL/pgSQL is planned again in every transaction) and
 * verification through `event_hash`, so the two can never disagree (docs/decisions/0103).
 */
export const eventHashExpression = (
  prev: string, streamId: string, streamVersion: string, eventId: string, type: string, schemaVersion: string, data: string, metadata: string,
): string =>
  `sha256(${prev} || convert_to(concat_ws(chr(10), ${streamId}, (${streamVersion})::text, (${eventId})::text, ${type}, ` +
  `(${schemaVersion})::text, (${data})::text, (${metadata})::text), 'UTF8'))`

const eventHashFunction = (s: SchemaNames) => `
CREATE OR REPLACE FUNCTION ${s.q}.event_hash(
  prev bytea, stream_id text, stream_version bigint, event_id uuid, type text, schema_version integer, data json, metadata json
) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ${eventHashExpression('prev', 'stream_id', 'stream_version', 'event_id', 'type', 'schema_version', 'data', 'metadata')}
$$`

/** Step 1 of both batch functions: the same lock order everywhere (class, then hash), so batches cannot deadlock. */
const batchLocks = (s: SchemaNames): string => `  -- 1. Wait for other appends to the same streams or with the same keys, locking in one order
  --    everywhere (class, then hash), so batches cannot deadlock.
  PERFORM pg_advisory_xact_lock(x.c, x.h) FROM (
    SELECT DISTINCT l.c, l.h FROM (
      SELECT ${s.streamLockClass} AS c, hashtext(sid) AS h FROM unnest(p_stream_ids) AS sid
      UNION ALL
      SELECT ${s.keyLockClass}, hashtext(ikey) FROM unnest(p_keys) AS ikey WHERE ikey IS NOT NULL
    ) l ORDER BY l.c, l.h OFFSET 0
  ) x;`

// Migration 1's append functions, kept as they were released; migration 2 replaces them.

/**
 * The append: every check inside the database, one call per batch of appends. Arguments are
 * parallel arrays, one entry per append (stream, expected version, key, event count) and one per
 * event. Expected versions: -1 any, -2 no-stream, -3 exists, n >= 0 exact. Returns one row per
 * append: status 0 appended, 1 replayed from its idempotency key, 2 wrong expected version
 * (`actual` set), 3 key first used for `first_stream_id`.
 *
 * Order of work (docs/decisions/0100): lock the batch's streams and keys (transaction advisory
 * locks, which take no transaction id), decide every append from committed state, then take the
 * transaction id and all positions together under a lock released at once, then write. Positions
 * thus follow transaction ids, which the fenced reader relies on, and follow versions within a stream.
 *
 * When no stream and no key comes twice, as with concurrent callers, each append is decided on
 * its own against committed state, set-wise, in a few statements and little PL/pgSQL (whose every
 * variable and expression is set up again in each transaction) (docs/decisions/0105). Other
 * batches go to `append_events_in_order`.
 */

const appendFunctionV1 = (s: SchemaNames) => `
CREATE OR REPLACE FUNCTION ${s.q}.append_events(
  p_stream_ids text[], p_expected bigint[], p_keys text[], p_counts integer[],
  p_event_ids uuid[], p_types text[], p_schema_versions integer[], p_data json[], p_metadata json[],
  p_notify boolean
) RETURNS TABLE (
  idx integer, status smallint, actual bigint, from_version bigint, to_version bigint,
  from_position bigint, to_position bigint, event_ids uuid[], first_stream_id text
) LANGUAGE plpgsql AS $fn$
DECLARE
  n_appends integer := cardinality(p_stream_ids);
  v_distinct boolean;
  v_chained boolean;
  v_offsets integer[];
  o_status smallint[];
  o_first_stream text[];
  f_versions bigint[];
  f_heads bytea[];
  f_existing boolean[];
  n_write integer;
  v_xid xid8;
  v_next bigint;
  v_unlocked boolean;
  v_head bytea;
  r_hashes bytea[];
  i integer;
  k integer;
  e integer;
BEGIN
  IF n_appends IS NULL OR n_appends = 0 THEN
    RETURN;
  END IF;

${batchLocks(s)}

  -- 2. Committed state, read once, after the locks, and each append's decision.
  SELECT count(DISTINCT d.sid) = n_appends AND count(d.ikey) = count(DISTINCT d.ikey),
    array_agg(d.st ORDER BY d.i), array_agg(d.ver ORDER BY d.i), array_agg(d.head ORDER BY d.i),
    array_agg(d.existing ORDER BY d.i), array_agg(d.key_stream ORDER BY d.i),
    coalesce(sum(d.cnt) FILTER (WHERE d.st = 0), 0), array_agg(d.off ORDER BY d.i), coalesce(bool_or(d.st = 0 AND d.cnt > 1), false)
  INTO v_distinct, o_status, f_versions, f_heads, f_existing, o_first_stream, n_write, v_offsets, v_chained
  FROM (
    SELECT a.i, a.sid, a.ikey, a.cnt, (sum(a.cnt) OVER (ORDER BY a.i) - a.cnt)::integer AS off,
      (CASE
        WHEN ik.stream_id IS NOT NULL THEN CASE WHEN ik.stream_id = a.sid THEN 1 ELSE 3 END
        WHEN a.ex = -1 OR (a.ex = -2 AND coalesce(st.version, 0) = 0) OR (a.ex = -3 AND coalesce(st.version, 0) > 0)
          OR a.ex = coalesce(st.version, 0) THEN 0
        ELSE 2
      END)::smallint AS st,
      coalesce(st.version, 0) AS ver, coalesce(st.head_hash, '\\x'::bytea) AS head, st.stream_id IS NOT NULL AS existing,
      CASE WHEN ik.stream_id <> a.sid THEN ik.stream_id END AS key_stream
    FROM unnest(p_stream_ids, p_expected, p_keys, p_counts) WITH ORDINALITY AS a(sid, ex, ikey, cnt, i)
    LEFT JOIN ${s.q}.streams st ON st.stream_id = a.sid
    LEFT JOIN ${s.q}.idempotency_keys ik ON ik.idempotency_key = a.ikey
  ) AS d;

  IF NOT v_distinct THEN
    RETURN QUERY SELECT * FROM ${s.q}.append_events_in_order(
      p_stream_ids, p_expected, p_keys, p_counts, p_event_ids, p_types, p_schema_versions, p_data, p_metadata, p_notify);
    RETURN;
  END IF;

  -- 3. The transaction id and the positions, together (docs/decisions/0100): each subquery level
  --    runs before the one around it, so: lock, then id and positions, then unlock. Then the
  --    hashes of appends of several events, chained here; those of one event are computed in 4.
  IF n_write > 0 THEN
    BEGIN
      SELECT x.xid, x.first, pg_advisory_unlock(${s.positionLock}) INTO v_xid, v_next, v_unlocked FROM (
        SELECT pg_current_xact_id() AS xid, nextval('${s.q}.event_position') AS first,
          CASE WHEN n_write > 1 THEN setval('${s.q}.event_position', currval('${s.q}.event_position') + n_write - 1) END AS last
        FROM (SELECT pg_advisory_lock(${s.positionLock}) OFFSET 0) AS locked
        OFFSET 0
      ) AS x;
    EXCEPTION WHEN OTHERS OR query_canceled THEN
      PERFORM pg_advisory_unlock(${s.positionLock});
      RAISE;
    END;
  END IF;
  IF v_chained THEN
    r_hashes := array_fill(NULL::bytea, ARRAY[v_offsets[n_appends] + p_counts[n_appends]]);
    FOR i IN 1..n_appends LOOP
      CONTINUE WHEN o_status[i] <> 0 OR p_counts[i] = 1;
      v_head := f_heads[i];
      FOR k IN 1..p_counts[i] LOOP
        e := v_offsets[i] + k;
        v_head := ${eventHashExpression('v_head', 'p_stream_ids[i]', 'f_versions[i] + k', 'p_event_ids[e]', 'p_types[e]', 'p_schema_versions[e]', 'p_data[e]', 'p_metadata[e]')};
        r_hashes[e] := v_head;
      END LOOP;
    END LOOP;
  END IF;

  -- 4. One statement writes everything and answers. Positions follow the order given: an
  --    append's first is the batch's first plus the events written before it.
  RETURN QUERY
  WITH app AS (
    SELECT a.i::integer AS i, a.sid, a.cnt, a.off, a.st, a.ver, a.existing, a.ikey,
      v_next + sum(CASE WHEN a.st = 0 THEN a.cnt ELSE 0 END) OVER (ORDER BY a.i) - a.cnt AS pos,
      CASE WHEN a.st = 0 AND a.cnt = 1 THEN ${eventHashExpression('a.head', 'a.sid', 'a.ver + 1', 'p_event_ids[a.off + 1]', 'p_types[a.off + 1]', 'p_schema_versions[a.off + 1]', 'p_data[a.off + 1]', 'p_metadata[a.off + 1]')} END AS single
    FROM unnest(p_stream_ids, p_counts, v_offsets, o_status, f_versions, f_heads, f_existing, p_keys)
      WITH ORDINALITY AS a(sid, cnt, off, st, ver, head, existing, ikey, i)
  ), written AS (
    INSERT INTO ${s.q}.events
      (global_position, transaction_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, hash)
    SELECT app.pos + g.o - 1, v_xid, app.sid, app.ver + g.o, p_event_ids[app.off + g.o], p_types[app.off + g.o],
      p_schema_versions[app.off + g.o], p_data[app.off + g.o], p_metadata[app.off + g.o], coalesce(app.single, r_hashes[app.off + g.o])
    FROM app CROSS JOIN LATERAL generate_series(1, app.cnt) AS g(o)
    WHERE app.st = 0
  ), created AS (
    INSERT INTO ${s.q}.streams (stream_id, version, head_hash)
    SELECT app.sid, app.ver + app.cnt, coalesce(app.single, r_hashes[app.off + app.cnt]) FROM app WHERE app.st = 0 AND NOT app.existing
  ), advanced AS (
    UPDATE ${s.q}.streams x SET version = app.ver + app.cnt, head_hash = coalesce(app.single, r_hashes[app.off + app.cnt]), updated_at = statement_timestamp()
    FROM app WHERE app.st = 0 AND app.existing AND x.stream_id = app.sid
  ), keyed AS (
    INSERT INTO ${s.q}.idempotency_keys (idempotency_key, stream_id, from_version, to_version, from_position, to_position, event_ids)
    SELECT app.ikey, app.sid, app.ver + 1, app.ver + app.cnt, app.pos, app.pos + app.cnt - 1, p_event_ids[app.off + 1 : app.off + app.cnt]
    FROM app WHERE app.st = 0 AND app.ikey IS NOT NULL
  ), notified AS (
    SELECT pg_notify('${s.channel}', (v_next + n_write - 1)::text) WHERE p_notify AND n_write > 0
  )
  SELECT app.i, app.st, CASE WHEN app.st = 2 THEN app.ver END,
    CASE WHEN app.st = 0 THEN app.ver + 1 ELSE ik.from_version END,
    CASE WHEN app.st = 0 THEN app.ver + app.cnt ELSE ik.to_version END,
    CASE WHEN app.st = 0 THEN app.pos ELSE ik.from_position END,
    CASE WHEN app.st = 0 THEN app.pos + app.cnt - 1 ELSE ik.to_position END,
    CASE WHEN app.st = 0 THEN p_event_ids[app.off + 1 : app.off + app.cnt] ELSE ik.event_ids END,
    o_first_stream[app.i]
  FROM app
  LEFT JOIN ${s.q}.idempotency_keys ik ON app.st = 1 AND ik.idempotency_key = app.ikey
  CROSS JOIN (SELECT count(*) FROM notified) AS sent
  ORDER BY app.i;
END
$fn$`

/**
 * A batch in which a stream or an idempotency key comes more than once, decided append by append
 * (`append_events` hands such batches here; the arguments and result are the same). Arguments are
 * parallel arrays, one entry per append (stream, expected version, key, event count) and one per
 * event. Expected versions: -1 any, -2 no-stream, -3 exists, n >= 0 exact. Returns one row per
 * append: status 0 appended, 1 replayed from its idempotency key, 2 wrong expected version
 * (`actual` set), 3 key first used for `first_stream_id`.
 *
 * Order of work (docs/decisions/0100): lock the batch's streams and keys (transaction advisory
 * locks, which take no transaction id), decide every append from committed state, then take the
 * transaction id and all positions together under a lock released at once, then write. Positions
 * thus follow transaction ids, which the fenced reader relies on, and follow versions within a stream.
 */
const appendInOrderFunctionV1 = (s: SchemaNames) => `
CREATE OR REPLACE FUNCTION ${s.q}.append_events_in_order(
  p_stream_ids text[], p_expected bigint[], p_keys text[], p_counts integer[],
  p_event_ids uuid[], p_types text[], p_schema_versions integer[], p_data json[], p_metadata json[],
  p_notify boolean
) RETURNS TABLE (
  idx integer, status smallint, actual bigint, from_version bigint, to_version bigint,
  from_position bigint, to_position bigint, event_ids uuid[], first_stream_id text
) LANGUAGE plpgsql AS $fn$
DECLARE
  n_appends integer := coalesce(cardinality(p_stream_ids), 0);
  v_offsets integer[] := array_fill(0, ARRAY[n_appends]);
  o_status smallint[] := array_fill(NULL::smallint, ARRAY[n_appends]);
  o_actual bigint[] := array_fill(NULL::bigint, ARRAY[n_appends]);
  o_from_version bigint[] := array_fill(NULL::bigint, ARRAY[n_appends]);
  o_from_position bigint[] := array_fill(NULL::bigint, ARRAY[n_appends]);
  o_first_stream text[] := array_fill(NULL::text, ARRAY[n_appends]);
  -- the append whose result an in-batch retry repeats
  o_same_as integer[] := array_fill(NULL::integer, ARRAY[n_appends]);
  -- the streams this batch touches: version and head hash as they evolve through the batch
  m_streams text[];
  m_versions bigint[];
  m_heads bytea[];
  m_written boolean[];
  -- keys recorded before this batch, and keys used by earlier appends in it
  k_keys text[];
  k_streams text[];
  b_keys text[] := '{}';
  b_key_append integer[] := '{}';
  n_write integer := 0;
  v_xid xid8;
  v_unlocked boolean;
  v_next bigint;
  v_version bigint;
  v_expected bigint;
  v_head bytea;
  i integer;
  k integer;
  e integer;
  m integer;
  j integer;
  r_positions bigint[] := '{}';
  r_streams text[] := '{}';
  r_versions bigint[] := '{}';
  r_ids uuid[] := '{}';
  r_types text[] := '{}';
  r_schema_versions integer[] := '{}';
  r_data json[] := '{}';
  r_metadata json[] := '{}';
  r_hashes bytea[] := '{}';
  r_keyed integer[] := '{}';
BEGIN
  IF n_appends = 0 THEN
    RETURN;
  END IF;
  FOR i IN 2..n_appends LOOP
    v_offsets[i] := v_offsets[i - 1] + p_counts[i - 1];
  END LOOP;

${batchLocks(s)}

  -- 2. Committed state, read once, after the locks.
  SELECT coalesce(st.ids, '{}'), coalesce(st.versions, '{}'), coalesce(st.heads, '{}'), coalesce(ik.keys, '{}'), coalesce(ik.streams, '{}')
  INTO m_streams, m_versions, m_heads, k_keys, k_streams
  FROM (SELECT array_agg(x.stream_id) AS ids, array_agg(x.version) AS versions, array_agg(x.head_hash) AS heads
        FROM ${s.q}.streams x WHERE x.stream_id = ANY (p_stream_ids)) AS st,
       (SELECT array_agg(y.idempotency_key) AS keys, array_agg(y.stream_id) AS streams
        FROM ${s.q}.idempotency_keys y WHERE y.idempotency_key = ANY (p_keys)) AS ik;
  m_written := array_fill(false, ARRAY[cardinality(m_streams)]);

  -- 3. Decide each append, in the order given, against that state and the batch before it.
  FOR i IN 1..n_appends LOOP
    IF p_keys[i] IS NOT NULL THEN
      j := array_position(b_keys, p_keys[i]);
      IF j IS NOT NULL THEN
        IF p_stream_ids[b_key_append[j]] = p_stream_ids[i] THEN
          o_status[i] := 1;
          o_same_as[i] := b_key_append[j];
        ELSE
          o_status[i] := 3;
          o_first_stream[i] := p_stream_ids[b_key_append[j]];
        END IF;
        CONTINUE;
      END IF;
      j := array_position(k_keys, p_keys[i]);
      IF j IS NOT NULL THEN
        o_status[i] := CASE WHEN k_streams[j] = p_stream_ids[i] THEN 1 ELSE 3 END;
        o_first_stream[i] := CASE WHEN o_status[i] = 3 THEN k_streams[j] END;
        CONTINUE;
      END IF;
    END IF;

    m := array_position(m_streams, p_stream_ids[i]);
    IF m IS NULL THEN
      m_streams := m_streams || p_stream_ids[i];
      m_versions := m_versions || 0::bigint;
      m_heads := m_heads || '\\x'::bytea;
      m_written := m_written || false;
      m := cardinality(m_streams);
    END IF;
    v_version := m_versions[m];
    v_expected := p_expected[i];
    IF NOT (v_expected = -1 OR (v_expected = -2 AND v_version = 0) OR (v_expected = -3 AND v_version > 0) OR v_expected = v_version) THEN
      o_status[i] := 2;
      o_actual[i] := v_version;
      CONTINUE;
    END IF;
    o_status[i] := 0;
    o_from_version[i] := v_version + 1;
    m_versions[m] := v_version + p_counts[i];
    m_written[m] := true;
    n_write := n_write + p_counts[i];
    IF p_keys[i] IS NOT NULL THEN
      b_keys := b_keys || p_keys[i];
      b_key_append := b_key_append || i;
    END IF;
  END LOOP;

  IF n_write > 0 THEN
    -- 4. The transaction id and the positions, together (docs/decisions/0100): each subquery level
    --    runs before the one around it, so: lock, then id and positions, then unlock.
    BEGIN
      SELECT x.xid, x.first, pg_advisory_unlock(${s.positionLock}) INTO v_xid, v_next, v_unlocked FROM (
        SELECT pg_current_xact_id() AS xid, nextval('${s.q}.event_position') AS first,
          CASE WHEN n_write > 1 THEN setval('${s.q}.event_position', currval('${s.q}.event_position') + n_write - 1) END AS last
        FROM (SELECT pg_advisory_lock(${s.positionLock}) OFFSET 0) AS locked
        OFFSET 0
      ) AS x;
    EXCEPTION WHEN OTHERS OR query_canceled THEN
      PERFORM pg_advisory_unlock(${s.positionLock});
      RAISE;
    END;

    -- 5. The rows, hash-chained per stream, in the order given.
    FOR i IN 1..n_appends LOOP
      CONTINUE WHEN o_status[i] <> 0;
      m := array_position(m_streams, p_stream_ids[i]);
      v_head := m_heads[m];
      o_from_position[i] := v_next;
      IF p_keys[i] IS NOT NULL THEN
        r_keyed := r_keyed || i;
      END IF;
      FOR k IN 1..p_counts[i] LOOP
        e := v_offsets[i] + k;
        v_head := ${eventHashExpression('v_head', 'p_stream_ids[i]', 'o_from_version[i] + k - 1', 'p_event_ids[e]', 'p_types[e]', 'p_schema_versions[e]', 'p_data[e]', 'p_metadata[e]')};
        r_positions := r_positions || v_next;
        r_streams := r_streams || p_stream_ids[i];
        r_versions := r_versions || (o_from_version[i] + k - 1);
        r_ids := r_ids || p_event_ids[e];
        r_types := r_types || p_types[e];
        r_schema_versions := r_schema_versions || p_schema_versions[e];
        r_data := r_data || p_data[e];
        r_metadata := r_metadata || p_metadata[e];
        r_hashes := r_hashes || v_head;
        v_next := v_next + 1;
      END LOOP;
      m_heads[m] := v_head;
    END LOOP;

    -- 6. One statement writes everything.
    WITH written AS (
      INSERT INTO ${s.q}.events
        (global_position, transaction_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, hash)
      SELECT u.p, v_xid, u.s, u.v, u.id, u.t, u.sv, u.d, u.m, u.h
      FROM unnest(r_positions, r_streams, r_versions, r_ids, r_types, r_schema_versions, r_data, r_metadata, r_hashes)
        AS u(p, s, v, id, t, sv, d, m, h)
    ), heads AS (
      INSERT INTO ${s.q}.streams AS st (stream_id, version, head_hash)
      SELECT u.s, u.v, u.h FROM unnest(m_streams, m_versions, m_heads, m_written) AS u(s, v, h, w) WHERE u.w
      ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, head_hash = excluded.head_hash, updated_at = statement_timestamp()
    ), keyed AS (
      INSERT INTO ${s.q}.idempotency_keys (idempotency_key, stream_id, from_version, to_version, from_position, to_position, event_ids)
      SELECT p_keys[a], p_stream_ids[a], o_from_version[a], o_from_version[a] + p_counts[a] - 1, o_from_position[a],
        o_from_position[a] + p_counts[a] - 1, p_event_ids[v_offsets[a] + 1 : v_offsets[a] + p_counts[a]]
      FROM unnest(r_keyed) AS a
    ), notified AS (
      SELECT pg_notify('${s.channel}', (v_next - 1)::text) WHERE p_notify
    )
    SELECT count(*) INTO j FROM notified;
  END IF;

  -- 7. One row per append, in the order given; a retry repeats the first result, from this batch or from the table.
  FOR i IN 1..n_appends LOOP
    idx := i;
    status := o_status[i];
    actual := o_actual[i];
    first_stream_id := o_first_stream[i];
    j := coalesce(o_same_as[i], i);
    IF o_status[i] = 0 OR o_same_as[i] IS NOT NULL THEN
      from_version := o_from_version[j];
      to_version := o_from_version[j] + p_counts[j] - 1;
      from_position := o_from_position[j];
      to_position := o_from_position[j] + p_counts[j] - 1;
      event_ids := p_event_ids[v_offsets[j] + 1 : v_offsets[j] + p_counts[j]];
    ELSIF o_status[i] = 1 THEN
      SELECT ik.from_version, ik.to_version, ik.from_position, ik.to_position, ik.event_ids
      INTO from_version, to_version, from_position, to_position, event_ids
      FROM ${s.q}.idempotency_keys ik WHERE ik.idempotency_key = p_keys[i];
    ELSE
      from_version := NULL;
      to_version := NULL;
      from_position := NULL;
      to_position := NULL;
      event_ids := NULL;
    END IF;
    RETURN NEXT;
  END LOOP;
END
$fn$`

/**
 * The append of one batch of events to one stream: the same work and order as `append_events`
 * with far fewer statements, since most appends come alone. The batcher calls it when a call
 * carries a single append.
 */
const appendToStreamFunctionV1 = (s: SchemaNames) => `
CREATE OR REPLACE FUNCTION ${s.q}.append_to_stream(
  p_stream_id text, p_expected bigint, p_key text,
  p_event_ids uuid[], p_types text[], p_schema_versions integer[], p_data json[], p_metadata json[],
  p_notify boolean
) RETURNS TABLE (
  idx integer, status smallint, actual bigint, from_version bigint, to_version bigint,
  from_position bigint, to_position bigint, event_ids uuid[], first_stream_id text
) LANGUAGE plpgsql AS $fn$
DECLARE
  n integer;
  v_status smallint;
  v_version bigint;
  v_head bytea;
  v_existing boolean;
  v_key_stream text;
  v_xid xid8;
  v_unlocked boolean;
  v_next bigint;
  v_hashes bytea[];
  k integer;
BEGIN
  -- PL/pgSQL sets up every expression and statement again in each transaction, and an append is
  -- one transaction: the work is kept to a few SQL statements, with little logic between them.
  PERFORM pg_advisory_xact_lock(${s.streamLockClass}, hashtext(p_stream_id)),
    CASE WHEN p_key IS NOT NULL THEN pg_advisory_xact_lock(${s.keyLockClass}, hashtext(p_key)) END;

  SELECT cardinality(p_types),
    CASE
      WHEN ik.stream_id IS NOT NULL THEN CASE WHEN ik.stream_id = p_stream_id THEN 1 ELSE 3 END
      WHEN p_expected = -1 OR (p_expected = -2 AND coalesce(st.version, 0) = 0) OR (p_expected = -3 AND coalesce(st.version, 0) > 0)
        OR p_expected = coalesce(st.version, 0) THEN 0
      ELSE 2
    END,
    coalesce(st.version, 0), coalesce(st.head_hash, '\\x'::bytea), st.stream_id IS NOT NULL, ik.stream_id
  INTO n, v_status, v_version, v_head, v_existing, v_key_stream
  FROM (SELECT 1) AS one
  LEFT JOIN ${s.q}.streams st ON st.stream_id = p_stream_id
  LEFT JOIN ${s.q}.idempotency_keys ik ON p_key IS NOT NULL AND ik.idempotency_key = p_key;

  IF v_status <> 0 THEN
    RETURN QUERY
    SELECT 1, v_status, CASE WHEN v_status = 2 THEN v_version END, ik.from_version, ik.to_version, ik.from_position, ik.to_position,
      ik.event_ids, CASE WHEN v_status = 3 THEN v_key_stream END
    FROM (SELECT 1) AS one
    LEFT JOIN ${s.q}.idempotency_keys ik ON v_status = 1 AND ik.idempotency_key = p_key;
    RETURN;
  END IF;

  -- The transaction id and the positions, together (docs/decisions/0100): each subquery level runs
  -- before the one around it, so: lock, then id and positions, then unlock.
  BEGIN
    SELECT x.xid, x.first, pg_advisory_unlock(${s.positionLock}) INTO v_xid, v_next, v_unlocked FROM (
      SELECT pg_current_xact_id() AS xid, nextval('${s.q}.event_position') AS first,
        CASE WHEN n > 1 THEN setval('${s.q}.event_position', currval('${s.q}.event_position') + n - 1) END AS last
      FROM (SELECT pg_advisory_lock(${s.positionLock}) OFFSET 0) AS locked
      OFFSET 0
    ) AS x;
  EXCEPTION WHEN OTHERS OR query_canceled THEN
    PERFORM pg_advisory_unlock(${s.positionLock});
    RAISE;
  END;

  IF n > 1 THEN
    FOR k IN 1..n LOOP
      v_head := ${eventHashExpression('v_head', 'p_stream_id', 'v_version + k', 'p_event_ids[k]', 'p_types[k]', 'p_schema_versions[k]', 'p_data[k]', 'p_metadata[k]')};
      v_hashes[k] := v_head;
    END LOOP;
  ELSE
    v_hashes := ARRAY[${eventHashExpression('v_head', 'p_stream_id', 'v_version + 1', 'p_event_ids[1]', 'p_types[1]', 'p_schema_versions[1]', 'p_data[1]', 'p_metadata[1]')}];
  END IF;

  RETURN QUERY
  WITH written AS (
    INSERT INTO ${s.q}.events
      (global_position, transaction_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, hash)
    SELECT v_next + u.o - 1, v_xid, p_stream_id, v_version + u.o, u.id, u.t, u.sv, u.d, u.m, u.h
    FROM unnest(p_event_ids, p_types, p_schema_versions, p_data, p_metadata, v_hashes) WITH ORDINALITY AS u(id, t, sv, d, m, h, o)
  ), created AS (
    INSERT INTO ${s.q}.streams (stream_id, version, head_hash) SELECT p_stream_id, v_version + n, v_hashes[n] WHERE NOT v_existing
  ), advanced AS (
    UPDATE ${s.q}.streams SET version = v_version + n, head_hash = v_hashes[n], updated_at = statement_timestamp()
    WHERE v_existing AND stream_id = p_stream_id
  ), keyed AS (
    INSERT INTO ${s.q}.idempotency_keys (idempotency_key, stream_id, from_version, to_version, from_position, to_position, event_ids)
    SELECT p_key, p_stream_id, v_version + 1, v_version + n, v_next, v_next + n - 1, p_event_ids WHERE p_key IS NOT NULL
  ), notified AS (
    SELECT pg_notify('${s.channel}', (v_next + n - 1)::text) WHERE p_notify
  )
  SELECT 1, 0::smallint, NULL::bigint, v_version + 1, v_version + n, v_next, v_next + n - 1, p_event_ids, NULL::text
  FROM (SELECT count(*) FROM notified) AS sent;
END
$fn$`

// Migration 2: fence stamps and request digests.

/**
 * Step 3 of every append (docs/decisions/0106): under a session lock released at once, the
 * append's positions and its fence stamp, the greater of its transaction id and the highest stamp
 * given so far (kept in the `fence_stamp` sequence, which, unlike a table, every session sees at
 * once). Stamps thus never decrease along positions, even when the transaction took its id long
 * before (a caller's transaction that wrote its own rows first, or appended already), and a stamp
 * is never below its own transaction's id: readers returning only rows stamped below the oldest
 * running transaction never pass a position that can still commit. Each subquery level runs
 * before the one around it: lock, then stamp, then positions and the new highest stamp, then unlock.
 * `count` is the number of events to place; `v_xid`, `v_next` and `v_unlocked` receive the stamp,
 * the first position and the unlock result.
 */
const takePositions = (s: SchemaNames, count: string): string => `    BEGIN
      SELECT x.stamp::text::xid8, x.first, pg_advisory_unlock(${s.positionLock}) INTO v_xid, v_next, v_unlocked FROM (
        SELECT t.stamp, nextval('${s.q}.event_position') AS first,
          CASE WHEN ${count} > 1 THEN setval('${s.q}.event_position', currval('${s.q}.event_position') + ${count} - 1) END AS last,
          CASE WHEN t.stamp > t.high THEN setval('${s.q}.fence_stamp', t.stamp) END AS raised
        FROM (
          SELECT greatest(pg_current_xact_id()::text::bigint, h.high) AS stamp, h.high FROM (
            SELECT coalesce(pg_sequence_last_value('${s.q}.fence_stamp'), 0) AS high
            FROM (SELECT pg_advisory_lock(${s.positionLock}) OFFSET 0) AS locked
            OFFSET 0
          ) AS h
          OFFSET 0
        ) AS t
        OFFSET 0
      ) AS x;
    EXCEPTION WHEN OTHERS OR query_canceled THEN
      PERFORM pg_advisory_unlock(${s.positionLock});
      RAISE;
    END;`

/**
 * What a recorded idempotency key says about a new request with the same key: 1 the same request
 * (a replay), 3 first used for another stream, 4 with another expected version, 5 with another
 * number of events, 6 with other events (their digest differs). Keys recorded before digests
 * existed (NULL) are checked on stream and count only.
 */
export const keyVerdict = (firstStream: string, firstExpected: string, firstIds: string, firstDigest: string, sid: string, ex: string, cnt: string, digest: string): string =>
  `(CASE WHEN ${firstStream} <> ${sid} THEN 3
      WHEN ${firstExpected} IS NOT NULL AND ${firstExpected} <> ${ex} THEN 4
      WHEN cardinality(${firstIds}) <> ${cnt} THEN 5
      WHEN ${firstDigest} IS NOT NULL AND ${firstDigest} IS DISTINCT FROM ${digest} THEN 6
      ELSE 1 END)::smallint`

/**
 * The append of a batch (docs/decisions/0105, 0106): parallel arrays, one entry per append
 * (stream, expected version, key, request digest, event count) and one per event. Expected
 * versions: -1 any, -2 no-stream, -3 exists, n >= 0 exact. Returns one row per append: status 0
 * appended, 1 replayed from its idempotency key, 2 wrong expected version (`actual` set), 3 key
 * first used for `first_stream_id`, 4, 5 and 6 key first used for the same stream with another
 * expected version, event count or events.
 *
 * Order of work: lock the batch's streams and keys (transaction advisory locks, one order
 * everywhere), decide every append from committed state, take positions and the fence stamp,
 * write. When no stream and no key comes twice, as with concurrent callers, each append is
 * decided set-wise; other batches go to `append_events_in_order`.
 */
const appendBatchFunction = (s: SchemaNames, contracts = false, indexed = false) => `
CREATE OR REPLACE FUNCTION ${s.q}.append_events(
  p_stream_ids text[], p_expected bigint[], p_keys text[], p_digests bytea[], p_counts integer[],${contracts ? ' p_contract_ids text[],' : ''}
  p_event_ids uuid[], p_types text[], p_schema_versions integer[], p_data json[], p_metadata json[],
  p_notify boolean
) RETURNS TABLE (
  idx integer, status smallint, actual bigint, from_version bigint, to_version bigint,
  from_position bigint, to_position bigint, event_ids uuid[], first_stream_id text
) LANGUAGE plpgsql${indexed ? BATCH_PLANS : ''} AS $fn$
DECLARE
  n_appends integer := cardinality(p_stream_ids);
  v_distinct boolean;
  v_chained boolean;
  v_offsets integer[];
  o_status smallint[];
  o_first_stream text[];
  f_versions bigint[];
  f_heads bytea[];
  f_existing boolean[];
  n_write integer;
  v_xid xid8;
  v_next bigint;
  v_unlocked boolean;
  v_head bytea;
  r_hashes bytea[];
  i integer;
  k integer;
  e integer;
BEGIN
  IF n_appends IS NULL OR n_appends = 0 THEN
    RETURN;
  END IF;

${batchLocks(s)}

  -- 2. Committed state, read once, after the locks, and each append's decision.
  SELECT count(DISTINCT d.sid) = n_appends AND count(d.ikey) = count(DISTINCT d.ikey),
    array_agg(d.st ORDER BY d.i), array_agg(d.ver ORDER BY d.i), array_agg(d.head ORDER BY d.i),
    array_agg(d.existing ORDER BY d.i), array_agg(d.key_stream ORDER BY d.i),
    coalesce(sum(d.cnt) FILTER (WHERE d.st = 0), 0), array_agg(d.off ORDER BY d.i), coalesce(bool_or(d.st = 0 AND d.cnt > 1), false)
  INTO v_distinct, o_status, f_versions, f_heads, f_existing, o_first_stream, n_write, v_offsets, v_chained
  FROM (
    SELECT a.i, a.sid, a.ikey, a.cnt, (sum(a.cnt) OVER (ORDER BY a.i) - a.cnt)::integer AS off,
      (CASE
        WHEN ik.stream_id IS NOT NULL THEN ${keyVerdict('ik.stream_id', 'ik.expected_version', 'ik.event_ids', 'ik.request_digest', 'a.sid', 'a.ex', 'a.cnt', 'a.dg')}
        WHEN a.ex = -1 OR (a.ex = -2 AND coalesce(st.version, 0) = 0) OR (a.ex = -3 AND coalesce(st.version, 0) > 0)
          OR a.ex = coalesce(st.version, 0) THEN 0
        ELSE 2
      END)::smallint AS st,
      coalesce(st.version, 0) AS ver, coalesce(st.head_hash, '\\x'::bytea) AS head, st.stream_id IS NOT NULL AS existing,
      CASE WHEN ik.stream_id <> a.sid THEN ik.stream_id END AS key_stream
    FROM unnest(p_stream_ids, p_expected, p_keys, p_digests, p_counts) WITH ORDINALITY AS a(sid, ex, ikey, dg, cnt, i)
${indexed ? batchLookups(s) : `    LEFT JOIN ${s.q}.streams st ON st.stream_id = a.sid
    LEFT JOIN ${s.q}.idempotency_keys ik ON ik.idempotency_key = a.ikey`}
  ) AS d;

  IF NOT v_distinct THEN
    RETURN QUERY SELECT * FROM ${s.q}.append_events_in_order(
      p_stream_ids, p_expected, p_keys, p_digests, p_counts,${contracts ? ' p_contract_ids,' : ''} p_event_ids, p_types, p_schema_versions, p_data, p_metadata, p_notify);
    RETURN;
  END IF;

  -- 3. Positions and the fence stamp; then the hashes of appends of several events, chained
  --    here (those of one event are computed in 4).
  IF n_write > 0 THEN
${takePositions(s, 'n_write')}
  END IF;
  IF v_chained THEN
    r_hashes := array_fill(NULL::bytea, ARRAY[v_offsets[n_appends] + p_counts[n_appends]]);
    FOR i IN 1..n_appends LOOP
      CONTINUE WHEN o_status[i] <> 0 OR p_counts[i] = 1;
      v_head := f_heads[i];
      FOR k IN 1..p_counts[i] LOOP
        e := v_offsets[i] + k;
        v_head := ${eventHashExpression('v_head', 'p_stream_ids[i]', 'f_versions[i] + k', 'p_event_ids[e]', 'p_types[e]', 'p_schema_versions[e]', 'p_data[e]', 'p_metadata[e]')};
        r_hashes[e] := v_head;
      END LOOP;
    END LOOP;
  END IF;

  -- 4. One statement writes everything and answers. Positions follow the order given: an
  --    append's first is the batch's first plus the events written before it.
  RETURN QUERY
  WITH app AS (
    SELECT a.i::integer AS i, a.sid, a.ex, a.cnt, a.off, a.st, a.ver, a.existing, a.ikey, a.dg,${contracts ? ' a.cid,' : ''}
      v_next + sum(CASE WHEN a.st = 0 THEN a.cnt ELSE 0 END) OVER (ORDER BY a.i) - a.cnt AS pos,
      CASE WHEN a.st = 0 AND a.cnt = 1 THEN ${eventHashExpression('a.head', 'a.sid', 'a.ver + 1', 'p_event_ids[a.off + 1]', 'p_types[a.off + 1]', 'p_schema_versions[a.off + 1]', 'p_data[a.off + 1]', 'p_metadata[a.off + 1]')} END AS single
    FROM unnest(p_stream_ids, p_expected, p_counts, v_offsets, o_status, f_versions, f_heads, f_existing, p_keys, p_digests${contracts ? ', p_contract_ids' : ''})
      WITH ORDINALITY AS a(sid, ex, cnt, off, st, ver, head, existing, ikey, dg,${contracts ? ' cid,' : ''} i)
  ), written AS (
    INSERT INTO ${s.q}.events
      (global_position, transaction_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, hash${contracts ? ', contract_id' : ''})
    SELECT app.pos + g.o - 1, v_xid, app.sid, app.ver + g.o, p_event_ids[app.off + g.o], p_types[app.off + g.o],
      p_schema_versions[app.off + g.o], p_data[app.off + g.o], p_metadata[app.off + g.o], coalesce(app.single, r_hashes[app.off + g.o])${contracts ? ', app.cid' : ''}
    FROM app CROSS JOIN LATERAL generate_series(1, app.cnt) AS g(o)
    WHERE app.st = 0
  ), created AS (
    INSERT INTO ${s.q}.streams (stream_id, version, head_hash)
    SELECT app.sid, app.ver + app.cnt, coalesce(app.single, r_hashes[app.off + app.cnt]) FROM app WHERE app.st = 0 AND NOT app.existing
  ), advanced AS (
    UPDATE ${s.q}.streams x SET version = app.ver + app.cnt, head_hash = coalesce(app.single, r_hashes[app.off + app.cnt]), updated_at = statement_timestamp()
    FROM app WHERE app.st = 0 AND app.existing AND x.stream_id = app.sid
  ), keyed AS (
    INSERT INTO ${s.q}.idempotency_keys
      (idempotency_key, stream_id, from_version, to_version, from_position, to_position, event_ids, expected_version, request_digest)
    SELECT app.ikey, app.sid, app.ver + 1, app.ver + app.cnt, app.pos, app.pos + app.cnt - 1, p_event_ids[app.off + 1 : app.off + app.cnt], app.ex, app.dg
    FROM app WHERE app.st = 0 AND app.ikey IS NOT NULL
  ), notified AS (
    SELECT pg_notify('${s.channel}', (v_next + n_write - 1)::text) WHERE p_notify AND n_write > 0
  )
  SELECT app.i, app.st, CASE WHEN app.st = 2 THEN app.ver END,
    CASE WHEN app.st = 0 THEN app.ver + 1 WHEN app.st = 1 THEN ik.from_version END,
    CASE WHEN app.st = 0 THEN app.ver + app.cnt WHEN app.st = 1 THEN ik.to_version END,
    CASE WHEN app.st = 0 THEN app.pos WHEN app.st = 1 THEN ik.from_position END,
    CASE WHEN app.st = 0 THEN app.pos + app.cnt - 1 WHEN app.st = 1 THEN ik.to_position END,
    CASE WHEN app.st = 0 THEN p_event_ids[app.off + 1 : app.off + app.cnt] WHEN app.st = 1 THEN ik.event_ids END,
    o_first_stream[app.i]
  FROM app
  ${indexed
    ? `LEFT JOIN LATERAL (SELECT y.* FROM ${s.q}.idempotency_keys y WHERE app.st = 1 AND y.idempotency_key = app.ikey OFFSET 0) AS ik ON true`
    : `LEFT JOIN ${s.q}.idempotency_keys ik ON app.st = 1 AND ik.idempotency_key = app.ikey`}
  CROSS JOIN (SELECT count(*) FROM notified) AS sent
  ORDER BY app.i;
END
$fn$`

// A batch's statements take array parameters, whose lengths change from call to call, so the
// planner would plan them afresh on every call (a fifth of a batch's server time); and a plan
// made while a table was small may scan it whole. One generic plan per connection, with index
// scans only (docs/decisions/0137).
const BATCH_PLANS = ' SET plan_cache_mode = force_generic_plan SET enable_seqscan = off'

// Each append's stream and key, looked up by their primary keys one append at a time: `OFFSET 0`
// keeps the planner from joining the batch to the whole table, which a plan cached while the
// table was small does by scanning it on every later call (docs/decisions/0137).
const batchLookups = (s: SchemaNames): string => `    LEFT JOIN LATERAL (
      SELECT x.version, x.head_hash, x.stream_id FROM ${s.q}.streams x WHERE x.stream_id = a.sid OFFSET 0
    ) AS st ON true
    LEFT JOIN LATERAL (
      SELECT y.stream_id, y.expected_version, y.event_ids, y.request_digest FROM ${s.q}.idempotency_keys y
      WHERE a.ikey IS NOT NULL AND y.idempotency_key = a.ikey OFFSET 0
    ) AS ik ON true`

/**
 * A batch in which a stream or an idempotency key comes more than once, decided append by append
 * (`append_events` hands such batches here; the arguments and result are the same). A key that
 * comes again in the batch is judged against its first request in the batch, as against one
 * recorded before.
 */
const appendInOrderFunction = (s: SchemaNames, contracts = false) => `
CREATE OR REPLACE FUNCTION ${s.q}.append_events_in_order(
  p_stream_ids text[], p_expected bigint[], p_keys text[], p_digests bytea[], p_counts integer[],${contracts ? ' p_contract_ids text[],' : ''}
  p_event_ids uuid[], p_types text[], p_schema_versions integer[], p_data json[], p_metadata json[],
  p_notify boolean
) RETURNS TABLE (
  idx integer, status smallint, actual bigint, from_version bigint, to_version bigint,
  from_position bigint, to_position bigint, event_ids uuid[], first_stream_id text
) LANGUAGE plpgsql AS $fn$
DECLARE
  n_appends integer := coalesce(cardinality(p_stream_ids), 0);
  v_offsets integer[] := array_fill(0, ARRAY[n_appends]);
  o_status smallint[] := array_fill(NULL::smallint, ARRAY[n_appends]);
  o_actual bigint[] := array_fill(NULL::bigint, ARRAY[n_appends]);
  o_from_version bigint[] := array_fill(NULL::bigint, ARRAY[n_appends]);
  o_from_position bigint[] := array_fill(NULL::bigint, ARRAY[n_appends]);
  o_first_stream text[] := array_fill(NULL::text, ARRAY[n_appends]);
  -- the append whose result an in-batch retry repeats
  o_same_as integer[] := array_fill(NULL::integer, ARRAY[n_appends]);
  -- the streams this batch touches: version and head hash as they evolve through the batch
  m_streams text[];
  m_versions bigint[];
  m_heads bytea[];
  m_written boolean[];
  -- keys recorded before this batch, and keys used by earlier appends in it
  k_keys text[];
  k_streams text[];
  v_status smallint;
  b_keys text[] := '{}';
  b_key_append integer[] := '{}';
  n_write integer := 0;
  v_xid xid8;
  v_unlocked boolean;
  v_next bigint;
  v_version bigint;
  v_expected bigint;
  v_head bytea;
  i integer;
  k integer;
  e integer;
  m integer;
  j integer;
  r_positions bigint[] := '{}';
  r_streams text[] := '{}';${contracts ? "\n  r_contracts text[] := '{}';" : ''}
  r_versions bigint[] := '{}';
  r_ids uuid[] := '{}';
  r_types text[] := '{}';
  r_schema_versions integer[] := '{}';
  r_data json[] := '{}';
  r_metadata json[] := '{}';
  r_hashes bytea[] := '{}';
  r_keyed integer[] := '{}';
BEGIN
  IF n_appends = 0 THEN
    RETURN;
  END IF;
  FOR i IN 2..n_appends LOOP
    v_offsets[i] := v_offsets[i - 1] + p_counts[i - 1];
  END LOOP;

${batchLocks(s)}

  -- 2. Committed state, read once, after the locks.
  SELECT coalesce(st.ids, '{}'), coalesce(st.versions, '{}'), coalesce(st.heads, '{}')
  INTO m_streams, m_versions, m_heads
  FROM (SELECT array_agg(x.stream_id) AS ids, array_agg(x.version) AS versions, array_agg(x.head_hash) AS heads
        FROM ${s.q}.streams x WHERE x.stream_id = ANY (p_stream_ids)) AS st;
  SELECT coalesce(array_agg(y.idempotency_key), '{}'), coalesce(array_agg(y.stream_id), '{}') INTO k_keys, k_streams
  FROM ${s.q}.idempotency_keys y WHERE y.idempotency_key = ANY (p_keys);
  m_written := array_fill(false, ARRAY[cardinality(m_streams)]);

  -- 3. Decide each append, in the order given, against that state and the batch before it.
  FOR i IN 1..n_appends LOOP
    IF p_keys[i] IS NOT NULL THEN
      j := array_position(b_keys, p_keys[i]);
      IF j IS NOT NULL THEN
        j := b_key_append[j];
        o_status[i] := CASE
          WHEN p_stream_ids[j] <> p_stream_ids[i] THEN 3
          WHEN p_expected[j] <> p_expected[i] THEN 4
          WHEN p_counts[j] <> p_counts[i] THEN 5
          WHEN p_digests[j] IS DISTINCT FROM p_digests[i] THEN 6
          ELSE 1 END;
        IF o_status[i] = 1 THEN
          o_same_as[i] := j;
        ELSIF o_status[i] = 3 THEN
          o_first_stream[i] := p_stream_ids[j];
        END IF;
        CONTINUE;
      END IF;
      j := array_position(k_keys, p_keys[i]);
      IF j IS NOT NULL THEN
        SELECT y.verdict INTO v_status FROM (
          SELECT ${keyVerdict('ik.stream_id', 'ik.expected_version', 'ik.event_ids', 'ik.request_digest', 'p_stream_ids[i]', 'p_expected[i]', 'p_counts[i]', 'p_digests[i]')} AS verdict
          FROM ${s.q}.idempotency_keys ik WHERE ik.idempotency_key = p_keys[i]
        ) AS y;
        o_status[i] := v_status;
        o_first_stream[i] := CASE WHEN o_status[i] = 3 THEN k_streams[j] END;
        CONTINUE;
      END IF;
    END IF;

    m := array_position(m_streams, p_stream_ids[i]);
    IF m IS NULL THEN
      m_streams := m_streams || p_stream_ids[i];
      m_versions := m_versions || 0::bigint;
      m_heads := m_heads || '\\x'::bytea;
      m_written := m_written || false;
      m := cardinality(m_streams);
    END IF;
    v_version := m_versions[m];
    v_expected := p_expected[i];
    IF NOT (v_expected = -1 OR (v_expected = -2 AND v_version = 0) OR (v_expected = -3 AND v_version > 0) OR v_expected = v_version) THEN
      o_status[i] := 2;
      o_actual[i] := v_version;
      CONTINUE;
    END IF;
    o_status[i] := 0;
    o_from_version[i] := v_version + 1;
    m_versions[m] := v_version + p_counts[i];
    m_written[m] := true;
    n_write := n_write + p_counts[i];
    IF p_keys[i] IS NOT NULL THEN
      b_keys := b_keys || p_keys[i];
      b_key_append := b_key_append || i;
    END IF;
  END LOOP;

  IF n_write > 0 THEN
    -- 4. Positions and the fence stamp.
${takePositions(s, 'n_write')}

    -- 5. The rows, hash-chained per stream, in the order given.
    FOR i IN 1..n_appends LOOP
      CONTINUE WHEN o_status[i] <> 0;
      m := array_position(m_streams, p_stream_ids[i]);
      v_head := m_heads[m];
      o_from_position[i] := v_next;
      IF p_keys[i] IS NOT NULL THEN
        r_keyed := r_keyed || i;
      END IF;
      FOR k IN 1..p_counts[i] LOOP
        e := v_offsets[i] + k;
        v_head := ${eventHashExpression('v_head', 'p_stream_ids[i]', 'o_from_version[i] + k - 1', 'p_event_ids[e]', 'p_types[e]', 'p_schema_versions[e]', 'p_data[e]', 'p_metadata[e]')};
        r_positions := r_positions || v_next;
        r_streams := r_streams || p_stream_ids[i];${contracts ? '\n        r_contracts := r_contracts || p_contract_ids[i];' : ''}
        r_versions := r_versions || (o_from_version[i] + k - 1);
        r_ids := r_ids || p_event_ids[e];
        r_types := r_types || p_types[e];
        r_schema_versions := r_schema_versions || p_schema_versions[e];
        r_data := r_data || p_data[e];
        r_metadata := r_metadata || p_metadata[e];
        r_hashes := r_hashes || v_head;
        v_next := v_next + 1;
      END LOOP;
      m_heads[m] := v_head;
    END LOOP;

    -- 6. One statement writes everything.
    WITH written AS (
      INSERT INTO ${s.q}.events
        (global_position, transaction_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, hash${contracts ? ', contract_id' : ''})
      SELECT u.p, v_xid, u.s, u.v, u.id, u.t, u.sv, u.d, u.m, u.h${contracts ? ', u.c' : ''}
      FROM unnest(r_positions, r_streams, r_versions, r_ids, r_types, r_schema_versions, r_data, r_metadata, r_hashes${contracts ? ', r_contracts' : ''})
        AS u(p, s, v, id, t, sv, d, m, h${contracts ? ', c' : ''})
    ), heads AS (
      INSERT INTO ${s.q}.streams AS st (stream_id, version, head_hash)
      SELECT u.s, u.v, u.h FROM unnest(m_streams, m_versions, m_heads, m_written) AS u(s, v, h, w) WHERE u.w
      ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, head_hash = excluded.head_hash, updated_at = statement_timestamp()
    ), keyed AS (
      INSERT INTO ${s.q}.idempotency_keys
        (idempotency_key, stream_id, from_version, to_version, from_position, to_position, event_ids, expected_version, request_digest)
      SELECT p_keys[a], p_stream_ids[a], o_from_version[a], o_from_version[a] + p_counts[a] - 1, o_from_position[a],
        o_from_position[a] + p_counts[a] - 1, p_event_ids[v_offsets[a] + 1 : v_offsets[a] + p_counts[a]], p_expected[a], p_digests[a]
      FROM unnest(r_keyed) AS a
    ), notified AS (
      SELECT pg_notify('${s.channel}', (v_next - 1)::text) WHERE p_notify
    )
    SELECT count(*) INTO j FROM notified;
  END IF;

  -- 7. One row per append, in the order given; a retry repeats the first result, from this batch or from the table.
  FOR i IN 1..n_appends LOOP
    idx := i;
    status := o_status[i];
    actual := o_actual[i];
    first_stream_id := o_first_stream[i];
    j := coalesce(o_same_as[i], i);
    IF o_status[i] = 0 OR o_same_as[i] IS NOT NULL THEN
      from_version := o_from_version[j];
      to_version := o_from_version[j] + p_counts[j] - 1;
      from_position := o_from_position[j];
      to_position := o_from_position[j] + p_counts[j] - 1;
      event_ids := p_event_ids[v_offsets[j] + 1 : v_offsets[j] + p_counts[j]];
    ELSIF o_status[i] = 1 THEN
      SELECT ik.from_version, ik.to_version, ik.from_position, ik.to_position, ik.event_ids
      INTO from_version, to_version, from_position, to_position, event_ids
      FROM ${s.q}.idempotency_keys ik WHERE ik.idempotency_key = p_keys[i];
    ELSE
      from_version := NULL;
      to_version := NULL;
      from_position := NULL;
      to_position := NULL;
      event_ids := NULL;
    END IF;
    RETURN NEXT;
  END LOOP;
END
$fn$`

/**
 * The append of one batch of events to one stream: the same work, order and statuses as
 * `append_events` with far fewer statements, since most appends come alone.
 */
const appendOneFunction = (s: SchemaNames, contracts = false) => `
CREATE OR REPLACE FUNCTION ${s.q}.append_to_stream(
  p_stream_id text, p_expected bigint, p_key text, p_digest bytea,${contracts ? ' p_contract_id text,' : ''}
  p_event_ids uuid[], p_types text[], p_schema_versions integer[], p_data json[], p_metadata json[],
  p_notify boolean
) RETURNS TABLE (
  idx integer, status smallint, actual bigint, from_version bigint, to_version bigint,
  from_position bigint, to_position bigint, event_ids uuid[], first_stream_id text
) LANGUAGE plpgsql AS $fn$
DECLARE
  n integer;
  v_status smallint;
  v_version bigint;
  v_head bytea;
  v_existing boolean;
  v_key_stream text;
  v_xid xid8;
  v_unlocked boolean;
  v_next bigint;
  v_hashes bytea[];
  k integer;
BEGIN
  -- PL/pgSQL sets up every expression and statement again in each transaction, and an append is
  -- one transaction: the work is kept to a few SQL statements, with little logic between them.
  PERFORM pg_advisory_xact_lock(${s.streamLockClass}, hashtext(p_stream_id)),
    CASE WHEN p_key IS NOT NULL THEN pg_advisory_xact_lock(${s.keyLockClass}, hashtext(p_key)) END;

  SELECT cardinality(p_types),
    CASE
      WHEN ik.stream_id IS NOT NULL THEN ${keyVerdict('ik.stream_id', 'ik.expected_version', 'ik.event_ids', 'ik.request_digest', 'p_stream_id', 'p_expected', 'cardinality(p_types)', 'p_digest')}
      WHEN p_expected = -1 OR (p_expected = -2 AND coalesce(st.version, 0) = 0) OR (p_expected = -3 AND coalesce(st.version, 0) > 0)
        OR p_expected = coalesce(st.version, 0) THEN 0
      ELSE 2
    END,
    coalesce(st.version, 0), coalesce(st.head_hash, '\\x'::bytea), st.stream_id IS NOT NULL, ik.stream_id
  INTO n, v_status, v_version, v_head, v_existing, v_key_stream
  FROM (SELECT 1) AS one
  LEFT JOIN ${s.q}.streams st ON st.stream_id = p_stream_id
  LEFT JOIN ${s.q}.idempotency_keys ik ON p_key IS NOT NULL AND ik.idempotency_key = p_key;

  IF v_status <> 0 THEN
    RETURN QUERY
    SELECT 1, v_status, CASE WHEN v_status = 2 THEN v_version END, ik.from_version, ik.to_version, ik.from_position, ik.to_position,
      ik.event_ids, CASE WHEN v_status = 3 THEN v_key_stream END
    FROM (SELECT 1) AS one
    LEFT JOIN ${s.q}.idempotency_keys ik ON v_status = 1 AND ik.idempotency_key = p_key;
    RETURN;
  END IF;

${takePositions(s, 'n')}

  IF n > 1 THEN
    FOR k IN 1..n LOOP
      v_head := ${eventHashExpression('v_head', 'p_stream_id', 'v_version + k', 'p_event_ids[k]', 'p_types[k]', 'p_schema_versions[k]', 'p_data[k]', 'p_metadata[k]')};
      v_hashes[k] := v_head;
    END LOOP;
  ELSE
    v_hashes := ARRAY[${eventHashExpression('v_head', 'p_stream_id', 'v_version + 1', 'p_event_ids[1]', 'p_types[1]', 'p_schema_versions[1]', 'p_data[1]', 'p_metadata[1]')}];
  END IF;

  RETURN QUERY
  WITH written AS (
    INSERT INTO ${s.q}.events
      (global_position, transaction_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, hash${contracts ? ', contract_id' : ''})
    SELECT v_next + u.o - 1, v_xid, p_stream_id, v_version + u.o, u.id, u.t, u.sv, u.d, u.m, u.h${contracts ? ', p_contract_id' : ''}
    FROM unnest(p_event_ids, p_types, p_schema_versions, p_data, p_metadata, v_hashes) WITH ORDINALITY AS u(id, t, sv, d, m, h, o)
  ), created AS (
    INSERT INTO ${s.q}.streams (stream_id, version, head_hash) SELECT p_stream_id, v_version + n, v_hashes[n] WHERE NOT v_existing
  ), advanced AS (
    UPDATE ${s.q}.streams SET version = v_version + n, head_hash = v_hashes[n], updated_at = statement_timestamp()
    WHERE v_existing AND stream_id = p_stream_id
  ), keyed AS (
    INSERT INTO ${s.q}.idempotency_keys
      (idempotency_key, stream_id, from_version, to_version, from_position, to_position, event_ids, expected_version, request_digest)
    SELECT p_key, p_stream_id, v_version + 1, v_version + n, v_next, v_next + n - 1, p_event_ids, p_expected, p_digest WHERE p_key IS NOT NULL
  ), notified AS (
    SELECT pg_notify('${s.channel}', (v_next + n - 1)::text) WHERE p_notify
  )
  SELECT 1, 0::smallint, NULL::bigint, v_version + 1, v_version + n, v_next, v_next + n - 1, p_event_ids, NULL::text
  FROM (SELECT count(*) FROM notified) AS sent;
END
$fn$`

// Migration 8: the lone append in plain statements.

/**
 * The append of one batch of events to one stream (docs/decisions/0118): the same work, order,
 * arguments and statuses as migration 7's, in plain statements, each run only when it has work.
 * A PL/pgSQL statement starts an executor for its whole plan on every call, whether or not a part
 * of it writes a row, while an expression without a table (`v := f(...)`) is evaluated directly:
 * the locks, sequences and notification are such expressions (a function returning void is
 * called for its effect through `IS NULL`), and only the lookups and the rows written are
 * statements. Counted with callgrind, a lone one-event append to a new stream costs three
 * quarters of the instructions of migration 7's.
 */
const appendOneFunctionV8 = (s: SchemaNames) => `
CREATE OR REPLACE FUNCTION ${s.q}.append_to_stream(
  p_stream_id text, p_expected bigint, p_key text, p_digest bytea, p_contract_id text,
  p_event_ids uuid[], p_types text[], p_schema_versions integer[], p_data json[], p_metadata json[],
  p_notify boolean
) RETURNS TABLE (
  idx integer, status smallint, actual bigint, from_version bigint, to_version bigint,
  from_position bigint, to_position bigint, event_ids uuid[], first_stream_id text
) LANGUAGE plpgsql AS $fn$
DECLARE
  n integer := cardinality(p_types);
  v_version bigint;
  v_head bytea;
  v_existing boolean;
  v_verdict smallint;
  v_high bigint;
  v_stamp bigint;
  v_next bigint;
  v_hashes bytea[];
  v_done boolean;
  k integer;
  ik record;
BEGIN
  -- 1. Wait for other appends to the stream, then to the key: one lock order everywhere.
  v_done := pg_advisory_xact_lock(${s.streamLockClass}, hashtext(p_stream_id)) IS NULL;

  -- 2. Decide from committed state, read after the locks: a recorded key first, then the version.
  IF p_key IS NOT NULL THEN
    v_done := pg_advisory_xact_lock(${s.keyLockClass}, hashtext(p_key)) IS NULL;
    SELECT kr.stream_id, kr.expected_version, kr.event_ids, kr.request_digest, kr.from_version, kr.to_version, kr.from_position, kr.to_position
    INTO ik FROM ${s.q}.idempotency_keys kr WHERE kr.idempotency_key = p_key;
    IF FOUND THEN
      v_verdict := ${keyVerdict('ik.stream_id', 'ik.expected_version', 'ik.event_ids', 'ik.request_digest', 'p_stream_id', 'p_expected', 'n', 'p_digest')};
      idx := 1;
      status := v_verdict;
      IF v_verdict = 1 THEN
        from_version := ik.from_version;
        to_version := ik.to_version;
        from_position := ik.from_position;
        to_position := ik.to_position;
        event_ids := ik.event_ids;
      ELSIF v_verdict = 3 THEN
        first_stream_id := ik.stream_id;
      END IF;
      RETURN NEXT;
      RETURN;
    END IF;
  END IF;
  SELECT st.version, st.head_hash INTO v_version, v_head FROM ${s.q}.streams st WHERE st.stream_id = p_stream_id;
  v_existing := FOUND;
  IF NOT v_existing THEN
    v_version := 0;
    v_head := '\\x'::bytea;
  END IF;
  IF NOT (p_expected = -1 OR (p_expected = -2 AND v_version = 0) OR (p_expected = -3 AND v_version > 0) OR p_expected = v_version) THEN
    idx := 1;
    status := 2;
    actual := v_version;
    RETURN NEXT;
    RETURN;
  END IF;

  -- 3. Positions and the fence stamp under the position lock, released at once (docs/decisions/0106).
  BEGIN
    v_done := pg_advisory_lock(${s.positionLock}) IS NULL;
    v_high := coalesce(pg_sequence_last_value('${s.q}.fence_stamp'), 0);
    v_stamp := greatest(pg_current_xact_id()::text::bigint, v_high);
    v_next := nextval('${s.q}.event_position');
    IF n > 1 THEN
      v_done := setval('${s.q}.event_position', v_next + n - 1) IS NULL;
    END IF;
    IF v_stamp > v_high THEN
      v_done := setval('${s.q}.fence_stamp', v_stamp) IS NULL;
    END IF;
    v_done := pg_advisory_unlock(${s.positionLock});
  EXCEPTION WHEN OTHERS OR query_canceled THEN
    PERFORM pg_advisory_unlock(${s.positionLock});
    RAISE;
  END;

  -- 4. The events, chained, then the stream's head, the key and the notification.
  IF n = 1 THEN
    v_head := ${eventHashExpression('v_head', 'p_stream_id', 'v_version + 1', 'p_event_ids[1]', 'p_types[1]', 'p_schema_versions[1]', 'p_data[1]', 'p_metadata[1]')};
    INSERT INTO ${s.q}.events
      (global_position, transaction_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, hash, contract_id)
    VALUES (v_next, v_stamp::text::xid8, p_stream_id, v_version + 1, p_event_ids[1], p_types[1], p_schema_versions[1], p_data[1], p_metadata[1], v_head, p_contract_id);
  ELSE
    FOR k IN 1..n LOOP
      v_head := ${eventHashExpression('v_head', 'p_stream_id', 'v_version + k', 'p_event_ids[k]', 'p_types[k]', 'p_schema_versions[k]', 'p_data[k]', 'p_metadata[k]')};
      v_hashes[k] := v_head;
    END LOOP;
    INSERT INTO ${s.q}.events
      (global_position, transaction_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, hash, contract_id)
    SELECT v_next + u.o - 1, v_stamp::text::xid8, p_stream_id, v_version + u.o, u.id, u.t, u.sv, u.d, u.m, u.h, p_contract_id
    FROM unnest(p_event_ids, p_types, p_schema_versions, p_data, p_metadata, v_hashes) WITH ORDINALITY AS u(id, t, sv, d, m, h, o);
  END IF;
  IF v_existing THEN
    UPDATE ${s.q}.streams SET version = v_version + n, head_hash = v_head, updated_at = statement_timestamp() WHERE stream_id = p_stream_id;
  ELSE
    INSERT INTO ${s.q}.streams (stream_id, version, head_hash) VALUES (p_stream_id, v_version + n, v_head);
  END IF;
  IF p_key IS NOT NULL THEN
    INSERT INTO ${s.q}.idempotency_keys
      (idempotency_key, stream_id, from_version, to_version, from_position, to_position, event_ids, expected_version, request_digest)
    VALUES (p_key, p_stream_id, v_version + 1, v_version + n, v_next, v_next + n - 1, p_event_ids, p_expected, p_digest);
  END IF;
  IF p_notify THEN
    v_done := pg_notify('${s.channel}', (v_next + n - 1)::text) IS NULL;
  END IF;
  idx := 1;
  status := 0;
  from_version := v_version + 1;
  to_version := v_version + n;
  from_position := v_next;
  to_position := v_next + n - 1;
  event_ids := p_event_ids;
  RETURN NEXT;
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
        data json NOT NULL,
        metadata json NOT NULL,
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
      appendInOrderFunctionV1(s),
      appendFunctionV1(s),
      appendToStreamFunctionV1(s),
    ],
  },
  {
    version: 2,
    name: 'fence stamps; idempotency keys remember their request',
    statements: (s) => [
      // Unlogged: after a crash no transaction of before is running, so 0 is a safe highest stamp.
      `CREATE UNLOGGED SEQUENCE ${s.q}.fence_stamp AS bigint MINVALUE 0 START 0`,
      `ALTER TABLE ${s.q}.idempotency_keys ADD COLUMN expected_version bigint, ADD COLUMN request_digest bytea`,
      `CREATE INDEX idempotency_keys_created_at ON ${s.q}.idempotency_keys (created_at)`,
      `DROP FUNCTION ${s.q}.append_to_stream(text, bigint, text, uuid[], text[], integer[], json[], json[], boolean)`,
      `DROP FUNCTION ${s.q}.append_events(text[], bigint[], text[], integer[], uuid[], text[], integer[], json[], json[], boolean)`,
      `DROP FUNCTION ${s.q}.append_events_in_order(text[], bigint[], text[], integer[], uuid[], text[], integer[], json[], json[], boolean)`,
      appendInOrderFunction(s),
      appendBatchFunction(s),
      appendOneFunction(s),
    ],
  },
  logSealMigration,
  {
    version: 4,
    name: 'outbox: recipients, dead letters, claims by channel and availability',
    statements: (s) => [
      `ALTER TABLE ${s.q}.outbox ADD COLUMN recipient_key text NOT NULL DEFAULT '', ADD COLUMN dead_at timestamptz`,
      `ALTER TABLE ${s.q}.outbox ALTER COLUMN recipient_key DROP DEFAULT`,
      `DROP INDEX ${s.q}.outbox_pending`,
      // A claim reads the oldest available messages of one channel that are neither delivered nor dead.
      `CREATE INDEX outbox_claimable ON ${s.q}.outbox (channel, available_at, id) WHERE delivered_at IS NULL AND dead_at IS NULL`,
      `CREATE INDEX outbox_dead ON ${s.q}.outbox (channel, id) WHERE dead_at IS NOT NULL`,
    ],
  },
  {
    version: 5,
    name: 'obligation schedule: subjects, open obligations, alarms by instant',
    statements: (s) => [
      // Each subject's events so far (a ticket's, an incident's): what its obligations are recomputed from.
      `CREATE TABLE ${s.q}.obligation_schedule_subjects (
        subject_key text PRIMARY KEY,
        events jsonb NOT NULL,
        problem text
      )`,
      `CREATE TABLE ${s.q}.obligation_schedule (
        subject_key text NOT NULL,
        obligation text NOT NULL,
        contract_id text NOT NULL,
        due_at timestamptz,
        scheduled jsonb NOT NULL,
        PRIMARY KEY (subject_key, obligation)
      )`,
      `CREATE INDEX obligation_schedule_contract ON ${s.q}.obligation_schedule (contract_id, due_at)`,
      // One row per instant an obligation falls due or crosses a threshold: the window query is one range scan.
      `CREATE TABLE ${s.q}.obligation_schedule_alarms (
        at timestamptz NOT NULL,
        kind text NOT NULL CHECK (kind IN ('due', 'warning')),
        bps integer,
        subject_key text NOT NULL,
        obligation text NOT NULL,
        FOREIGN KEY (subject_key, obligation) REFERENCES ${s.q}.obligation_schedule ON DELETE CASCADE
      )`,
      `CREATE INDEX obligation_schedule_alarms_at ON ${s.q}.obligation_schedule_alarms (at)`,
      `CREATE INDEX obligation_schedule_alarms_obligation ON ${s.q}.obligation_schedule_alarms (subject_key, obligation)`,
    ],
  },
  {
    version: 6,
    name: 'obligation schedule: rows filed under their source, so one contract can hold many quarters',
    statements: (s) => [
      // A source (a ticket, an incident, a contract's deliveries) may hold several rows of one obligation (quarters).
      `ALTER TABLE ${s.q}.obligation_schedule ADD COLUMN source_key text`,
      `UPDATE ${s.q}.obligation_schedule SET source_key = subject_key`,
      `ALTER TABLE ${s.q}.obligation_schedule ALTER COLUMN source_key SET NOT NULL`,
      `CREATE INDEX obligation_schedule_source ON ${s.q}.obligation_schedule (source_key)`,
    ],
  },
  {
    version: 7,
    name: 'events keep their contract; a contract is read by its index',
    statements: (s) => [
      // Nullable without a default: adding it rewrites nothing. Events of no contract stay NULL and out of the index.
      `ALTER TABLE ${s.q}.events ADD COLUMN contract_id text`,
      `CREATE INDEX events_contract ON ${s.q}.events (contract_id, global_position) WHERE contract_id IS NOT NULL`,
      `DROP FUNCTION ${s.q}.append_to_stream(text, bigint, text, bytea, uuid[], text[], integer[], json[], json[], boolean)`,
      `DROP FUNCTION ${s.q}.append_events(text[], bigint[], text[], bytea[], integer[], uuid[], text[], integer[], json[], json[], boolean)`,
      `DROP FUNCTION ${s.q}.append_events_in_order(text[], bigint[], text[], bytea[], integer[], uuid[], text[], integer[], json[], json[], boolean)`,
      appendInOrderFunction(s, true),
      appendBatchFunction(s, true),
      appendOneFunction(s, true),
    ],
  },
  {
    version: 8,
    name: 'the lone append in plain statements',
    statements: (s) => [appendOneFunctionV8(s)],
  },
  {
    version: 9,
    name: 'appends look up their streams and keys by index, whatever the tables held when the plan was made',
    statements: (s) => [
      appendBatchFunction(s, true, true),
      `ALTER FUNCTION ${s.q}.append_to_stream(text, bigint, text, bytea, text, uuid[], text[], integer[], json[], json[], boolean)
        SET enable_seqscan = off`,
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

/**
 * After a logical restore (pg_dump into another cluster), events keep the transaction ids of the
 * cluster they came from, which may lie ahead of the new cluster's: the reader fence would hide
 * them. This marks every event from a transaction that is not running here as settled, and
 * resets the highest fence stamp. Run it
 * once after the restore, before appends resume. Physical backups (base backup, PITR, a PGlite
 * data folder) keep transaction ids and need nothing. Returns how many events it changed.
 */
export const settleRestoredEvents = async (db: Kysely<unknown>, options: { readonly schema?: string } = {}): Promise<number> => {
  const s = schemaNames(options.schema)
  const result = await sql`
    UPDATE ${sql.table(`${s.schema}.events`)} SET transaction_id = '0'::xid8
    WHERE transaction_id >= (SELECT pg_snapshot_xmin(pg_current_snapshot()))`.execute(db)
  // The highest fence stamp came with the dump too; from the old cluster it would hold new events back.
  await sql`SELECT setval(${`${s.q}.fence_stamp`}::regclass, 0)`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}
