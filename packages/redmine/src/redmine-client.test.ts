import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { redmineClient, type FetchLike } from './redmine-client.js'

const answering = (status: number, body = '') => {
  const calls: Array<{ url: string; headers: Record<string, string>; body?: string }> = []
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, headers: init.headers, ...(init.body === undefined ? {} : { body: init.body }) })
    return { status, text: async () => body }
  }
  return { fetch, calls }
}

describe('redmine client', () => {
  it.each([
    [401, '', 'RedmineUnauthorized'],
    [403, '', 'RedmineForbidden'],
    [404, '', 'RedmineNotFound'],
    [422, '{"errors":["Subject cannot be blank"]}', 'RedmineRejected'],
    [500, 'boom', 'RedmineServerError'],
    [503, '', 'RedmineServerError'],
  ])('turns HTTP %i into %s', async (status, body, tag) => {
    const { fetch } = answering(status, body)
    const r = await redmineClient({ url: 'http://redmine.test', apiKey: 'k', fetch }).issue(7)()
    expect(r).toMatchObject(E.left({ _tag: tag, method: 'GET', path: '/issues/7.json' }))
    if (tag === 'RedmineRejected') expect(r).toMatchObject(E.left({ errors: ['Subject cannot be blank'] }))
  })

  it('sends the key in a header only, and JSON with its content type', async () => {
    const { fetch, calls } = answering(201, '{"issue":{"id":1,"project":{"id":1,"name":"p"},"tracker":{"id":1,"name":"Bug"},"status":{"id":1,"name":"New"},"priority":{"id":2,"name":"Normal"},"author":{"id":1,"name":"a"},"subject":"s","created_on":"2026-01-01T00:00:00Z","updated_on":"2026-01-01T00:00:00Z"}}')
    const r = await redmineClient({ url: 'http://redmine.test/', apiKey: 'secret-key', fetch }).createIssue({ project_id: 'p', subject: 'Тема' })()
    expect(E.isRight(r)).toBe(true)
    expect(calls[0]?.url).toBe('http://redmine.test/issues.json')
    expect(calls[0]?.headers).toMatchObject({ 'X-Redmine-API-Key': 'secret-key', 'Content-Type': 'application/json' })
    expect(JSON.parse(calls[0]?.body ?? '')).toEqual({ issue: { project_id: 'p', subject: 'Тема' } })
  })

  it('writes an exact custom-field filter, so a value starting with an operator character is not read as one', async () => {
    const { fetch, calls } = answering(200, '{"issues":[],"total_count":0}')
    await redmineClient({ url: 'http://redmine.test', apiKey: 'k', fetch }).issues({ projectId: 'p', customField: { id: 3, value: '!ticket:T|1' } })()
    expect(new URL(calls[0]!.url).searchParams.get('cf_3')).toBe('=!ticket:T|1')
    expect(new URL(calls[0]!.url).searchParams.get('status_id')).toBe('*')
  })

  it('gives up after its timeout with RedmineTimeout, and a refused connection is RedmineUnreachable', async () => {
    const hang: FetchLike = (_url, init) => new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new Error('aborted'))))
    expect(await redmineClient({ url: 'http://redmine.test', apiKey: 'k', fetch: hang, timeoutMs: 20 }).currentUser()()).toMatchObject(E.left({ _tag: 'RedmineTimeout', timeoutMs: 20 }))
    const refuse: FetchLike = async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) })
    }
    expect(await redmineClient({ url: 'http://redmine.test', apiKey: 'k', fetch: refuse }).currentUser()()).toMatchObject(E.left({ _tag: 'RedmineUnreachable', message: 'GET /users/current.json: ECONNREFUSED' }))
  })

  it('never puts the key in an error, whatever the answer', async () => {
    const statuses = [200, 201, 204, 401, 403, 404, 422, 500, 502]
    let failures = 0
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 8, maxLength: 40 }).filter((k) => k.trim().length >= 8), fc.constantFrom(...statuses), fc.string(), async (key, status, body) => {
        const fetch: FetchLike = async () => ({ status, text: async () => body })
        const r = await redmineClient({ url: 'http://redmine.test', apiKey: key, fetch }).issue(1)()
        if (E.isLeft(r)) {
          failures++
          expect(JSON.stringify(r.left)).not.toContain(JSON.stringify(key).slice(1, -1))
        }
      }),
      { numRuns: 300 },
    )
    // Most runs must reach an error for the property to say anything (a random body rarely decodes as an issue).
    expect(failures).toBeGreaterThan(250)
  })
})
