/** Domain events and the envelope they are recorded in. */
import * as t from 'io-ts'
import { Instant } from './instant.js'

// model

/** A domain event: a past-tense `type` and its data. The union of an aggregate's events extends this. */
export interface DomainEvent {
  readonly type: string
  readonly data: unknown
}

/** The side an actor belongs to: the customer, the supplier, or the system itself (timers, imports). */
export const Party = t.keyof({ customer: null, supplier: null, system: null }, 'Party')
export type Party = t.TypeOf<typeof Party>

/** Who acted: the party and the person or process within it. */
export const Actor = t.readonly(t.type({ party: Party, id: t.string }), 'Actor')
export type Actor = t.TypeOf<typeof Actor>

/**
 * Where a declared instant comes from when it is recorded well after it: a Redmine issue's
 * timestamp, an e-mail's Date header, a signed document. `reference` lets the other party check it
 * (an issue number, a Message-ID, a document number).
 */
export const TimeSource = t.readonly(
  t.type({
    kind: t.keyof({ redmine: null, email: null, document: null }),
    reference: t.refinement(t.string, (s) => s.trim().length > 0 && s.length <= 512, 'SourceReference'),
  }),
  'TimeSource',
)
export type TimeSource = t.TypeOf<typeof TimeSource>

/** An event whose declared instant is earlier than its recording by more than the contract allows: when it was recorded, and the source of the declared time. */
export const RecordedLate = t.readonly(t.type({ declaredAt: Instant, recordedAt: Instant, source: TimeSource }), 'RecordedLate')
export type RecordedLate = t.TypeOf<typeof RecordedLate>

/** What the caller says about an event: who did it, when it happened, and what it follows from. */
export const EventMetadata = t.readonly(
  t.intersection([
    t.type({ actor: Actor, occurredAt: Instant }),
    t.partial({ correlationId: t.string, causationId: t.string, recordedLate: RecordedLate }),
  ]),
  'EventMetadata',
)
export type EventMetadata = t.TypeOf<typeof EventMetadata>

/** Metadata once stored: the store adds when it recorded the event. */
export type RecordedMetadata = EventMetadata & { readonly recordedAt: Instant }

/** An event to append. `eventId` may be given (uuid v7) for idempotent producers; the store makes one otherwise. */
export interface NewEvent<E extends DomainEvent = DomainEvent> {
  readonly event: E
  readonly metadata: EventMetadata
  readonly eventId?: string
}

/** Where an event sits in the log and who recorded it. */
export interface Envelope {
  readonly streamId: string
  /** 1 for a stream's first event; contiguous. */
  readonly streamVersion: number
  /** Position in the store's global log; increasing, not necessarily contiguous. */
  readonly globalPosition: number
  readonly eventId: string
  readonly schemaVersion: number
  readonly metadata: RecordedMetadata
}

/** A decoded event with its envelope. Distributes over the union so `switch (e.type)` narrows `e.data`. */
export type RecordedEvent<E extends DomainEvent = DomainEvent> = E extends DomainEvent ? Envelope & E : never

/** An event as a store keeps it: the envelope and the encoded, not yet decoded, data. */
export interface StoredEvent extends Envelope {
  readonly type: string
  readonly data: unknown
}

// constructors

/** Pairs an event with its metadata for `EventStore.append`; give `eventId` to make a retried append recognisable. */
export const newEvent = <E extends DomainEvent>(event: E, metadata: EventMetadata, eventId?: string): NewEvent<E> =>
  eventId === undefined ? { event, metadata } : { event, metadata, eventId }
