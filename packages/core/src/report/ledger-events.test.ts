import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { exampleLedger } from './example-ledger.js'
import { ledgerEvents } from './ledger-events.js'

describe('the ledger catalog', () => {
  // 2,500 requests: enough for cancelled customizations and returned failure reports too.
  const ledger = exampleLedger({ tickets: 2_500, seed: 11 })

  it('every recorded event survives encode, a JSON round trip and decode', () => {
    const types = new Set(ledger.events.map((e) => e.type))
    for (const type of ['FailureReportReturned', 'ChangeCancelled', 'CapWarningReached', 'MoveStepVerified', 'CustomerAsked', 'ResultRejected']) expect(types.has(type as never)).toBe(true)
    for (const e of ledger.events) {
      const encoded = ledgerEvents.encode(e, e.streamId, 0)
      if (E.isLeft(encoded)) throw new Error(encoded.left.message)
      const stored = { ...e, type: encoded.right.type, schemaVersion: encoded.right.schemaVersion, data: JSON.parse(JSON.stringify(encoded.right.data)) as unknown }
      const decoded = ledgerEvents.decode(stored)
      if (E.isLeft(decoded)) throw new Error(decoded.left.message)
      expect(decoded.right.data).toEqual(e.data)
    }
  })
})
