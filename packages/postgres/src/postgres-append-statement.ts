/** A lone append as one prepared SQL statement: the same checks and order as `append_to_stream`, without PL/pgSQL. */
import { eventHashExpression, type SchemaNames } from './postgres-migrations.js'

// model

/**
 * The columns an append writes per event, each from one array parameter (in this order, after
 * the append's own parameters). A new column of `events` is one more entry here, one more array
 * in `callAppend`, and the same in the functions of a new migration.
 */
export const EVENT_ARRAYS = [
  { column: 'event_id', type: 'uuid[]' },
  { column: 'type', type: 'text[]' },
  { column: 'schema_version', type: 'integer[]' },
  { column: 'data', type: 'json[]' },
  { column: 'metadata', type: 'json[]' },
] as const

// constructors

/**
 * The text of the lone-append statement for a schema (docs/decisions/0110). Parameters: $1 stream,
 * $2 expected version (-1 any, -2 no-stream, -3 exists, n >= 0), $3 idempotency key, $4 request
 * digest, $5-$9 the event arrays, $10 notify. One row, shaped as the append functions' rows,
 * except that `event_ids` is NULL when the append was written (the caller has them).
 *
 * One statement has one snapshot, taken before it waits for the stream lock: when it waited, it
 * may decide on state older than the lock. Any append it then writes breaks a unique constraint
 * (stream and version, stream, key) and nothing is written; the caller then runs
 * `append_to_stream`, whose statements each see what committed before the lock was granted.
 * Refusals decided on the snapshot are true at the instant it was taken. The position lock is a
 * session lock taken and released within one subquery, with no exception handler around it: run
 * the statement only where a failure ends the session (a pg Pool closes a connection whose query
 * failed) or where the caller then runs `positionUnlock` on the same connection (PGlite).
 */
export const appendOneStatement = (s: SchemaNames): string => `WITH RECURSIVE
req AS (
  SELECT $1::text AS sid, $2::bigint AS ex, $3::text AS ikey, $4::bytea AS dg, cardinality($6::text[]) AS n,
    $5::uuid[] AS ids, $6::text[] AS types, $7::integer[] AS svs, $8::json[] AS datas, $9::json[] AS metas, $10::boolean AS notify
),
cur AS (
  SELECT r.*, coalesce(st.version, 0) AS ver, coalesce(st.head_hash, '\\x'::bytea) AS head, st.stream_id IS NOT NULL AS existing,
    ik.stream_id AS key_stream, ik.from_version AS k_from_version, ik.to_version AS k_to_version,
    ik.from_position AS k_from_position, ik.to_position AS k_to_position, ik.event_ids AS k_event_ids,
    (CASE
      WHEN ik.stream_id IS NOT NULL THEN
        CASE WHEN ik.stream_id <> r.sid THEN 3
          WHEN ik.expected_version IS NOT NULL AND ik.expected_version <> r.ex THEN 4
          WHEN cardinality(ik.event_ids) <> r.n THEN 5
          WHEN ik.request_digest IS NOT NULL AND ik.request_digest IS DISTINCT FROM r.dg THEN 6
          ELSE 1 END
      WHEN r.ex = -1 OR (r.ex = -2 AND coalesce(st.version, 0) = 0) OR (r.ex = -3 AND coalesce(st.version, 0) > 0)
        OR r.ex = coalesce(st.version, 0) THEN 0
      ELSE 2
    END)::smallint AS status
  FROM req r
  CROSS JOIN LATERAL (
    SELECT pg_advisory_xact_lock(${s.streamLockClass}, hashtext(r.sid)),
      CASE WHEN r.ikey IS NOT NULL THEN pg_advisory_xact_lock(${s.keyLockClass}, hashtext(r.ikey)) END
    OFFSET 0
  ) AS locked
  LEFT JOIN ${s.q}.streams st ON st.stream_id = r.sid
  LEFT JOIN ${s.q}.idempotency_keys ik ON r.ikey IS NOT NULL AND ik.idempotency_key = r.ikey
),
pos AS (
  SELECT x.stamp::text::xid8 AS stamp, x.first, pg_advisory_unlock(${s.positionLock}) AS unlocked FROM (
    SELECT t.stamp, nextval('${s.q}.event_position') AS first,
      CASE WHEN t.n > 1 THEN setval('${s.q}.event_position', currval('${s.q}.event_position') + t.n - 1) END AS last,
      CASE WHEN t.stamp > t.high THEN setval('${s.q}.fence_stamp', t.stamp) END AS raised
    FROM (
      SELECT greatest(pg_current_xact_id()::text::bigint, h.high) AS stamp, h.high, h.n FROM (
        SELECT coalesce(pg_sequence_last_value('${s.q}.fence_stamp'), 0) AS high, c.n
        FROM cur c CROSS JOIN LATERAL (SELECT pg_advisory_lock(${s.positionLock}) WHERE c.status = 0 OFFSET 0) AS locked
        OFFSET 0
      ) AS h
      OFFSET 0
    ) AS t
    OFFSET 0
  ) AS x
),
chain AS (
  SELECT 0 AS k, c.head AS h FROM cur c WHERE c.status = 0
  UNION ALL
  SELECT ch.k + 1, ${eventHashExpression('ch.h', 'c.sid', 'c.ver + ch.k + 1', 'c.ids[ch.k + 1]', 'c.types[ch.k + 1]', 'c.svs[ch.k + 1]', 'c.datas[ch.k + 1]', 'c.metas[ch.k + 1]')}
  FROM chain ch CROSS JOIN cur c WHERE ch.k < c.n
),
written AS (
  INSERT INTO ${s.q}.events
    (global_position, transaction_id, stream_id, stream_version, hash, ${EVENT_ARRAYS.map((a) => a.column).join(', ')})
  SELECT p.first + ch.k - 1, p.stamp, c.sid, c.ver + ch.k, ch.h, c.ids[ch.k], c.types[ch.k], c.svs[ch.k], c.datas[ch.k], c.metas[ch.k]
  FROM chain ch CROSS JOIN cur c CROSS JOIN pos p WHERE ch.k >= 1
),
created AS (
  INSERT INTO ${s.q}.streams (stream_id, version, head_hash)
  SELECT c.sid, c.ver + c.n, ch.h FROM cur c CROSS JOIN pos p JOIN chain ch ON ch.k = c.n WHERE NOT c.existing
),
advanced AS (
  UPDATE ${s.q}.streams x SET version = c.ver + c.n, head_hash = ch.h, updated_at = statement_timestamp()
  FROM cur c CROSS JOIN pos p JOIN chain ch ON ch.k = c.n WHERE c.existing AND x.stream_id = c.sid
),
keyed AS (
  INSERT INTO ${s.q}.idempotency_keys
    (idempotency_key, stream_id, from_version, to_version, from_position, to_position, event_ids, expected_version, request_digest)
  SELECT c.ikey, c.sid, c.ver + 1, c.ver + c.n, p.first, p.first + c.n - 1, c.ids, c.ex, c.dg
  FROM cur c CROSS JOIN pos p WHERE c.ikey IS NOT NULL
),
notified AS (
  SELECT pg_notify('${s.channel}', (p.first + c.n - 1)::text) FROM cur c CROSS JOIN pos p WHERE c.notify
)
SELECT 1 AS idx, c.status, CASE WHEN c.status = 2 THEN c.ver END AS actual,
  CASE WHEN c.status = 0 THEN c.ver + 1 WHEN c.status = 1 THEN c.k_from_version END AS from_version,
  CASE WHEN c.status = 0 THEN c.ver + c.n WHEN c.status = 1 THEN c.k_to_version END AS to_version,
  CASE WHEN c.status = 0 THEN p.first WHEN c.status = 1 THEN c.k_from_position END AS from_position,
  CASE WHEN c.status = 0 THEN p.first + c.n - 1 WHEN c.status = 1 THEN c.k_to_position END AS to_position,
  CASE WHEN c.status = 1 THEN c.k_event_ids END AS event_ids,
  CASE WHEN c.status = 3 THEN c.key_stream END AS first_stream_id
FROM cur c
LEFT JOIN pos p ON true
CROSS JOIN (SELECT count(*) FROM notified) AS sent`

/** Run on the statement's connection after it failed: releases the position lock if the failure came while it was held. */
export const positionUnlock = (s: SchemaNames): string =>
  `SELECT pg_advisory_unlock(${s.positionLock}) FROM pg_locks
   WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND objsubid = 1
     AND objid = ${Number(BigInt.asUintN(32, s.positionLock))} AND classid = ${Number(BigInt.asUintN(32, s.positionLock >> 32n))}`
