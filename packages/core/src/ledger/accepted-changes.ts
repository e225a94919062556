/** The changes a contract's customer accepted, kept per contract and caught up from the contract's own read: what a delivery must carry. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import type { AcceptedChange } from '../delivery/delivery-events.js'
import type { EventStore, ReadError } from '../kernel/event-store.js'
import { Instant } from '../kernel/instant.js'
import type { RecordedEvent } from '../kernel/recorded-event.js'
import type { LedgerEvent } from '../report/ledger-events.js'
import type { SnapshotPolicy, SnapshotStore } from '../kernel/snapshot-store.js'

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

const StoredAcceptedChanges = t.type({
  contractId: t.string,
  position: t.number,
  defects: t.array(t.tuple([t.string, t.type({ ticketId: t.string, accepted: t.array(Instant), open: t.boolean })])),
  customizations: t.array(t.type({ changeId: t.string, acceptedAt: Instant })),
})

/** The read model's state as a snapshot keeps it: the defects as a JSON array of entries, decoded into fresh, mutable copies. */
export const AcceptedChangesState = new t.Type<AcceptedChangesState, unknown, unknown>(
  'AcceptedChangesState',
  (u): u is AcceptedChangesState => typeof u === 'object' && u !== null && (u as { defects?: unknown }).defects instanceof Map,
  (u, c) =>
    E.map((s: t.TypeOf<typeof StoredAcceptedChanges>): AcceptedChangesState => ({
      contractId: s.contractId,
      position: s.position,
      defects: new Map(s.defects.map(([stream, d]) => [stream, { ticketId: d.ticketId, accepted: [...d.accepted], open: d.open }])),
      customizations: s.customizations.map((x) => ({ ...x })),
    }))(StoredAcceptedChanges.validate(u, c)),
  (s) => StoredAcceptedChanges.encode({ contractId: s.contractId, position: s.position, defects: [...s.defects].map(([k, d]) => [k, { ...d, accepted: [...d.accepted] }]), customizations: [...s.customizations] }),
)

/**
 * How the read model is snapshotted, once per contract (the snapshot's stream id is the contract
 * id, its version the log position folded up to): a fresh process reads the contract's events
 * after the snapshot, not its whole record. Bump the version when `foldAcceptedChanges` changes.
 */
export const acceptedChangesSnapshots: SnapshotPolicy<AcceptedChangesState> = { name: 'accepted-changes', version: 'accepted-changes-1', codec: AcceptedChangesState }

/** Where the read model keeps its snapshots, and after how many events folded it saves one. */
export interface AcceptedChangesOptions {
  /** Events per page read; default 5,000. */
  readonly pageSize?: number
  /** Without one, the first ask of a contract in a process reads its whole record. */
  readonly snapshots?: SnapshotStore
  /**
   * Save a snapshot once this many of the contract's events were folded after the last; default
   * 1,000. The state holds every defect request of the contract, so a save is larger than a
   * stream's: a busy contract saves a few times a month, and a fresh process reads at most this many.
   */
  readonly every?: number
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
 * what was recorded since the previous one, not the contract's history. The first ask of a
 * contract in a process starts from the contract's snapshot when `options.snapshots` has one,
 * and a snapshot is saved once `options.every` events were folded after the last. The store stays the
 * truth: a snapshot whose last event is not in the log (an older backup restored) is ignored,
 * and any instance answers the same as any other.
 */
export const acceptedChangesReadModel = (readContract: EventStore<LedgerEvent>['readContract'], options: AcceptedChangesOptions = {}): AcceptedChangesOf => {
  const pageSize = options.pageSize ?? 5_000
  const every = Math.max(1, options.every ?? 1_000)
  const states = new Map<string, { state: AcceptedChangesState; unsaved: number }>()
  const catchUp = async (state: AcceptedChangesState, from: number): Promise<E.Either<ReadError, { folded: number; trusted: boolean }>> => {
    let folded = 0
    for (let after = from; ; ) {
      const page = await readContract(state.contractId, { after, limit: pageSize })()
      if (E.isLeft(page)) return page
      // Read from just before a snapshot's position, the first event must be the snapshot's last.
      if (after === from && from < state.position && page.right.events[0]?.globalPosition !== state.position) return E.right({ folded, trusted: false })
      if (page.right.events.length === 0) return E.right({ folded, trusted: true })
      folded += page.right.events.filter((e) => e.globalPosition > state.position).length
      foldAcceptedChanges(state, page.right.events)
      after = page.right.next
    }
  }
  const snapshotOf = async (contractId: string): Promise<E.Either<ReadError, AcceptedChangesState | undefined>> => {
    if (options.snapshots === undefined) return E.right(undefined)
    const loaded = await options.snapshots.load(contractId, acceptedChangesSnapshots)()
    if (E.isLeft(loaded)) return loaded
    const snapshot = loaded.right
    return E.right(snapshot !== undefined && snapshot.state.contractId === contractId && snapshot.state.position === snapshot.streamVersion && snapshot.streamVersion > 0 ? snapshot.state : undefined)
  }
  return (contractId, asOf) => async () => {
    let kept = states.get(contractId)
    if (kept === undefined) {
      const snapshot = await snapshotOf(contractId)
      if (E.isLeft(snapshot)) return snapshot
      if (snapshot.right !== undefined) {
        const fromSnapshot = snapshot.right
        const caught = await catchUp(fromSnapshot, fromSnapshot.position - 1)
        if (E.isLeft(caught)) return caught
        if (caught.right.trusted) kept = { state: fromSnapshot, unsaved: caught.right.folded }
      }
      kept ??= { state: emptyAcceptedChanges(contractId), unsaved: 0 }
      states.set(contractId, kept)
    }
    const caught = await catchUp(kept.state, kept.state.position)
    if (E.isLeft(caught)) return caught
    kept.unsaved += caught.right.folded
    if (options.snapshots !== undefined && kept.unsaved >= every) {
      kept.unsaved = 0
      // Best-effort: a failed save costs a longer read in the next process, never this delivery.
      await options.snapshots.save(contractId, acceptedChangesSnapshots, { state: kept.state, streamVersion: kept.state.position })()
    }
    return E.right(acceptedChangesAsOf(kept.state, asOf))
  }
}
