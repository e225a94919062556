/** What the quarterly delivery refuses. */
import type { PersonNotListed, RoleNotHeld, WrongParty } from '../contract/contract-terms.js'
import type { DomainError } from '../kernel/domain-error.js'
import type { Instant } from '../kernel/instant.js'

// model

/** The quarter named is not one of the contract's term. */
export interface QuarterOutsideTerm extends DomainError<'QuarterOutsideTerm'> {
  readonly quarter: string
}

/** A delivery for a quarter that has not begun: it cannot carry that quarter's work. */
export interface QuarterNotStarted extends DomainError<'QuarterNotStarted'> {
  readonly quarter: string
  readonly startsAt: Instant
  readonly at: Instant
}

export interface QuarterlyDeliveryAlreadyRecorded extends DomainError<'QuarterlyDeliveryAlreadyRecorded'> {
  readonly deliveryId: string
}

export interface DeliveryNotFound extends DomainError<'DeliveryNotFound'> {
  readonly deliveryId: string
}

/** An acceptance or rejection dated before the delivery it answers. */
export interface SettledBeforeDelivery extends DomainError<'SettledBeforeDelivery'> {
  readonly deliveryId: string
  readonly deliveredAt: Instant
  readonly at: Instant
}

/** The delivery was already accepted or rejected. */
export interface DeliveryAlreadySettled extends DomainError<'DeliveryAlreadySettled'> {
  readonly deliveryId: string
  readonly status: string
}

/** Changes accepted since the previous delivery are missing from this one. */
export interface AcceptedChangesLeftOut extends DomainError<'AcceptedChangesLeftOut'> {
  readonly deliveryId: string
  readonly missing: ReadonlyArray<{ readonly kind: string; readonly id: string }>
}

/** A change is already in an earlier delivery that stands: each change is delivered exactly once. */
export interface ChangeAlreadyDelivered extends DomainError<'ChangeAlreadyDelivered'> {
  readonly deliveryId: string
  readonly changes: ReadonlyArray<{ readonly kind: string; readonly id: string; readonly deliveryId: string }>
}

/** A change the customer had not accepted by the delivery: counted as delivered, its accepted form would never be. */
export interface ChangeNotAccepted extends DomainError<'ChangeNotAccepted'> {
  readonly deliveryId: string
  readonly changes: ReadonlyArray<{ readonly kind: string; readonly id: string }>
}

export interface DeliveryVersionMissing extends DomainError<'DeliveryVersionMissing'> {
  readonly deliveryId: string
}

/** Every way the delivery aggregate refuses a command. */
export type DeliveryError =
  | WrongParty
  | PersonNotListed
  | RoleNotHeld
  | QuarterOutsideTerm
  | QuarterNotStarted
  | QuarterlyDeliveryAlreadyRecorded
  | DeliveryNotFound
  | DeliveryAlreadySettled
  | SettledBeforeDelivery
  | AcceptedChangesLeftOut
  | ChangeAlreadyDelivered
  | ChangeNotAccepted
  | DeliveryVersionMissing
