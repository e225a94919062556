/** What the mail adapters read from the ledger about a ticket, through the public EventStore port: its contract, its open question. */
import { contractIdOf, fold, ticketDecider, ticketIdOf, ticketStreamId, type EventStore, type TicketEvent } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'

// constructors

/**
 * The contract of the ticket whose stream is `streamId` (a recorded ticket event's `streamId`), from its filing:
 * ticket events after the filing do not name it, and a ticket id alone names no ticket (each contract has its own).
 */
export const ticketContractFromStore =
  (tickets: EventStore<TicketEvent>) =>
  (streamId: string): TaskEither<unknown, string | undefined> =>
  async () => {
    const slice = await tickets.readStream(streamId)()
    if (E.isLeft(slice)) return slice
    const first = slice.right.events[0]
    return E.right(first?.type === 'RequestFiled' ? first.data.contractId : undefined)
  }

/** The question most recently asked and still open on the ticket `ticketId` of `contractId`, if any. */
export const openQuestionFromStore =
  (tickets: EventStore<TicketEvent>) =>
  (contractId: string, ticketId: string): TaskEither<unknown, string | undefined> =>
  async () => {
    // The ids come from a mail's headers: ones no ticket can have name no open question.
    const contract = contractIdOf(contractId)
    const ticket = ticketIdOf(ticketId)
    if (E.isLeft(contract) || E.isLeft(ticket)) return E.right(undefined)
    const slice = await tickets.readStream(ticketStreamId(contract.right, ticket.right))()
    if (E.isLeft(slice)) return slice
    const state = fold(ticketDecider, slice.right.events)
    if (state.status === 'unfiled' || state.contractId !== contractId) return E.right(undefined)
    return E.right(state.openQuestions[state.openQuestions.length - 1])
  }
