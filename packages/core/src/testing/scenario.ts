/** Given/when/then scenarios for deciders: domain tests read as events, with no store and no mocks, under any test runner. */
import * as E from 'fp-ts/lib/Either.js'
import type { Decider } from '../kernel/decider.js'
import { fold } from '../kernel/decider.js'
import { assertEqual, assertMatches } from './assertions.js'

// model

/** The last step of a scenario: the events expected, or the error expected. */
export interface Then<Event, Err> {
  /** Asserts the command produced exactly these events, in order. */
  readonly then: (expected: ReadonlyArray<Event>) => ReadonlyArray<Event>
  /** Asserts the command was refused; `expected` may be partial (`{ _tag: 'CapExceeded' }`). */
  readonly thenFails: (expected: Partial<Err> & object) => Err
}

/** The middle step of a scenario: the command under test. */
export interface When<Command, Event, Err> {
  /** Decides this command in the state the given events lead to. */
  readonly when: (command: Command) => Then<Event, Err>
}

// constructors

/** `scenario(decider).given(events).when(command).then(events)`, or `.thenFails(error)`. */
export const scenario = <Command, State, Event, Err>(decider: Decider<Command, State, Event, Err>) => ({
  /** The events already recorded, folded with the decider into the state the command meets; none by default. */
  given: (history: ReadonlyArray<Event> = []): When<Command, Event, Err> => ({
    when: (command) => {
      const outcome = decider.decide(command, fold(decider, history))
      return {
        then: (expected) => {
          if (E.isLeft(outcome)) {
            throw new Error(`expected events, but the command was refused: ${JSON.stringify(outcome.left)}`)
          }
          assertEqual(outcome.right, expected)
          return outcome.right
        },
        thenFails: (expected) => {
          if (E.isRight(outcome)) {
            throw new Error(`expected a refusal, but the command produced: ${JSON.stringify(outcome.right)}`)
          }
          assertMatches(outcome.left, expected)
          return outcome.left
        },
      }
    },
  }),
})
