/** Snapshots in PostgreSQL: the core snapshot port (`SnapshotStore`) kept in the storage's schema, beside the events. */
import { storeUnavailable, type SnapshotStore } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import { sql } from 'kysely'
import type { PostgresStorage } from './postgres-event-store.js'

// constructors

/**
 * A snapshot store in the storage's schema: a stream's state kept at a version, so a long stream is loaded from there
 * rather than from its first event.
 */
export const postgresSnapshotStore = (storage: PostgresStorage): SnapshotStore => {
  const q = sql.raw(storage.names.q)
  const { db } = storage.database
  return {
    load: (streamId, policy) => async () => {
      try {
        const r = await sql<{ stream_version: string | number; state: unknown }>`
          SELECT stream_version, state FROM ${q}.snapshots
          WHERE stream_id = ${streamId} AND snapshot_name = ${policy.name} AND schema_version = ${policy.version}`.execute(db)
        const row = r.rows[0]
        if (row === undefined) return E.right(undefined)
        const decoded = policy.codec.decode(row.state)
        // A snapshot that no longer decodes is only a lost shortcut: fold from the start.
        return E.right(E.isRight(decoded) ? { state: decoded.right, streamVersion: Number(row.stream_version) } : undefined)
      } catch (e) {
        return E.left(storeUnavailable(e))
      }
    },
    save: (streamId, policy, snapshot) => async () => {
      try {
        await sql`
          INSERT INTO ${q}.snapshots (stream_id, snapshot_name, schema_version, stream_version, state)
          VALUES (${streamId}, ${policy.name}, ${policy.version}, ${snapshot.streamVersion}, ${JSON.stringify(policy.codec.encode(snapshot.state))}::jsonb)
          ON CONFLICT (stream_id, snapshot_name) DO UPDATE
          SET schema_version = excluded.schema_version, stream_version = excluded.stream_version, state = excluded.state,
            created_at = statement_timestamp()
          WHERE ${q}.snapshots.schema_version <> excluded.schema_version OR ${q}.snapshots.stream_version < excluded.stream_version`.execute(db)
        return E.right(undefined)
      } catch (e) {
        return E.left(storeUnavailable(e))
      }
    },
  }
}
