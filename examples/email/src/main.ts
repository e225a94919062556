/** Runs the e-mail demo and prints what the local SMTP server received and what was taken in. */
import { runEmailDemo } from './email-demo.js'

const out = process.argv[2]
const result = await runEmailDemo(out === undefined ? {} : { emlDirectory: out })
console.log('Mails delivered to the local SMTP server:')
for (const m of result.delivered) console.log(`  [${m.language}] to ${m.to}: ${m.subject}\n        Message-ID ${m.messageId}\n        In-Reply-To ${m.inReplyTo}`)
console.log('Mails taken in:')
for (const i of result.intake) console.log(`  ${i.message}: ${i.status}${i.reason === undefined ? '' : ` (${i.reason})`}`)
console.log(`The ticket's events: ${result.ticketEvents.join(', ')}`)
console.log(`The answer taken from the reply: ${result.answer ?? '(none)'}`)
if (out !== undefined) console.log(`Every mail is also in ${out} as an .eml file.`)
