import { addMillis, instantOf, ticketStreamId, type TicketId } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import { expect, it } from 'vitest'
import type { RedmineIssue } from './redmine-client.js'
import { customer, openTestLedger, supplier } from './redmine-test-ledger.js'
import { describeWithRedmine, openTestProject } from './redmine-test-server.js'

const right = <A>(r: E.Either<{ readonly message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}
// Redmine stamps journals in whole seconds: a pause keeps each step's second after the one before.
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1_100))

describeWithRedmine('Redmine round trip (real server)', () => {
  it('a request filed in Redmine in Cyrillic, a deadline agreed and a fix accepted there, ends as verdicts in the report', async () => {
    const project = await openTestProject()
    const t = await openTestLedger(project)
    const fieldId = (name: string) => t.resolved.fields.get(name)!
    const bug = t.resolved.trackers.get('Bug')!

    // The customer files in Redmine.
    const filed = right(
      await project.customer.createIssue({
        project_id: project.identifier,
        tracker_id: bug,
        priority_id: t.resolved.priorities.get('High')!,
        subject: 'Не печатается счёт-фактура',
        description: 'При печати счёта-фактуры программа выдаёт ошибку «Шаблон не найден».',
      })(),
    )
    const round1 = await t.sync.round()
    expect(right(round1.imported)).toMatchObject({ filed: 1, rejected: 0 })
    const ticketId = `RM-${filed.id}` as TicketId
    const filedEvents = right(await t.ticketStore.readStream(ticketStreamId(t.contractId, ticketId))())
    expect(filedEvents.events[0]).toMatchObject({
      type: 'RequestFiled',
      data: { kind: 'defect', priority: 'high', channel: 'redmine', subject: 'Не печатается счёт-фактура', receivedAt: instantOf(Date.parse(filed.created_on)) },
      metadata: { actor: customer },
    })

    // The ledger proposes a deadline; the export writes the due date and a note.
    const deadline = addMillis(t.clock(), 3 * 86_400_000)
    right(await t.ledger.tickets.handle({ type: 'ProposeDeadline', contractId: t.contractId, ticketId, actor: supplier, at: t.clock(), deadline, note: 'Исправим в ближайшем выпуске' })())
    const round2 = await t.sync.round()
    expect(round2.failed).toEqual([])
    expect(round2.delivered).toBeGreaterThanOrEqual(1)
    let issue = right(await project.admin.issue(filed.id, { journals: true })())
    expect(issue.due_date).toBe(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty' }).format(new Date(deadline)))
    expect(issue.assigned_to?.id).toBe(project.users.ledger)
    expect(notes(issue).some((n) => n.includes('Предлагаемый срок исправления') && n.includes('Исправим в ближайшем выпуске'))).toBe(true)

    // The customer agrees in Redmine.
    await nextSecond()
    right(await project.customer.updateIssue(filed.id, { custom_fields: [{ id: fieldId('Deadline agreement'), value: 'Agreed' }], notes: 'Срок устраивает' })())
    const round3 = await t.sync.round()
    expect(right(round3.imported)).toMatchObject({ applied: 1, rejected: 0 })
    issue = right(await project.admin.issue(filed.id, { journals: true })())
    expect(issue.status.name).toBe('In Progress')

    // The fix is delivered; the customer accepts it by closing the issue.
    right(await t.ledger.tickets.handle({ type: 'DeliverResult', contractId: t.contractId, ticketId, actor: supplier, at: t.clock(), deliveryId: 'fix-1', summary: 'Исправлен шаблон печати' })())
    const round4 = await t.sync.round()
    expect(round4.failed).toEqual([])
    issue = right(await project.admin.issue(filed.id)())
    expect(issue.status.name).toBe('Resolved')
    await nextSecond()
    right(await project.customer.updateIssue(filed.id, { status_id: t.resolved.statuses.get('Closed')!, notes: 'Проверили, работает' })())
    const round5 = await t.sync.round()
    expect(right(round5.imported)).toMatchObject({ applied: 1, rejected: 0 })
    expect(round5.failed).toEqual([])

    // The report shows both verdicts for this request, with the events behind them.
    const report = right(await t.ledger.report({ contractId: t.contractId, asOf: t.clock(), period: { kind: 'contract-to-date' } })())
    const verdict = (name: string) => report.obligations.find((o) => o.obligation === name)?.verdicts.find((v) => v.subject.includes(ticketId))
    expect(verdict('deadline-proposal')).toMatchObject({ verdict: 'met' })
    expect(verdict('agreed-deadline')).toMatchObject({ verdict: 'met' })

    // A further round finds nothing new and writes nothing twice.
    const round6 = await t.sync.round()
    expect(right(round6.imported)).toMatchObject({ filed: 0, applied: 0, rejected: 0 })
    expect(round6.enqueued).toBe(0)
    const final = right(await project.admin.issue(filed.id, { journals: true })())
    const markers = notes(final).flatMap((n) => n.match(/\[support-ledger:[^\]]+\]/g) ?? [])
    expect(new Set(markers).size).toBe(markers.length)
  })

  it('shows a refused action to the customer once, as a note, and records it', async () => {
    const project = await openTestProject()
    const t = await openTestLedger(project)
    const filed = right(await project.customer.createIssue({ project_id: project.identifier, tracker_id: t.resolved.trackers.get('Support')!, subject: 'Вопрос по отчёту' })())
    await t.sync.round()
    await nextSecond()
    // Agreeing when no deadline was proposed: the ledger refuses it.
    right(await project.customer.updateIssue(filed.id, { custom_fields: [{ id: t.resolved.fields.get('Deadline agreement')!, value: 'Agreed' }] })())
    const first = await t.sync.round()
    expect(right(first.imported)).toMatchObject({ rejected: 1 })
    // The refusal note changes updated_on: the next polls read the issue again and add nothing.
    await t.sync.round()
    await t.sync.round()
    const issue = right(await project.admin.issue(filed.id, { journals: true })())
    const refusals = notes(issue).filter((n) => n.includes('Учёт не принял это действие'))
    expect(refusals).toHaveLength(1)
    expect(refusals[0]).toContain('no deadline is open for agreement')
    const record = right(await t.record.readStream(`redmine-issue-test-redmine-${filed.id}`)())
    expect(record.events.filter((e) => e.type === 'RedmineImportRejected')).toHaveLength(1)
  })
})

describeWithRedmine('Redmine SLA notes (real server)', () => {
  it('notes a warning threshold as the clock crosses it, once, from the obligation schedule', async () => {
    const project = await openTestProject()
    const t = await openTestLedger(project)
    const ticketId = 'T-CALL-1' as TicketId
    // Received by phone almost an hour ago: the two-hour deadline-proposal clock reaches 50% in four seconds.
    const receivedAt = addMillis(t.clock(), -(60 * 60_000 - 4_000))
    right(await t.ledger.tickets.handle({ type: 'FileRequest', contractId: t.contractId, ticketId, actor: customer, at: t.clock(), receivedAt, kind: 'defect', priority: 'high', channel: 'phone', subject: 'Звонок: остановилась касса' })())
    expect((await t.sync.round()).failed).toEqual([])
    await new Promise((resolve) => setTimeout(resolve, 5_000))
    expect((await t.sync.round()).failed).toEqual([])
    expect((await t.sync.round()).enqueued).toBe(0)
    const keyField = t.resolved.fields.get('Ledger key')!
    const list = right(await project.admin.issues({ projectId: project.identifier, customField: { id: keyField, value: `ticket:${ticketId}` } })())
    expect(list.issues).toHaveLength(1)
    const issue = right(await project.admin.issue(list.issues[0]!.id, { journals: true })())
    const warnings = notes(issue).filter((n) => n.includes('deadline-proposal'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('50%')
  })
})

const notes = (issue: RedmineIssue): ReadonlyArray<string> => (issue.journals ?? []).map((j) => j.notes ?? '').filter((n) => n !== '')
