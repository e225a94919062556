import type { Instant } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { emlFileName, emlFileTransport } from './eml-file-transport.js'
import { mailAddress, type MailAddress } from './mail-address.js'
import type { OutgoingMail } from './mail-message.js'

const address = (value: string): MailAddress => {
  const a = mailAddress('to', value)
  if (E.isLeft(a)) throw new Error(a.left.message)
  return a.right
}

const mail: OutgoingMail = {
  messageId: '<m.1.t.43.54@mail.example.kz>',
  from: { name: 'Поддержка', address: address('support@example.kz') },
  to: { name: 'Айгерим', address: address('aigerim@example.kz') },
  subject: 'Срок исправления предложен',
  text: 'Срок: 15.04.2025 18:00',
  html: '<p>Срок: 15.04.2025 18:00</p>',
  inReplyTo: '<t.43.54@mail.example.kz>',
  references: ['<t.43.54@mail.example.kz>'],
  locale: 'ru',
  template: 'deadline-proposed',
  contractId: 'C-1',
}

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

const sendTo = async (clock?: () => Instant): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'eml-'))
  dirs.push(dir)
  const transport = emlFileTransport(dir, clock === undefined ? {} : { clock })
  const sent = await transport.send(mail)()
  await transport.close()
  expect(E.isRight(sent)).toBe(true)
  return readFile(join(dir, emlFileName(mail.messageId)), 'utf8')
}

it('with a clock, the same mail is the same bytes, dated by that clock', async () => {
  const clock = () => '2025-04-15T05:30:00.000Z' as Instant
  const first = await sendTo(clock)
  expect(await sendTo(clock)).toBe(first)
  expect(first).toContain('Date: Tue, 15 Apr 2025 05:30:00 +0000')
  // A multipart mail (text and HTML): its boundary comes from the Message-ID, not from random bytes.
  expect(first).toMatch(/boundary="--_NmP-[0-9a-f]{16}-Part_1"/)
})

it('without one, the mail is dated now', async () => {
  const year = String(new Date().getUTCFullYear())
  expect(await sendTo()).toMatch(new RegExp(`^Date: .* ${year} `, 'm'))
})
