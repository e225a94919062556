/**
 * A lone event's append on PGlite as one plain statement: what `append_to_stream` decides and
 * writes, without its locks, its exception block and the PL/pgSQL set up again in every
 * transaction, which on PGlite cost more than the write itself (docs/decisions/0123).
 */
import type { EventDatabase } from './postgres-connection.js'
import { eventHashExpression, keyVerdict, type SchemaNames } from './postgres-migrations.js'
import type { RunPrepared } from './pglite-protocol.js'

// model

/** The named statements of each PGlite database `pgliteDatabase` made, where PGlite offers them. */
export const pglitePrepared = new WeakMap<EventDatabase, RunPrepared>()

// operations

/**
 * The statement, with the parameters of `append_to_stream` for one event: $1 stream, $2 expected
 * version (-1 any, -2 no-stream, -3 exists, n exact), $3 idempotency key, $4 request digest,
 * $5 contract, $6 event id, $7 type, $8 schema version, $9 data, $10 metadata, $11 notify. It
 * returns the function's outcome row: status 0 appended, 1 replayed, 2 wrong expected version,
 * 3 to 6 the key first used for another request.
 *
 * PGlite has one connection, so no other transaction runs meanwhile: the function's advisory
 * locks, which order concurrent appends, have nothing to order here. Everything else is the
 * function's: the decision from the stream's head and the key's first request, the hash chained
 * on the stream's head hash, the position from the same sequence, and the fence stamp, the
 * greater of the transaction id and the highest stamp given so far, which is raised with it.
 * Data-modifying parts of one statement see the same snapshot and run once each; every write
 * depends on `placed`, which has a row only when the append is decided (status 0).
 */
export const pgliteAppendStatement = (names: SchemaNames): string => {
  const known = statements.get(names.schema)
  if (known !== undefined) return known
  const { q } = names
  const hash = eventHashExpression('cur.head', '$1::text', 'cur.version + 1', '$6::uuid', '$7::text', '$8::integer', '$9::json', '$10::json')
  const text = `WITH cur AS MATERIALIZED (
  SELECT coalesce(st.version, 0) AS version, coalesce(st.head_hash, '\\x'::bytea) AS head, st.stream_id IS NOT NULL AS existing,
    ik.stream_id AS key_stream, ik.from_version AS k_from_version, ik.to_version AS k_to_version,
    ik.from_position AS k_from_position, ik.to_position AS k_to_position, ik.event_ids AS k_event_ids,
    CASE
      WHEN ik.stream_id IS NOT NULL THEN ${keyVerdict('ik.stream_id', 'ik.expected_version', 'ik.event_ids', 'ik.request_digest', '$1::text', '$2::bigint', '1', '$4::bytea')}
      WHEN $2::bigint = -1 OR ($2::bigint = -2 AND coalesce(st.version, 0) = 0) OR ($2::bigint = -3 AND coalesce(st.version, 0) > 0)
        OR $2::bigint = coalesce(st.version, 0) THEN 0::smallint
      ELSE 2::smallint
    END AS status
  FROM (SELECT 1) AS one
  LEFT JOIN ${q}.streams st ON st.stream_id = $1::text
  LEFT JOIN ${q}.idempotency_keys ik ON $3::text IS NOT NULL AND ik.idempotency_key = $3::text
), stamped AS MATERIALIZED (
  SELECT greatest(pg_current_xact_id()::text::bigint, h.high) AS stamp, h.high
  FROM (SELECT coalesce(pg_sequence_last_value('${q}.fence_stamp'), 0) AS high) AS h, cur
  WHERE cur.status = 0
), placed AS MATERIALIZED (
  SELECT s.stamp, nextval('${q}.event_position') AS pos,
    CASE WHEN s.stamp > s.high THEN setval('${q}.fence_stamp', s.stamp) END AS raised,
    ${hash} AS hash
  FROM stamped s, cur
), written AS (
  INSERT INTO ${q}.events
    (global_position, transaction_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, hash, contract_id)
  SELECT p.pos, p.stamp::text::xid8, $1::text, cur.version + 1, $6::uuid, $7::text, $8::integer, $9::json, $10::json, p.hash, $5::text
  FROM placed p, cur
), created AS (
  INSERT INTO ${q}.streams (stream_id, version, head_hash) SELECT $1::text, cur.version + 1, p.hash FROM placed p, cur WHERE NOT cur.existing
), advanced AS (
  UPDATE ${q}.streams SET version = cur.version + 1, head_hash = p.hash, updated_at = statement_timestamp()
  FROM placed p, cur WHERE cur.existing AND ${q}.streams.stream_id = $1::text
), keyed AS (
  INSERT INTO ${q}.idempotency_keys
    (idempotency_key, stream_id, from_version, to_version, from_position, to_position, event_ids, expected_version, request_digest)
  SELECT $3::text, $1::text, cur.version + 1, cur.version + 1, p.pos, p.pos, ARRAY[$6::uuid], $2::bigint, $4::bytea
  FROM placed p, cur WHERE $3::text IS NOT NULL
), notified AS (
  SELECT pg_notify('${names.channel}', p.pos::text) FROM placed p WHERE $11::boolean
)
SELECT cur.status,
  CASE WHEN cur.status = 2 THEN cur.version END AS actual,
  CASE WHEN cur.status = 0 THEN cur.version + 1 WHEN cur.status = 1 THEN cur.k_from_version END AS from_version,
  CASE WHEN cur.status = 0 THEN cur.version + 1 WHEN cur.status = 1 THEN cur.k_to_version END AS to_version,
  CASE WHEN cur.status = 0 THEN p.pos WHEN cur.status = 1 THEN cur.k_from_position END AS from_position,
  CASE WHEN cur.status = 0 THEN p.pos WHEN cur.status = 1 THEN cur.k_to_position END AS to_position,
  CASE WHEN cur.status = 1 THEN cur.k_event_ids END AS event_ids,
  CASE WHEN cur.status = 3 THEN cur.key_stream END AS first_stream_id
FROM cur LEFT JOIN placed p ON true, (SELECT count(*) FROM notified) AS sent`
  statements.set(names.schema, text)
  return text
}
const statements = new Map<string, string>()
