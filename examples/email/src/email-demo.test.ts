import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runEmailDemo } from './email-demo.js'

describe('the e-mail demo', () => {
  it('mails the acknowledgement, the question and the proposal in one thread, and takes the reply in as the answer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sl-email-demo-'))
    try {
      const result = await runEmailDemo({ emlDirectory: dir })
      expect(result.delivered.map((m) => [m.to, m.language])).toEqual([
        ['bolat@astana-logistic.kz', 'ru'],
        ['aigerim@astana-logistic.kz', 'kk'],
        ['aigerim@astana-logistic.kz', 'kk'],
        ['aigerim@astana-logistic.kz', 'kk'],
      ])
      expect(result.delivered[0]!.subject).toBe(`Заявка ${result.delivered[0]!.subject.split(' ')[1]} принята: Не печатается накладная №15`)
      expect(new Set(result.delivered.map((m) => m.inReplyTo)).size).toBe(1)
      expect(result.intake).toEqual([
        { message: 'request', status: 'filed' },
        { message: 'reply', status: 'answered' },
        { message: 'request again', status: 'duplicate' },
        { message: 'junk', status: 'set-aside', reason: 'unknown-sender' },
      ])
      expect(result.ticketEvents).toEqual(['RequestFiled', 'CustomerAsked', 'QuestionAnswered', 'DeadlineProposed'])
      expect(result.answer).toBe('HP LaserJet в бухгалтерии.')
      expect((await readdir(dir)).filter((f) => f.endsWith('.eml'))).toHaveLength(4)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
