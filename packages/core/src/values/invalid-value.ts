/** The one error every value constructor returns: which kind of value, the input given, and why it is not one. */
import * as E from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts'
import type { DomainError } from '../kernel/domain-error.js'

// model

/** The value types that have a constructor in `values/`. */
export type ValueKind = 'Tiyn' | 'BasisPoints' | 'LocalDate' | 'QuarterLabel' | 'ContractId' | 'TicketId' | 'IncidentId' | 'ChangeId'

/**
 * Input that is not a value of `kind`: `input` is what was given, `reason` says what is wrong with it
 * (`more than 2 decimals`, `not a calendar date`).
 */
export interface InvalidValue extends DomainError<'InvalidValue'> {
  readonly kind: ValueKind
  readonly input: unknown
  readonly reason: string
}

// constructors

export const invalidValue = (kind: ValueKind, input: unknown, reason: string): InvalidValue => ({
  _tag: 'InvalidValue',
  message: `${kind}: ${JSON.stringify(input) ?? String(input)} is not valid: ${reason}`,
  kind,
  input,
  reason,
})

/** A value constructor from its codec: the input when the codec accepts it, else an `InvalidValue` saying why not. */
export const checkedValue =
  <A, I>(kind: ValueKind, codec: t.Type<A, unknown, unknown>, reason: (input: I) => string) =>
  (input: I): E.Either<InvalidValue, A> =>
    codec.is(input) ? E.right(input) : E.left(invalidValue(kind, input, reason(input)))
