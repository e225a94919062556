/**
 * The demo's year as a table: a support contract with a Kazakhstan customer on the 2025 calendar,
 * every request, reply, visit, change, delivery and check at the local time it happens. Nothing is
 * random: the same table gives the same record, and each breach it plants is listed with why.
 */
import {
  instantOf,
  registerContract,
  type Actor,
  type ChangeId,
  type ContractId,
  type DeliveryId,
  type IncidentId,
  type Instant,
  type LocalDate,
  type QuarterLabel,
  type Sha256Hex,
  type TicketId,
  type TicketKind,
  type Tiyn,
} from '@support-ledger/core'
import type { ContactEntry } from '@support-ledger/email'
import { createHash } from 'node:crypto'
import type { DemoCommand } from './demo-ledger.js'

// model

/** A request as it stands in the customer's Redmine: the issue and, in order, the customer's journals on it. */
export interface RecordedIssue {
  readonly id: number
  readonly kind: TicketKind
  readonly tracker: 'Bug' | 'Feature' | 'Support'
  readonly priority: 'Low' | 'Normal' | 'High' | 'Urgent'
  /** The Redmine user who filed it. */
  readonly author: number
  readonly subject: string
  readonly description: string
  readonly createdAt: Instant
  readonly journals: ReadonlyArray<RecordedJournal>
}

export interface RecordedJournal {
  readonly id: number
  readonly at: Instant
  readonly user: number
  readonly agreement?: 'Agreed' | 'Rejected'
  readonly status?: 'Closed' | 'Feedback'
  readonly notes?: string
}

/** A mail as it reaches one of the supplier's mailboxes. */
export interface RecordedMail {
  /** `requests@` files consultations, `errors@` files defects. */
  readonly mailbox: 'requests' | 'errors'
  readonly messageId: string
  readonly at: Instant
  readonly raw: string
}

/** One thing that happens, at its instant. */
export type ScenarioStep =
  | { readonly at: Instant; readonly by: 'ledger'; readonly label: string; readonly command: DemoCommand; readonly refusal?: string }
  | { readonly at: Instant; readonly by: 'redmine'; readonly label: string }
  | { readonly at: Instant; readonly by: 'mail'; readonly label: string; readonly mail: RecordedMail }

/** A breach the year is written to contain: the clause, the subject the report names, and why. */
export interface PlantedBreach {
  readonly clause: number
  readonly subject: string
  readonly why: string
}

export interface Scenario {
  readonly contractId: ContractId
  readonly asOf: Instant
  readonly contacts: ReadonlyArray<ContactEntry>
  readonly redmine: { readonly projectId: number; readonly project: string; readonly users: ReadonlyMap<number, string>; readonly issues: ReadonlyArray<RecordedIssue> }
  readonly steps: ReadonlyArray<ScenarioStep>
  readonly planted: ReadonlyArray<PlantedBreach>
  /** The approval the cap refuses. */
  readonly refused: { readonly changeId: string; readonly why: string }
}

// constructors

const CONTRACT = 'C-2025-017' as ContractId
const aigerim: Actor = { party: 'customer', id: 'aigerim' }
const bolat: Actor = { party: 'customer', id: 'bolat' }
const daniyar: Actor = { party: 'supplier', id: 'daniyar' }
const erlan: Actor = { party: 'supplier', id: 'erlan' }
/** Redmine users: the supplier's integration user, then the customer's people. */
const RM_SUPPLIER = 1
const RM_AIGERIM = 11
const RM_BOLAT = 12

/** Almaty wall-clock time (UTC+5 all through 2025) as an instant. */
export const kz = (local: string): Instant => instantOf(Date.parse(`${local.replace(' ', 'T')}:00+05:00`))

/** A stand-in checksum, derived from what it names so that it never changes between runs. */
const sha = (what: string) => createHash('sha256').update(what).digest('hex') as Sha256Hex

const rm = (issue: number) => `RM-${issue}` as TicketId

const ledger = (at: string, label: string, command: DemoCommand, refusal?: string): ScenarioStep => ({
  at: kz(at),
  by: 'ledger',
  label,
  command,
  ...(refusal === undefined ? {} : { refusal }),
})

/** A ticket command by `actor` at `at` on `ticketId`. */
const onTicket = (at: string, actor: Actor, ticketId: TicketId, fields: Record<string, unknown> & { readonly type: string }): ScenarioStep =>
  ledger(at, `${fields.type} ${ticketId}`, { aggregate: 'ticket', command: { contractId: CONTRACT, ticketId, actor, at: kz(at), ...fields } as never })

const propose = (at: string, ticketId: TicketId, deadline: string) => onTicket(at, daniyar, ticketId, { type: 'ProposeDeadline', deadline: kz(deadline) })
const deliver = (at: string, ticketId: TicketId, deliveryId: string, summary: string) => onTicket(at, daniyar, ticketId, { type: 'DeliverResult', deliveryId, summary })

/** The customer's requests in Redmine; supplier steps for them are in `redmineWork` below. */
const issues: ReadonlyArray<RecordedIssue> = [
  {
    id: 101, kind: 'consultation', tracker: 'Support', priority: 'Normal', author: RM_BOLAT, createdAt: kz('2025-01-14 10:05'),
    subject: 'Как выгрузить реестр накладных в Excel?', description: 'Нужен реестр за декабрь для бухгалтерии.',
    journals: [{ id: 1001, at: kz('2025-01-14 11:30'), user: RM_BOLAT, status: 'Closed', notes: 'Спасибо, получилось.' }],
  },
  {
    id: 102, kind: 'defect', tracker: 'Bug', priority: 'High', author: RM_AIGERIM, createdAt: kz('2025-01-21 09:40'),
    subject: 'ТТН: пустое поле «Грузополучатель» в печатной форме', description: 'С 20 января в печатной форме ТТН не выводится грузополучатель.',
    journals: [
      { id: 1002, at: kz('2025-01-21 11:05'), user: RM_AIGERIM, agreement: 'Agreed' },
      { id: 1003, at: kz('2025-01-23 16:00'), user: RM_AIGERIM, status: 'Closed' },
    ],
  },
  {
    id: 103, kind: 'defect', tracker: 'Bug', priority: 'Normal', author: RM_BOLAT, createdAt: kz('2025-02-07 17:20'),
    subject: 'Закрытие смены падает с ошибкой deadlock', description: 'Ошибка при закрытии смены на складе №2, повторяется каждый вечер.',
    journals: [
      { id: 1004, at: kz('2025-02-10 10:00'), user: RM_BOLAT, agreement: 'Agreed' },
      { id: 1005, at: kz('2025-02-12 15:00'), user: RM_BOLAT, status: 'Closed' },
    ],
  },
  {
    id: 104, kind: 'configuration', tracker: 'Feature', priority: 'High', author: RM_AIGERIM, createdAt: kz('2025-03-03 09:15'),
    subject: 'Новые формы ЭСФ по изменениям Налогового кодекса', description: 'С 1 апреля меняются формы электронных счетов-фактур.',
    journals: [
      { id: 1006, at: kz('2025-03-03 10:20'), user: RM_AIGERIM, agreement: 'Rejected', notes: 'Нужно к 12 марта: сдача отчётности.' },
      { id: 1007, at: kz('2025-03-03 11:00'), user: RM_AIGERIM, agreement: 'Agreed' },
      { id: 1008, at: kz('2025-03-12 10:00'), user: RM_AIGERIM, status: 'Closed' },
    ],
  },
  {
    id: 105, kind: 'performance', tracker: 'Feature', priority: 'Normal', author: RM_BOLAT, createdAt: kz('2025-04-08 10:00'),
    subject: 'Отчёт по остаткам строится 4 минуты', description: 'Отчёт по остаткам на 3 склада строится больше 4 минут.',
    journals: [
      { id: 1009, at: kz('2025-04-08 11:10'), user: RM_BOLAT, agreement: 'Agreed' },
      { id: 1010, at: kz('2025-04-18 09:30'), user: RM_BOLAT, status: 'Closed' },
    ],
  },
  {
    id: 106, kind: 'defect', tracker: 'Bug', priority: 'Urgent', author: RM_AIGERIM, createdAt: kz('2025-05-13 14:00'),
    subject: 'Не проходят оплаты через Kaspi', description: 'Оплаты через Kaspi Pay зависают в статусе «Ожидание».',
    journals: [
      { id: 1011, at: kz('2025-05-13 14:45'), user: RM_AIGERIM, agreement: 'Agreed' },
      { id: 1012, at: kz('2025-05-14 15:00'), user: RM_AIGERIM, status: 'Feedback', notes: 'Оплата проходит, но чек не печатается.' },
      { id: 1013, at: kz('2025-05-16 10:00'), user: RM_AIGERIM, status: 'Closed' },
    ],
  },
  {
    id: 107, kind: 'defect', tracker: 'Bug', priority: 'Normal', author: RM_BOLAT, createdAt: kz('2025-06-17 11:00'),
    subject: 'Дубли в справочнике контрагентов после импорта', description: 'После импорта из 1С контрагенты задваиваются.',
    journals: [
      { id: 1014, at: kz('2025-06-17 12:30'), user: RM_BOLAT, agreement: 'Agreed' },
      { id: 1015, at: kz('2025-06-25 10:00'), user: RM_BOLAT, status: 'Closed' },
    ],
  },
  {
    id: 108, kind: 'database-migration', tracker: 'Support', priority: 'Normal', author: RM_AIGERIM, createdAt: kz('2025-07-15 09:00'),
    subject: 'Перенос базы на новый сервер в ЦОД', description: 'Новый сервер готов с 14 июля; перенести базу до конца месяца.',
    journals: [{ id: 1016, at: kz('2025-07-28 10:00'), user: RM_AIGERIM, status: 'Closed' }],
  },
  {
    id: 109, kind: 'test-stand', tracker: 'Support', priority: 'Low', author: RM_BOLAT, createdAt: kz('2025-08-05 10:00'),
    subject: 'Обновить тестовый стенд до версии 3.2', description: 'Для обучения новых кладовщиков.',
    journals: [{ id: 1017, at: kz('2025-08-07 09:00'), user: RM_BOLAT, status: 'Closed' }],
  },
  {
    id: 110, kind: 'modernization', tracker: 'Feature', priority: 'Normal', author: RM_AIGERIM, createdAt: kz('2025-09-02 10:00'),
    subject: 'Выгрузка актов выполненных работ в 1С', description: 'Акты должны уходить в 1С:Бухгалтерию автоматически.',
    journals: [{ id: 1018, at: kz('2025-10-24 11:00'), user: RM_AIGERIM, status: 'Closed' }],
  },
  {
    id: 111, kind: 'archiving', tracker: 'Support', priority: 'Low', author: RM_BOLAT, createdAt: kz('2025-10-01 10:00'),
    subject: 'Архив базы за сентябрь на внешний диск', description: 'Для налоговой проверки.',
    journals: [{ id: 1019, at: kz('2025-10-02 09:00'), user: RM_BOLAT, status: 'Closed' }],
  },
  {
    id: 112, kind: 'backup-sync', tracker: 'Support', priority: 'Urgent', author: RM_AIGERIM, createdAt: kz('2025-10-16 09:00'),
    subject: 'Резервная база отстаёт больше суток', description: 'Мониторинг показывает отставание резервной базы с 12 октября.',
    journals: [{ id: 1020, at: kz('2025-10-17 09:00'), user: RM_AIGERIM, status: 'Closed' }],
  },
  {
    id: 113, kind: 'defect', tracker: 'Bug', priority: 'Normal', author: RM_AIGERIM, createdAt: kz('2025-11-11 16:30'),
    subject: 'Неверный курс валюты в счетах на оплату', description: 'В счетах в долларах берётся курс прошлого дня.',
    journals: [
      { id: 1021, at: kz('2025-11-12 09:10'), user: RM_AIGERIM, agreement: 'Agreed', notes: 'Согласовано (увидела только утром).' },
      { id: 1022, at: kz('2025-11-14 16:00'), user: RM_AIGERIM, status: 'Closed' },
    ],
  },
  {
    id: 114, kind: 'consultation', tracker: 'Support', priority: 'Normal', author: RM_BOLAT, createdAt: kz('2025-12-09 15:00'),
    subject: 'Как закрыть год: порядок действий', description: 'Какие регламентные операции выполнить 31 декабря?',
    journals: [{ id: 1023, at: kz('2025-12-10 10:00'), user: RM_BOLAT, status: 'Closed' }],
  },
]

/** The supplier's side of the Redmine requests: proposals and results, recorded in the ledger itself. */
const redmineWork: ReadonlyArray<ScenarioStep> = [
  deliver('2025-01-14 10:50', rm(101), 'R1', 'Отчёты → Реестр накладных → Экспорт в Excel'),
  propose('2025-01-21 10:30', rm(102), '2025-01-23 18:00'),
  deliver('2025-01-23 12:00', rm(102), 'R1', 'Исправлен шаблон ТТН (сборка 3.0.7)'),
  // Filed on Friday evening; the deadline is proposed on Monday morning.
  propose('2025-02-10 09:30', rm(103), '2025-02-12 18:00'),
  deliver('2025-02-12 11:00', rm(103), 'R1', 'Порядок блокировок при закрытии смены изменён'),
  propose('2025-03-03 09:50', rm(104), '2025-03-14 18:00'),
  propose('2025-03-03 10:40', rm(104), '2025-03-12 18:00'),
  deliver('2025-03-11 17:00', rm(104), 'R1', 'Формы ЭСФ обновлены'),
  propose('2025-04-08 10:40', rm(105), '2025-04-18 18:00'),
  deliver('2025-04-17 16:00', rm(105), 'R1', 'Индекс по складу и дате; отчёт строится за 6 секунд'),
  propose('2025-05-13 14:30', rm(106), '2025-05-16 18:00'),
  deliver('2025-05-14 11:00', rm(106), 'R1', 'Обновлён протокол Kaspi Pay'),
  deliver('2025-05-15 17:00', rm(106), 'R2', 'Печать чека после подтверждения оплаты'),
  propose('2025-06-17 12:00', rm(107), '2025-06-20 18:00'),
  // Four days past the agreed deadline.
  deliver('2025-06-24 15:00', rm(107), 'R1', 'Импорт сверяет БИН; дубли объединены'),
  deliver('2025-07-26 20:00', rm(108), 'R1', 'База перенесена на новый сервер и проверена'),
  deliver('2025-08-06 17:00', rm(109), 'R1', 'Стенд обновлён до 3.2.0'),
  deliver('2025-10-20 12:00', rm(110), 'R1', 'Выгрузка актов в 1С (доработка CH-3)'),
  deliver('2025-10-01 16:00', rm(111), 'R1', 'Архив за сентябрь записан на диск'),
  deliver('2025-10-16 15:00', rm(112), 'R1', 'Репликация восстановлена, отставание 5 минут'),
  propose('2025-11-11 17:10', rm(113), '2025-11-14 18:00'),
  deliver('2025-11-14 11:00', rm(113), 'R1', 'Курс берётся на дату счёта'),
  deliver('2025-12-09 16:10', rm(114), 'R1', 'Инструкция по закрытию года отправлена'),
]

const encoded = (s: string) => `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`
const mailDate = (at: Instant) => new Date(Date.parse(at) + 5 * 3_600_000).toUTCString().replace('GMT', '+0500')

/** An RFC 822 message as a customer's mail client writes it. */
const mailOf = (mailbox: RecordedMail['mailbox'], from: string, name: string, messageId: string, at: string, subject: string, body: string): RecordedMail => {
  const when = kz(at)
  const headers = [
    `From: ${encoded(name)} <${from}>`,
    `To: ${mailbox}@soft-service.kz`,
    `Subject: ${encoded(subject)}`,
    `Date: ${mailDate(when)}`,
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ]
  return { mailbox, messageId, at: when, raw: `${headers.join('\r\n')}\r\n\r\n${body.replace(/\n/g, '\r\n')}\r\n` }
}

const mailed = (m: RecordedMail, label: string): ScenarioStep => ({ at: m.at, by: 'mail', label, mail: m })

const howToAddUser = mailOf('requests', 'bolat@astana-logistic.kz', 'Болат Ахметов', '<20250219111200.5521@astana-logistic.kz>', '2025-02-19 11:12', 'Как добавить пользователя с ролью кладовщика?', 'Добрый день!\nПодскажите, как завести нового кладовщика с доступом только к складу №2.')
const esfFailure = mailOf('errors', 'aigerim@astana-logistic.kz', 'Айгерим Сапарова', '<20250923090500.7710@astana-logistic.kz>', '2025-09-23 09:05', 'Сбой выгрузки в ИС ЭСФ: 500 Internal Server Error', 'Выгрузка счетов-фактур в ИС ЭСФ с утра падает с ошибкой 500.\nСрочно: срок сдачи 25 сентября.')
const spam = mailOf('requests', 'promo@offers.example', 'Promo', '<promo-2025-06@offers.example>', '2025-06-02 08:00', 'Скидки на серверы', 'Только сегодня!')

/** The ticket a mail files: the intake names it after the mail's Message-ID. */
export type MailTicketOf = (messageId: string) => TicketId

const mailWork = (ticketOf: MailTicketOf): ReadonlyArray<ScenarioStep> => {
  const question = ticketOf(howToAddUser.messageId)
  const esf = ticketOf(esfFailure.messageId)
  return [
    mailed(howToAddUser, 'mail: a consultation'),
    deliver('2025-02-19 11:50', question, 'R1', 'Администрирование → Пользователи → роль «Кладовщик», склад №2'),
    onTicket('2025-02-19 14:00', bolat, question, { type: 'AcceptResult', deliveryId: 'R1' }),
    // The mailbox hands the same message over again: it is taken in once.
    mailed({ ...howToAddUser, at: kz('2025-02-19 11:40') }, 'mail: the same consultation, delivered twice'),
    mailed(spam, 'mail: from a stranger, set aside'),
    mailed(esfFailure, 'mail: a defect'),
    propose('2025-09-23 09:45', esf, '2025-09-25 12:00'),
    onTicket('2025-09-23 10:10', aigerim, esf, { type: 'AgreeDeadline', deadline: kz('2025-09-25 12:00') }),
    deliver('2025-09-24 18:00', esf, 'R1', 'Обновлён сертификат ИС ЭСФ'),
    onTicket('2025-09-25 09:00', aigerim, esf, { type: 'AcceptResult', deliveryId: 'R1' }),
  ]
}

const incident = { contractId: CONTRACT, incidentId: 'INC-2025-01' as IncidentId }
const failureReport = {
  summary: 'Сервер приложений остановился: закончилось место на томе базы данных.',
  rootCauses: ['После обновления 3.1.0 отключилась ротация журналов СУБД', 'Нет оповещения о заполнении тома'],
  preventiveMeasures: ['Вернуть ротацию журналов и внести её в чек-лист обновления', 'Оповещать дежурного при заполнении тома на 80%'],
  timeline: [
    { at: kz('2025-03-26 07:55'), what: 'Запись в базу начинает завершаться ошибкой' },
    { at: kz('2025-03-26 08:20'), what: 'Заказчик сообщает о сбое и вызывает инженера' },
    { at: kz('2025-03-26 10:50'), what: 'Инженер на складе' },
    { at: kz('2025-03-26 13:40'), what: 'Журналы заархивированы, том освобождён, сервис запущен' },
  ],
}
const onIncident = (at: string, actor: Actor, fields: Record<string, unknown> & { readonly type: string }) =>
  ledger(at, `${fields.type} ${incident.incidentId}`, { aggregate: 'incident', command: { ...incident, actor, at: kz(at), ...fields } as never })

const incidentWork: ReadonlyArray<ScenarioStep> = [
  onIncident('2025-03-26 08:20', aigerim, { type: 'ReportFailure', summary: 'Сервер приложений недоступен, склад остановлен', site: 'Склад, Астана, ул. Кенесары, 40' }),
  onIncident('2025-03-26 08:25', aigerim, { type: 'DemandOnSite', site: 'Склад, Астана, ул. Кенесары, 40' }),
  onIncident('2025-03-26 10:50', erlan, { type: 'RecordEngineerArrival', engineer: 'erlan' }),
  onIncident('2025-03-26 13:40', erlan, { type: 'RecordServiceRestored', note: 'Том освобождён, сервис перезапущен' }),
  onIncident('2025-03-31 17:00', daniyar, { type: 'SubmitFailureReport', report: { ...failureReport, preventiveMeasures: failureReport.preventiveMeasures.slice(0, 1) } }),
  onIncident('2025-04-01 10:00', aigerim, { type: 'ReturnFailureReport', reason: 'Нет мер по мониторингу заполнения тома' }),
  onIncident('2025-04-03 16:00', daniyar, { type: 'SubmitFailureReport', report: failureReport }),
  onIncident('2025-04-04 11:00', aigerim, { type: 'AcceptFailureReport' }),
  onIncident('2025-04-04 11:30', daniyar, { type: 'CloseIncident' }),
]

const onChange = (at: string, actor: Actor, changeId: string, fields: Record<string, unknown> & { readonly type: string }, refusal?: string) =>
  ledger(at, `${fields.type} ${changeId}`, { aggregate: 'budget', command: { contractId: CONTRACT, changeId: changeId as ChangeId, actor, at: kz(at), ...fields } as never }, refusal)
const kzt = (tenge: number) => (tenge * 100) as Tiyn

/** Customizations up to the cap (15% of 120 000 000 ₸ = 18 000 000 ₸); the fourth would pass it. */
const budgetWork: ReadonlyArray<ScenarioStep> = [
  onChange('2025-02-03 10:00', daniyar, 'CH-1', { type: 'EstimateChange', title: 'Интеграция с Kaspi Pay', amount: kzt(7_500_000) }),
  onChange('2025-02-05 15:00', aigerim, 'CH-1', { type: 'ApproveChange' }),
  onChange('2025-03-20 17:00', daniyar, 'CH-1', { type: 'DeliverChange' }),
  onChange('2025-03-25 10:00', aigerim, 'CH-1', { type: 'AcceptChange' }),
  onChange('2025-04-14 10:00', daniyar, 'CH-2', { type: 'EstimateChange', title: 'Мобильное приложение кладовщика', amount: kzt(6_000_000) }),
  onChange('2025-04-16 12:00', aigerim, 'CH-2', { type: 'ApproveChange' }),
  onChange('2025-06-10 17:00', daniyar, 'CH-2', { type: 'DeliverChange' }),
  onChange('2025-06-13 10:00', aigerim, 'CH-2', { type: 'AcceptChange' }),
  onChange('2025-09-03 10:00', daniyar, 'CH-3', { type: 'EstimateChange', title: 'Выгрузка актов в 1С', amount: kzt(4_000_000), ticketId: rm(110) }),
  onChange('2025-09-05 11:00', aigerim, 'CH-3', { type: 'ApproveChange' }),
  onChange('2025-10-20 12:00', daniyar, 'CH-3', { type: 'DeliverChange' }),
  onChange('2025-10-24 11:00', aigerim, 'CH-3', { type: 'AcceptChange' }),
  onChange('2025-11-18 10:00', daniyar, 'CH-4', { type: 'EstimateChange', title: 'Дашборд руководителя', amount: kzt(1_200_000) }),
  onChange('2025-11-20 10:00', aigerim, 'CH-4', { type: 'ApproveChange' }, 'CapExceeded'),
]

type FundChange = { readonly kind: 'fix' | 'customization'; readonly id: string }
const fix = (id: string): FundChange => ({ kind: 'fix', id })
const customization = (id: string): FundChange => ({ kind: 'customization', id })

const delivery = (at: string, quarter: string, version: string, changes: ReadonlyArray<FundChange>): ScenarioStep =>
  ledger(at, `RecordDelivery ${quarter}`, {
    aggregate: 'delivery',
    command: { type: 'RecordDelivery', contractId: CONTRACT, deliveryId: `D-${quarter}` as DeliveryId, actor: daniyar, at: kz(at), quarter: quarter as QuarterLabel, version, artifactSha256: sha(`product-${version}.tar.gz`), changes },
  })
const acceptDelivery = (at: string, quarter: string): ScenarioStep =>
  ledger(at, `AcceptDelivery ${quarter}`, { aggregate: 'delivery', command: { type: 'AcceptDelivery', contractId: CONTRACT, deliveryId: `D-${quarter}` as DeliveryId, actor: aigerim, at: kz(at) } })

/** A delivery into the software fund each quarter with every fix and customization accepted since the last, due ten days after the quarter; the third comes six days late. */
const deliveryWork = (ticketOf: MailTicketOf): ReadonlyArray<ScenarioStep> => [
  delivery('2025-04-04 11:00', '2025-Q1', '3.1.0', [fix(rm(102)), fix(rm(103)), customization('CH-1')]),
  acceptDelivery('2025-04-08 10:00', '2025-Q1'),
  delivery('2025-07-03 11:00', '2025-Q2', '3.2.0', [fix(rm(106)), fix(rm(107)), customization('CH-2')]),
  acceptDelivery('2025-07-08 10:00', '2025-Q2'),
  delivery('2025-10-16 11:00', '2025-Q3', '3.3.0', [fix(ticketOf(esfFailure.messageId))]),
  acceptDelivery('2025-10-21 10:00', '2025-Q3'),
  delivery('2025-12-29 11:00', '2025-Q4', '3.4.0', [fix(rm(113)), customization('CH-3')]),
  acceptDelivery('2025-12-30 10:00', '2025-Q4'),
]

const operation = (at: string, label: string, fields: Record<string, unknown> & { readonly type: string }, actor: Actor = daniyar) =>
  ledger(at, label, { aggregate: 'operations', command: { contractId: CONTRACT, actor, at: kz(at), ...fields } as never })

const pad = (n: number) => String(n).padStart(2, '0')
const lastWorkingDay: Record<number, number> = { 1: 31, 2: 28, 3: 31, 4: 30, 5: 30, 6: 30, 7: 31, 8: 29, 9: 30, 10: 31, 11: 28, 12: 30 }
/** The sync stalled on 12 October and was restored on the 16th, after the customer's request. */
const STALLED = new Set(['2025-10-13', '2025-10-14', '2025-10-15', '2025-10-16'])

const operationsWork = (): ReadonlyArray<ScenarioStep> => {
  const steps: ScenarioStep[] = [
    operation('2025-01-06 10:00', 'RegisterTestStand QA', { type: 'RegisterTestStand', standId: 'QA', name: 'Стенд тестирования' }),
    operation('2025-04-09 10:00', 'RecordTestStandUpdate QA 3.1.0', { type: 'RecordTestStandUpdate', standId: 'QA', version: '3.1.0' }),
    operation('2025-07-09 10:00', 'RecordTestStandUpdate QA 3.2.0', { type: 'RecordTestStandUpdate', standId: 'QA', version: '3.2.0' }),
    operation('2025-10-22 10:00', 'RecordTestStandUpdate QA 3.3.0', { type: 'RecordTestStandUpdate', standId: 'QA', version: '3.3.0' }),
    operation('2025-12-30 15:00', 'RecordTestStandUpdate QA 3.4.0', { type: 'RecordTestStandUpdate', standId: 'QA', version: '3.4.0' }),
    operation('2025-07-16 10:00', 'PlanDatabaseMove MV-2025-1', {
      type: 'PlanDatabaseMove', moveId: 'MV-2025-1', target: 'new-servers', dueAt: kz('2025-07-31 18:00'),
      steps: [{ stepId: 'copy', description: 'Копия базы на новый сервер' }, { stepId: 'switch', description: 'Переключение приложения на новый сервер' }],
    }),
    operation('2025-07-26 14:00', 'RecordMoveStepExecuted copy', { type: 'RecordMoveStepExecuted', moveId: 'MV-2025-1', stepId: 'copy', evidence: 'pg_dump 38.2 GB, sha256 сверены' }),
    operation('2025-07-26 18:00', 'RecordMoveStepExecuted switch', { type: 'RecordMoveStepExecuted', moveId: 'MV-2025-1', stepId: 'switch', evidence: 'Приложение работает с db2.astana-logistic.kz' }),
    // The customer verifies each step.
    operation('2025-07-28 09:30', 'RecordMoveStepVerified copy', { type: 'RecordMoveStepVerified', moveId: 'MV-2025-1', stepId: 'copy', evidence: 'Сверка количества строк: совпадает' }, aigerim),
    operation('2025-07-28 09:45', 'RecordMoveStepVerified switch', { type: 'RecordMoveStepVerified', moveId: 'MV-2025-1', stepId: 'switch', evidence: 'Тестовая смена закрыта' }, aigerim),
  ]
  // A monthly archive on the month's last working day; August's is forgotten.
  for (let month = 1; month <= 12; month++) {
    if (month === 8) continue
    const day = `2025-${pad(month)}-${pad(lastWorkingDay[month]!)}`
    steps.push(operation(`${day} 20:00`, `RecordArchive 2025-${pad(month)}`, { type: 'RecordArchive', archiveId: `ARC-2025-${pad(month)}`, database: 'wms', sizeBytes: (36_000 + month * 400) * 1_000_000, sha256: sha(`ARC-2025-${pad(month)}`) }))
  }
  // The backup is checked every morning at 07:00.
  let lastSynced = ''
  for (let day = Date.UTC(2025, 0, 1); day <= Date.UTC(2025, 11, 31); day += 86_400_000) {
    const date = new Date(day).toISOString().slice(0, 10)
    if (!STALLED.has(date)) lastSynced = `${date} 06:40`
    steps.push(operation(`${date} 07:00`, `RecordBackupSyncCheck ${date}`, { type: 'RecordBackupSyncCheck', checkId: `SYNC-${date}`, lastSyncedAt: kz(lastSynced) }))
  }
  return steps
}

const contractWork: ReadonlyArray<ScenarioStep> = [
  ledger('2024-12-16 10:00', 'RegisterContract', {
    aggregate: 'contract',
    command: registerContract({
      contractId: CONTRACT,
      parties: {
        customer: { name: 'ТОО «Астана Логистик»', people: ['aigerim', 'bolat'] },
        supplier: { name: 'ТОО «Софт Сервис»', people: ['daniyar', 'erlan'] },
      },
      product: 'Складской учёт WMS 3',
      term: { start: '2025-01-01' as LocalDate, end: '2025-12-31' as LocalDate },
      timeZone: 'Asia/Almaty',
      value: kzt(120_000_000),
      calendarId: 'kz-5day',
      actor: daniyar,
      at: kz('2024-12-16 10:00'),
    }),
  }),
  ledger('2024-12-18 15:00', 'CountersignContract', { aggregate: 'contract', command: { type: 'CountersignContract', contractId: CONTRACT, actor: aigerim, at: kz('2024-12-18 15:00') } }),
]

/** The steps of every story, in time order (a stable sort keeps a story's same-instant steps in the order written). */
const inOrder = (steps: ReadonlyArray<ScenarioStep>): ReadonlyArray<ScenarioStep> =>
  steps.map((s, i) => [s, i] as const).sort(([a, i], [b, j]) => (a.at < b.at ? -1 : a.at > b.at ? 1 : i - j)).map(([s]) => s)

/** Redmine is polled a minute after each change the customer makes there. */
const redmineSteps = (): ReadonlyArray<ScenarioStep> =>
  issues.flatMap((issue) => [
    { at: addMinute(issue.createdAt), by: 'redmine' as const, label: `Redmine #${issue.id} filed` },
    ...issue.journals.map((j) => ({ at: addMinute(j.at), by: 'redmine' as const, label: `Redmine #${issue.id} journal ${j.id}` })),
  ])
const addMinute = (at: Instant) => instantOf(Date.parse(at) + 60_000)

/** The year; `ticketOf` names a mailed request's ticket as the mail intake will. */
export const demoScenario = (ticketOf: MailTicketOf): Scenario => ({
  contractId: CONTRACT,
  asOf: kz('2026-01-15 00:00'),
  contacts: [
    { personId: 'aigerim', party: 'customer', name: 'Айгерим Сапарова', address: 'aigerim@astana-logistic.kz', roles: ['contact'], locale: 'kk' },
    { personId: 'bolat', party: 'customer', name: 'Болат Ахметов', address: 'bolat@astana-logistic.kz', roles: [] },
    { personId: 'daniyar', party: 'supplier', name: 'Daniyar Seitkali', address: 'support@soft-service.kz', roles: ['support'], locale: 'en' },
    { personId: 'erlan', party: 'supplier', name: 'Ерлан Жумабеков', address: 'oncall@soft-service.kz', roles: ['on-call'] },
  ],
  redmine: {
    projectId: 7,
    project: 'astana-logistic',
    users: new Map([[RM_SUPPLIER, 'Софт Сервис (интеграция)'], [RM_AIGERIM, 'Айгерим Сапарова'], [RM_BOLAT, 'Болат Ахметов']]),
    issues,
  },
  steps: inOrder([...contractWork, ...redmineSteps(), ...redmineWork, ...mailWork(ticketOf), ...incidentWork, ...budgetWork, ...deliveryWork(ticketOf), ...operationsWork()]),
  planted: [
    { clause: 2, subject: `ticket ${rm(103)}`, why: 'filed on Friday at 17:20, deadline proposed on Monday' },
    { clause: 2, subject: `ticket ${rm(113)}`, why: 'proposed in time, agreed by the customer the next morning' },
    { clause: 3, subject: `ticket ${rm(107)}`, why: 'fixed four days after the agreed deadline' },
    { clause: 10, subject: 'quarter 2025-Q3', why: 'delivered on 16 October, six days late' },
    { clause: 12, subject: '2025-08', why: "August's archive was never made" },
    ...[...STALLED].map((date) => ({ clause: 13, subject: `SYNC-${date}`, why: 'the backup sync had stalled since 12 October' })),
  ],
  refused: { changeId: 'CH-4', why: 'approving it would pass the 15% cap' },
})

export const redmineUsers = { supplier: RM_SUPPLIER, customers: [{ redmineUserId: RM_AIGERIM, person: 'aigerim' }, { redmineUserId: RM_BOLAT, person: 'bolat' }] }
