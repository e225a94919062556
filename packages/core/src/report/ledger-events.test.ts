import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { budgetStreamId } from '../budget/budget-events.js'
import { contractStreamId } from '../contract/contract-events.js'
import type { ContractId, IncidentId, TicketId } from '../values/domain-ids.js'
import { deliveryStreamId } from '../delivery/delivery-events.js'
import { incidentStreamId } from '../incident/incident-events.js'
import { operationsStreamId } from '../operations/operations-events.js'
import { ticketStreamId } from '../ticket/ticket-events.js'
import { exampleLedger } from '../testing/example-ledger.js'
import { contractOfStream, ledgerEvents } from './ledger-events.js'

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

describe('the contract of a stream', () => {
  const kinds = {
    contract: (c: string) => contractStreamId(c as ContractId),
    budget: (c: string) => budgetStreamId(c as ContractId),
    delivery: (c: string) => deliveryStreamId(c as ContractId),
    operations: (c: string) => operationsStreamId(c as ContractId),
    ticket: (c: string, id: string) => ticketStreamId(c as ContractId, id as TicketId),
    incident: (c: string, id: string) => incidentStreamId(c as ContractId, id as IncidentId),
  } as const
  // Ids with the characters a stream id encodes or splits on.
  const id = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom('C', '-', '/', '%', '2', 'F', 'ж', ' ', '0') })

  it('property: every stream helper gives back the contract it was made from', () => {
    const seen = new Map<string, number>()
    let slashes = 0
    fc.assert(
      fc.property(fc.constantFrom(...(Object.keys(kinds) as Array<keyof typeof kinds>)), id, id, (kind, contractId, subject) => {
        seen.set(kind, (seen.get(kind) ?? 0) + 1)
        if (contractId.includes('/')) slashes++
        expect(contractOfStream(kinds[kind](contractId, subject))).toBe(contractId)
      }),
      { numRuns: 600 },
    )
    // Each kind of stream, and contract ids with the separator in them, come up often enough to count.
    for (const kind of Object.keys(kinds)) expect(seen.get(kind) ?? 0).toBeGreaterThan(50)
    expect(slashes).toBeGreaterThan(60)
  })

  it("every event of a generated year is in a stream of its own contract; other streams have none", () => {
    const ledger = exampleLedger({ tickets: 300, seed: 5 })
    for (const e of ledger.events) expect(contractOfStream(e.streamId)).toBe(ledger.terms.contractId)
    for (const other of ['redmine-export-x', 'counter-1', 'ticket-no-slash', 'ticket-%E0%A4/x']) expect(contractOfStream(other)).toBeUndefined()
  })
})
