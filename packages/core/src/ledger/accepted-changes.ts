/** The changes a contract's customer accepted, kept per contract and caught up from the contract's own read: what a delivery must carry. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { AcceptedChange } from '../delivery/delivery-events.js'
import type { EventStore, ReadError } from '../kernel/event-store.js'
import type { Instant } from '../kernel/instant.js'
import type { RecordedEvent } from '../kernel/recorded-event.js'
import type { LedgerEvent } from '../report/ledger-events.js'

// model

/**
 * What one contract's acceptances come to, folded up to a position of the log: each defect
 * ticket with the instants its results were accepted (a fix counts from the first by the
 * delivery's time), and each accepted customization. Grows with the contract's defects and
 * changes, never with its events.
 */
export interface AcceptedChangesState {
  readonly contractId: string
  /** The global position of the last event folded. */
  position: number
  /** By ticket stream: the defect tickets of the contract; `open` until a filing of another contract takes the stream. */
  readonly defects: Map<string, { readonly ticketId: string; readonly accepted: Instant[]; open: boolean }>
  readonly customizations: Array<{ readonly changeId: string; readonly acceptedAt: Instant }>
}

/** The accepted changes of any contract, by `asOf`, each read caught up from where the last one left off. */
export type AcceptedChangesOf = (contractId: string, asOf: Instant) => TaskEither<ReadError, ReadonlyArray<AcceptedChange>>

// constructors

/** The read model of one contract before any event is read: no change accepted, position 0. */
export const emptyAcceptedChanges = (contractId: string): AcceptedChangesState => ({ contractId, position: 0, defects: new Map(), customizations: [] })

// operations

/**
 * Folds events of the log (each stream's in version order) into the state; an event at or
 * before the state's position is already in it and is passed over, so overlapping reads fold once.
 * A ticket's later events carry no contract id: its filing decides, as in the report.
 */
export const foldAcceptedChanges = (state: AcceptedChangesState, events: Iterable<RecordedEvent<LedgerEvent>>): void => {
  for (const e of events) {
    if (e.globalPosition <= state.position) continue
    state.position = e.globalPosition
    switch (e.type) {
      case 'RequestFiled': {
        const ticket = state.defects.get(e.streamId)
        if (e.data.contractId !== state.contractId) {
          if (ticket !== undefined) ticket.open = false
        } else if (e.data.kind === 'defect') state.defects.set(e.streamId, { ticketId: e.data.ticketId, accepted: [], open: true })
        else state.defects.delete(e.streamId)
        break
      }
      case 'ResultAccepted': {
        const ticket = state.defects.get(e.streamId)
        if (ticket?.open === true) ticket.accepted.push(e.data.at)
        break
      }
      case 'ChangeAccepted':
        if (e.data.contractId === state.contractId) state.customizations.push({ changeId: e.data.changeId, acceptedAt: e.data.at })
        break
    }
  }
}

/**
 * The changes accepted by `asOf`, in acceptance order: the same list `acceptedChangesOf` gives
 * from the events folded, and what `RecordDelivery` checks a delivery against.
 */
export const acceptedChangesAsOf = (state: AcceptedChangesState, asOf: Instant): ReadonlyArray<AcceptedChange> => {
  const out: AcceptedChange[] = []
  const tickets = [...state.defects.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  for (const [, ticket] of tickets) {
    const acceptedAt = ticket.accepted.find((at) => at <= asOf)
    if (acceptedAt !== undefined) out.push({ kind: 'fix', id: ticket.ticketId, acceptedAt })
  }
  for (const c of state.customizations) if (c.acceptedAt <= asOf) out.push({ kind: 'customization', id: c.changeId, acceptedAt: c.acceptedAt })
  return out.sort((a, b) => (a.acceptedAt < b.acceptedAt ? -1 : a.acceptedAt > b.acceptedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/**
 * The read model a delivery asks: each contract's state kept in memory and, on every ask, caught
 * up by reading that contract's events after its position (`readContract`), so a delivery reads
 * what was recorded since the previous one, not the contract's history. The store stays the
 * truth: the first ask of a contract in a process reads its whole record, and any instance
 * answers the same as any other.
 */
export const acceptedChangesReadModel = (readContract: EventStore<LedgerEvent>['readContract'], pageSize = 5_000): AcceptedChangesOf => {
  const states = new Map<string, AcceptedChangesState>()
  return (contractId, asOf) => async () => {
    const state = states.get(contractId) ?? emptyAcceptedChanges(contractId)
    states.set(contractId, state)
    for (let after = state.position; ; ) {
      const page = await readContract(contractId, { after, limit: pageSize })()
      if (E.isLeft(page)) return page
      if (page.right.events.length === 0) break
      foldAcceptedChanges(state, page.right.events)
      after = page.right.next
    }
    return E.right(acceptedChangesAsOf(state, asOf))
  }
}
