/** The words of the notes the ledger writes in Redmine, in Russian and English. */
import { formatInstant, type Instant } from '@support-ledger/core'

// model

export type NoteLanguage = 'ru' | 'en'

// operations

const pick = (language: NoteLanguage, ru: string, en: string): string => (language === 'ru' ? ru : en)

export const rejectionNote = (language: NoteLanguage, reason: string): string =>
  pick(language, `Учёт не принял это действие: ${reason}`, `The ledger could not apply this action: ${reason}`)

export const deadlineProposedNote = (language: NoteLanguage, deadline: Instant, timeZone: string, how: string, note?: string): string =>
  [
    pick(language, `Предлагаемый срок исправления: ${formatInstant(deadline, timeZone)} (${timeZone}).`, `Proposed fix deadline: ${formatInstant(deadline, timeZone)} (${timeZone}).`),
    ...(note === undefined || note === '' ? [] : [note]),
    how,
  ].join('\n')

export const deadlineAgreedNote = (language: NoteLanguage, deadline: Instant, timeZone: string): string =>
  pick(language, `Срок согласован: ${formatInstant(deadline, timeZone)} (${timeZone}).`, `Deadline agreed: ${formatInstant(deadline, timeZone)} (${timeZone}).`)

export const deadlineRejectedNote = (language: NoteLanguage, reason: string): string =>
  pick(language, `Предложенный срок отклонён: ${reason}. Поставщик предложит новый.`, `Proposed deadline rejected: ${reason}. The supplier will propose another.`)

export const deadlineChangeNote = (language: NoteLanguage, deadline: Instant, timeZone: string, reason: string): string =>
  pick(
    language,
    `Предложен перенос согласованного срока на ${formatInstant(deadline, timeZone)} (${timeZone}): ${reason}`,
    `A change of the agreed deadline to ${formatInstant(deadline, timeZone)} (${timeZone}) is proposed: ${reason}`,
  )

export const resultDeliveredNote = (language: NoteLanguage, summary: string, how: string): string =>
  [pick(language, `Результат передан: ${summary}`, `Result delivered: ${summary}`), how].join('\n')

export const resultAcceptedNote = (language: NoteLanguage): string => pick(language, 'Результат принят заказчиком.', 'The customer accepted the result.')

export const resultRejectedNote = (language: NoteLanguage, reason: string): string =>
  pick(language, `Результат отклонён заказчиком: ${reason}. Обращение снова открыто.`, `The customer rejected the result: ${reason}. The request is open again.`)

export const questionNote = (language: NoteLanguage, question: string, how: string): string =>
  [pick(language, `Вопрос заказчику: ${question}`, `Question to the customer: ${question}`), how].join('\n')

export const answerNote = (language: NoteLanguage): string => pick(language, 'Ответ заказчика получен.', "The customer's answer is recorded.")

export const slaNote = (language: NoteLanguage, obligation: string, status: 'warned' | 'breached', dueAt: Instant | undefined, timeZone: string, percent?: number): string => {
  const due = dueAt === undefined ? '' : ` ${pick(language, 'Срок', 'Due')}: ${formatInstant(dueAt, timeZone)} (${timeZone}).`
  return status === 'breached'
    ? pick(language, `Нарушен срок обязательства «${obligation}».${due}`, `Obligation "${obligation}" is breached.${due}`)
    : pick(language, `Обязательство «${obligation}»: прошло ${percent ?? 0}% отведённого времени.${due}`, `Obligation "${obligation}": ${percent ?? 0}% of its window has passed.${due}`)
}

export const incidentNote = (step: string, detail: string): string => (detail === '' ? step : `${step}: ${detail}`)

export const incidentSteps: Readonly<Record<NoteLanguage, Readonly<Record<string, string>>>> = {
  ru: {
    OnSiteDemanded: 'Заказчик потребовал выезда специалиста',
    EngineerArrived: 'Специалист прибыл на место',
    ServiceRestored: 'Работоспособность восстановлена',
    FailureReportSubmitted: 'Отчёт о сбое представлен',
    FailureReportReturned: 'Отчёт о сбое возвращён на доработку',
    FailureReportAccepted: 'Отчёт о сбое принят',
    IncidentClosed: 'Инцидент закрыт',
  },
  en: {
    OnSiteDemanded: 'The customer demanded an engineer on site',
    EngineerArrived: 'The engineer arrived on site',
    ServiceRestored: 'Service restored',
    FailureReportSubmitted: 'Failure report submitted',
    FailureReportReturned: 'Failure report returned for rework',
    FailureReportAccepted: 'Failure report accepted',
    IncidentClosed: 'Incident closed',
  },
}
