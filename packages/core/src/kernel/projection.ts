/** Projections: read models fed from the global log, with a stored checkpoint, rebuildable by replay. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { EventStore, ReadError, StoreUnavailable, Subscription } from './event-store.js'
import type { DomainEvent, RecordedEvent } from './recorded-event.js'

// model

/** A read model. `handle` must be deterministic in the events, so that a replay rebuilds the same model. */
export interface Projection<Ev extends DomainEvent> {
  readonly name: string
  /**
   * Applies one batch of events, in global order; called again from the checkpoint after a crash, so it must tolerate
   * a batch it has partly seen.
   */
  readonly handle: (events: ReadonlyArray<RecordedEvent<Ev>>) => Promise<void>
  /** Forgets everything, ready for a replay from position 0. */
  readonly reset: () => Promise<void>
}

/** Where a projection's position in the global log is kept. */
export interface CheckpointStore {
  /** 0 when the projection has never run. */
  readonly load: (name: string) => TaskEither<StoreUnavailable, number>
  /** Records that the projection has handled every event up to `position`. */
  readonly save: (name: string, position: number) => TaskEither<StoreUnavailable, void>
}

/** A projection whose state is a value folded with a reducer: the simplest read model. */
export interface ReducerProjection<Ev extends DomainEvent, S> extends Projection<Ev> {
  /** The state folded so far. */
  readonly state: () => S
}

// constructors

/**
 * Builds an in-memory read model from an initial value and a reducer.
 *
 * @example
 * const count = reducerProjection<TicketEvent, number>('ticket-count', 0, (n) => n + 1)
 */
export const reducerProjection = <Ev extends DomainEvent, S>(
  name: string,
  initial: S,
  reduce: (state: S, event: RecordedEvent<Ev>) => S,
): ReducerProjection<Ev, S> => {
  let state = initial
  return {
    name,
    state: () => state,
    handle: async (events) => {
      for (const e of events) state = reduce(state, e)
    },
    reset: async () => {
      state = initial
    },
  }
}

/** A checkpoint store in a map, for tests: positions are lost with the process. */
export const inMemoryCheckpointStore = (): CheckpointStore => {
  const positions = new Map<string, number>()
  return {
    load: (name) => async () => E.right(positions.get(name) ?? 0),
    save: (name, position) => async () => {
      positions.set(name, position)
      return E.right(undefined)
    },
  }
}

// operations

/**
 * Runs a projection from its checkpoint. After each batch it saves the checkpoint, so a
 * restart resumes after the last saved batch (a batch interrupted mid-way is handled again:
 * handlers must tolerate that, or save read model and checkpoint in one transaction).
 */
export const startProjection = <Ev extends DomainEvent>(deps: {
  readonly store: EventStore<Ev>
  readonly checkpoints: CheckpointStore
  readonly projection: Projection<Ev>
  readonly batchSize?: number
}): TaskEither<StoreUnavailable, Subscription> => async () => {
  const { store, checkpoints, projection } = deps
  const from = await checkpoints.load(projection.name)()
  if (E.isLeft(from)) return from
  return E.right(
    store.subscribe({
      after: from.right,
      ...(deps.batchSize === undefined ? {} : { batchSize: deps.batchSize }),
      handle: async (events) => {
        await projection.handle(events)
        const last = events[events.length - 1]
        if (last === undefined) return
        const saved = await checkpoints.save(projection.name, last.globalPosition)()
        if (E.isLeft(saved)) throw new Error(saved.left.message)
      },
    }),
  )
}

/** Resets the projection and feeds it the whole log as it is now. Returns the position reached. */
export const replayProjection = <Ev extends DomainEvent>(deps: {
  readonly store: EventStore<Ev>
  readonly projection: Projection<Ev>
  readonly checkpoints?: CheckpointStore
  readonly batchSize?: number
}): TaskEither<ReadError, number> => async () => {
  const { store, projection } = deps
  await projection.reset()
  let after = 0
  for (;;) {
    const page = await store.readAll({ after, limit: deps.batchSize ?? 1000 })()
    if (E.isLeft(page)) return page
    if (page.right.events.length === 0) break
    await projection.handle(page.right.events)
    after = page.right.next
  }
  if (deps.checkpoints) {
    const saved = await deps.checkpoints.save(projection.name, after)()
    if (E.isLeft(saved)) return saved
  }
  return E.right(after)
}
