/** The decider: how an aggregate folds its events into state and decides on commands. */
import type { Either } from 'fp-ts/lib/Either.js'

// model

/**
 * One aggregate's behaviour. `decide` returns the events a command produces or the
 * expected failure; it never throws for one. `evolve` never fails: recorded history is fact.
 */
export interface Decider<Command, State, Event, Err> {
  readonly initialState: State
  /** Applies one event to the state; never fails, since the event already happened. */
  readonly evolve: (state: State, event: Event) => State
  /**
   * Decides what a command does in a state: the events to record, or the error that refuses it. Pure: no clock, no
   * I/O.
   */
  readonly decide: (command: Command, state: State) => Either<Err, ReadonlyArray<Event>>
}

// operations

/** Folds events into state, starting from `from` (the initial state unless a snapshot is given). */
export const fold = <S, E>(
  decider: Pick<Decider<unknown, S, E, unknown>, 'evolve' | 'initialState'>,
  events: Iterable<E>,
  from: S = decider.initialState,
): S => {
  let state = from
  for (const event of events) state = decider.evolve(state, event)
  return state
}
