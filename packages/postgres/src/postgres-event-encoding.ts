/** How an append writes what the caller did not: event ids and the recorded metadata. Both run for every event appended. */
import type { EventMetadata, Instant } from '@support-ledger/core'
import { randomFillSync } from 'node:crypto'
import { v7 as uuidv7 } from 'uuid'

// operations

/**
 * The stored metadata: the caller's, with `recordedAt` last. Written as the caller's JSON with
 * the field appended, which is what `JSON.stringify({ ...metadata, recordedAt })` gives when the
 * caller's has no `recordedAt` (one object copy fewer per event); otherwise that expression.
 */
export const storedMetadataJson = (metadata: EventMetadata, recordedAt: Instant): string => {
  const plain = typeof metadata === 'object' && metadata !== null && Object.getPrototypeOf(metadata) === Object.prototype
  if (!plain || 'recordedAt' in metadata || 'toJSON' in metadata) return JSON.stringify({ ...metadata, recordedAt })
  const json = JSON.stringify(metadata)
  const recorded = `"recordedAt":${JSON.stringify(recordedAt)}}`
  return json === '{}' ? `{${recorded}` : `${json.slice(0, -1)},${recorded}`
}

// Random bytes for event ids, drawn from the system in blocks: asking for 16 at a time costs
// more than the rest of building the id.
const randomBlock = new Uint8Array(16 * 256)
let randomAt = randomBlock.length
const pooledRandom = (): Uint8Array => {
  if (randomAt === randomBlock.length) {
    randomFillSync(randomBlock)
    randomAt = 0
  }
  randomAt += 16
  return randomBlock.subarray(randomAt - 16, randomAt)
}

/** A uuid v7 (time-ordered to the millisecond, random within it), the default event id. */
export const newEventIdV7 = (): string => uuidv7({ rng: pooledRandom })
