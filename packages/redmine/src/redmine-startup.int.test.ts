import type { ContractId } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import { expect, it } from 'vitest'
import { redmineClient } from './redmine-client.js'
import { defaultRedmineMapping, resolveMapping } from './redmine-mapping.js'
import { describeWithRedmine, openTestProject, REDMINE_URL } from './redmine-test-server.js'

describeWithRedmine('Redmine start-up check (real server)', () => {
  it('resolves a mapping the server satisfies, and names what a wrong one lacks', async () => {
    const project = await openTestProject()
    const mapping = defaultRedmineMapping([{ project: project.identifier, contractId: 'C-1' as ContractId }], [{ redmineUserId: project.users.customer, person: 'aigerim' }])
    const good = await resolveMapping(project.sync(), mapping)()
    expect(good).toMatchObject(E.right({ me: { id: project.users.ledger, login: 'ledger' } }))

    const wrongKey = await resolveMapping(redmineClient({ url: REDMINE_URL, apiKey: 'f'.repeat(40) }), mapping)()
    expect(wrongKey).toMatchObject(E.left({ _tag: 'RedmineUnauthorized' }))
    if (E.isLeft(wrongKey)) expect(wrongKey.left.message).not.toContain('f'.repeat(40))

    const status = await resolveMapping(project.sync(), { ...mapping, statuses: { ...mapping.statuses, questionAsked: 'Ожидает ответа' } })()
    expect(status).toMatchObject(E.left({ _tag: 'RedmineMappingMismatch', field: 'statuses.questionAsked' }))
    if (E.isLeft(status)) expect(status.left.message).toContain('"Ожидает ответа"')

    const trigger = await resolveMapping(project.sync(), { ...mapping, actions: { ...mapping.actions, acceptResult: { on: 'status', status: 'Accepted' } } })()
    expect(trigger).toMatchObject(E.left({ _tag: 'RedmineMappingMismatch', field: 'actions.acceptResult.status' }))

    const field = await resolveMapping(project.sync(), { ...mapping, externalKeyField: 'External id' })()
    expect(field).toMatchObject(E.left({ _tag: 'RedmineMappingMismatch', field: 'projects.0' }))
    if (E.isLeft(field)) expect(field.left.message).toContain('"External id"')

    const unseen = await resolveMapping(project.sync(), { ...mapping, projects: [{ project: 'no-such-project', contractId: 'C-2' as ContractId }] })()
    expect(unseen).toMatchObject(E.left({ _tag: 'RedmineMappingMismatch', field: 'projects.0.project' }))
  })
})
