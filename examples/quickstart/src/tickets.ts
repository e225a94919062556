/** Tickets and SLA clocks: file a defect, propose and agree its deadline, ask an obligation's state at an instant. */
import {
  contractLedger,
  contractIdOf,
  countersignContract,
  createCalendarRegistry,
  DomainErrorException,
  instantOf,
  KAZAKHSTAN_CALENDAR,
  localDateOf,
  registerContract,
  ticketIdOf,
  tiynFromKzt,
  type Actor,
  type DomainError,
  type ObligationState,
} from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import { inMemoryDemoStorage, type OpenDemoStorage } from './demo-storage.js'

// #region helpers
// Scripts stop at the first refusal; a service desk would show it to the user instead.
const orThrow = <A>(result: E.Either<DomainError, A>): A => {
  if (E.isLeft(result)) throw new DomainErrorException(result.left)
  return result.right
}
// #endregion helpers

const describe = (o: ObligationState): string => {
  switch (o.status) {
    case 'met':
      return `met at ${o.metAt} (due ${o.dueAt})`
    case 'breached':
      return `breached at ${o.dueAt}`
    case 'warned':
      return `warned: ${o.thresholdBps / 100}% of the window used, ${o.leftMinutes} min left`
    case 'pending':
      if (o.awaiting === 'agreement') return 'pending: no deadline agreed yet'
      return `pending: ${o.leftMinutes} min left, due ${o.dueAt ?? '(paused)'}`
  }
}

export const ticketsDemo = async (log: (line: string) => void, openStorage: OpenDemoStorage = inMemoryDemoStorage): Promise<void> => {
  const storage = await openStorage('tickets')
  // #region tickets
  // `storeFor` gives each event catalog its store over one storage: `inMemoryStores()` from @support-ledger/core,
  // or `postgresStores(storage)` from @support-ledger/postgres on a server or PGlite (see demo-storage.ts).
  const { storeFor } = storage
  const calendars = orThrow(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))
  const ledger = contractLedger({ storeFor, calendars })
  // Almaty wall-clock time (UTC+5) as an instant.
  const at = (almaty: string) => instantOf(new Date(`${almaty}+05:00`))
  const customer: Actor = { party: 'customer', id: 'aigerim' }
  const supplier: Actor = { party: 'supplier', id: 'daniyar' }
  const contractId = orThrow(contractIdOf('C-2025-001'))

  // The supplier proposes the contract, with its defaults: 15% customization cap, deadline proposals within 2 elapsed hours.
  orThrow(
    await ledger.contracts.handle(
      registerContract({
        contractId,
        parties: { customer: { name: 'Customer LLP', people: ['aigerim'] }, supplier: { name: 'Supplier LLP', people: ['daniyar'] } },
        product: 'Payroll',
        term: { start: orThrow(localDateOf('2025-01-01')), end: orThrow(localDateOf('2025-12-31')) },
        timeZone: 'Asia/Almaty',
        value: orThrow(tiynFromKzt('100 000 000,00')),
        calendarId: 'kz-5day',
        actor: supplier,
        at: at('2024-12-20T10:00:00'),
      }),
    )(),
  )
  // Nothing binds until the customer countersigns.
  orThrow(await ledger.contracts.handle(countersignContract({ contractId, actor: customer, at: at('2024-12-23T10:00:00') }))())

  // The customer files a defect in Redmine at 10:00 on Monday 3 March 2025.
  const ticket = { contractId, ticketId: orThrow(ticketIdOf('T-42')) }
  orThrow(
    await ledger.tickets.handle({
      ...ticket,
      type: 'FileRequest',
      actor: customer,
      at: at('2025-03-03T10:00:00'),
      receivedAt: at('2025-03-03T10:00:00'),
      kind: 'defect',
      priority: 'high',
      channel: 'redmine',
      subject: 'Payslips show last month',
    })(),
  )
  const stateAt = async (when: string) => orThrow(await ledger.ticketObligations(contractId, ticket.ticketId, at(when))())
  for (const o of await stateAt('2025-03-03T11:10:00')) log(`tickets: at 11:10, ${o.obligation} (clause ${o.clause}) is ${describe(o)}`)

  // The supplier proposes Wednesday 18:00; the customer agrees.
  const deadline = at('2025-03-05T18:00:00')
  orThrow(await ledger.tickets.handle({ ...ticket, type: 'ProposeDeadline', actor: supplier, at: at('2025-03-03T11:20:00'), deadline })())
  const agreed = orThrow(await ledger.tickets.handle({ ...ticket, type: 'AgreeDeadline', actor: customer, at: at('2025-03-03T11:40:00'), deadline })())
  // #endregion tickets
  log(`tickets: deadline agreed at version ${agreed.version}: ${deadline}`)

  // A proposal from the wrong party is refused, and nothing is written.
  const wrong = await ledger.tickets.handle({ ...ticket, type: 'ProposeDeadline', actor: customer, at: at('2025-03-03T11:50:00'), deadline })()
  log(`tickets: a proposal from the customer is refused: ${E.isLeft(wrong) ? wrong.left._tag : 'accepted?'}`)

  // Only the people the contract lists act for a party: anyone else is refused too.
  const stranger = await ledger.tickets.handle({ ...ticket, type: 'ChangePriority', actor: { party: 'customer', id: 'someone' }, at: at('2025-03-03T11:55:00'), priority: 'urgent' })()
  log(`tickets: a priority change by someone the contract does not list is refused: ${E.isLeft(stranger) ? stranger.left._tag : 'accepted?'}`)

  for (const o of await stateAt('2025-03-04T12:00:00')) {
    log(`tickets: on Tuesday at 12:00, ${o.obligation} is ${describe(o)}, proved by ${o.evidence.length} event(s)`)
  }
  await storage.close()
}
