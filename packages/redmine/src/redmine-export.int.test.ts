import { addMillis, type DeliveryId, type IncidentId, type QuarterLabel, type Sha256Hex, type TicketId } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import { expect, it } from 'vitest'
import type { RedmineIssue } from './redmine-client.js'
import { customer, filedNow, openTestLedger, supplier } from './redmine-test-ledger.js'
import { describeWithRedmine, openTestProject } from './redmine-test-server.js'

const right = <A>(r: E.Either<{ readonly message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}
const notes = (issue: RedmineIssue): ReadonlyArray<string> => (issue.journals ?? []).map((j) => j.notes ?? '').filter((n) => n !== '')

describeWithRedmine('Redmine export of incidents and deliveries (real server)', () => {
  it('keeps an incident in one issue with a note per step and its failure report, and a quarterly delivery as a version with its fixes', async () => {
    const project = await openTestProject()
    const t = await openTestLedger(project)
    const incidentId = 'INC-1' as IncidentId
    const step = async (at: number, command: Record<string, unknown>) =>
      right(await t.ledger.incidents.handle({ contractId: t.contractId, incidentId, at: addMillis(t.clock(), at), ...command } as Parameters<typeof t.ledger.incidents.handle>[0])())
    await step(0, { type: 'ReportFailure', actor: customer, summary: 'Сервер учёта недоступен', site: 'ЦОД Алматы' })
    await step(1, { type: 'DemandOnSite', actor: customer, site: 'ЦОД Алматы' })
    await step(2, { type: 'RecordEngineerArrival', actor: supplier, engineer: 'Данияр' })
    await step(3, { type: 'RecordServiceRestored', actor: supplier, note: 'Заменён блок питания' })
    await step(4, {
      type: 'SubmitFailureReport',
      actor: supplier,
      report: { summary: 'Отказ блока питания', rootCauses: ['Износ блока питания'], preventiveMeasures: ['Резервный блок питания'], timeline: [{ at: t.clock(), what: 'Сбой' }] },
    })

    // A fixed defect, accepted, for the delivery to carry.
    const ticketId = 'T-FIX-1' as TicketId
    const handle = async (command: Record<string, unknown>) => right(await t.ledger.tickets.handle({ contractId: t.contractId, ticketId, at: t.clock(), ...command } as Parameters<typeof t.ledger.tickets.handle>[0])())
    await handle({ type: 'FileRequest', actor: customer, ...filedNow(t.clock()), kind: 'defect', priority: 'normal', channel: 'email', subject: 'Ошибка округления в отчёте' })
    await handle({ type: 'DeliverResult', actor: supplier, deliveryId: 'fix-1', summary: 'Округление исправлено' })
    await handle({ type: 'AcceptResult', actor: customer, deliveryId: 'fix-1' })
    right(await t.ledger.deliveries.handle({ type: 'RecordDelivery', contractId: t.contractId, deliveryId: 'D-2026-Q4' as DeliveryId, actor: supplier, at: t.clock(), quarter: '2026-Q4' as QuarterLabel, version: '5.2.0', artifactSha256: 'a'.repeat(64) as Sha256Hex, changes: [{ kind: 'fix', id: ticketId }] })())

    const round = await t.sync.round()
    expect(round.failed).toEqual([])
    expect((await t.sync.round()).enqueued).toBe(0)

    const keyField = t.resolved.fields.get('Ledger key')!
    const byKey = async (key: string) => right(await project.admin.issues({ projectId: project.identifier, customField: { id: keyField, value: key } })()).issues
    const incidents = await byKey('incident:INC-1')
    expect(incidents).toHaveLength(1)
    const incident = right(await project.admin.issue(incidents[0]!.id, { journals: true })())
    expect(incident.subject).toBe('Сервер учёта недоступен')
    expect(incident.tracker.name).toBe('Bug')
    const said = notes(incident)
    for (const words of ['выезда специалиста', 'Специалист прибыл на место: Данияр', 'Работоспособность восстановлена: Заменён блок питания', 'Износ блока питания']) {
      expect(said.filter((n) => n.includes(words))).toHaveLength(1)
    }

    const fixes = await byKey(`ticket:${ticketId}`)
    expect(fixes).toHaveLength(1)
    const fix = right(await project.admin.issue(fixes[0]!.id)())
    expect(fix.fixed_version?.name).toBe('2026-Q4 5.2.0')
    const versions = right(await project.admin.versions(project.identifier)())
    expect(versions.filter((v) => v.name === '2026-Q4 5.2.0')).toHaveLength(1)
  })
})
