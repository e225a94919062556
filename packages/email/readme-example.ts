import { formatInstant, loadMailTemplates, mailAddress } from '@support-ledger/email'

const templates = await loadMailTemplates()
if (templates._tag === 'Left') throw new Error(templates.left.message)
const to = mailAddress('to', 'aigerim@customer.kz')
const injected = mailAddress('to', 'aigerim@customer.kz\r\nBcc: someone@evil.example')
if (to._tag === 'Left' || injected._tag === 'Right') throw new Error('the address check failed')
const receivedAt = formatInstant('2025-03-03T04:00:00.000Z', 'Asia/Almaty', 'ru')
const mail = templates.right.render('request-received', 'ru', { ticketRef: 'T-1', subject: 'Не печатается счёт-фактура', receivedAt, contractId: 'C-2024-001', customerName: 'ТОО «Заказчик»', supplierName: 'ТОО «Поставщик»', recipientName: 'Айгерим Сапарова' })
console.log(`To: ${to.right}\nSubject: ${mail.subject}\n\n${mail.text}\n(refused: ${injected.left.message})`)
