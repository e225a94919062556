/** The words of the compliance report in Russian and English: one table, so both languages always say the same. */
import type { Language } from './report-format.js'

// model

/** Every word and phrase the rendered report prints, in one language. */
export interface ReportLabels {
  readonly title: string
  readonly contract: string
  readonly product: string
  readonly customer: string
  readonly supplier: string
  readonly period: string
  readonly asOf: string
  readonly timesIn: string
  readonly periodKinds: Readonly<Record<'month' | 'quarter' | 'contract-to-date', string>>
  readonly obligationsHeading: string
  readonly clause: string
  readonly obligation: string
  readonly total: string
  readonly met: string
  readonly breached: string
  readonly pending: string
  readonly subject: string
  readonly opened: string
  readonly due: string
  readonly verdict: string
  readonly detail: string
  readonly proof: string
  /** Evidence whose declared time was recorded later than the contract allows without a source. */
  readonly recordedLate: string
  readonly verdicts: Readonly<Record<'met' | 'breached' | 'pending', string>>
  readonly obligations: Readonly<Record<string, string>>
  readonly none: string
  readonly budgetHeading: string
  readonly value: string
  readonly cap: string
  readonly approvedOpen: string
  readonly spent: string
  readonly committed: string
  readonly remaining: string
  readonly used: string
  /** The customer's side of clause 11: committed as a share of the contract value, against the cap's share. */
  readonly valueUsed: string
  readonly refused: string
  readonly warnings: string
  readonly threshold: string
  readonly changes: string
  readonly change: string
  readonly amount: string
  readonly status: string
  readonly deliveriesHeading: string
  readonly quarter: string
  readonly delivery: string
  readonly version: string
  readonly checksum: string
  readonly late: string
  readonly missing: string
  readonly changesLeftOut: string
  readonly changesAwaiting: string
  readonly skippedBy: string
  readonly acceptedAt: string
  readonly incidentsHeading: string
  readonly incident: string
  readonly reported: string
  readonly demanded: string
  readonly arrived: string
  readonly restored: string
  readonly arrival: string
  readonly failureReport: string
  readonly reportStatuses: Readonly<Record<'awaited' | 'submitted' | 'returned' | 'accepted', string>>
  readonly assumptionsHeading: string
  readonly rule: string
  readonly ruleValue: string
  readonly source: string
  readonly sources: Readonly<Record<'default' | 'agreed', string>>
  readonly from: string
  readonly rules: Readonly<Record<string, string>>
  readonly closed: string
  readonly yes: string
  readonly no: string
  readonly chartObligations: string
  readonly chartBudget: string
}

// constructors

/** The report's labels in each language the report is rendered in. */
export const reportLabels: Readonly<Record<Language, ReportLabels>> = {
  en: {
    title: 'Compliance report', contract: 'Contract', product: 'Product', customer: 'Customer', supplier: 'Supplier', period: 'Period', asOf: 'As of', timesIn: 'Times in',
    periodKinds: { month: 'month', quarter: 'quarter', 'contract-to-date': 'contract to date' },
    obligationsHeading: 'Obligations', clause: 'Clause', obligation: 'Obligation', total: 'Total', met: 'Met', breached: 'Breached', pending: 'Pending',
    subject: 'Subject', opened: 'Opened', due: 'Due', verdict: 'Verdict', detail: 'Detail', proof: 'Proving events', recordedLate: 'recorded late',
    verdicts: { met: 'met', breached: 'breached', pending: 'pending' },
    obligations: {
      consultation: 'Consultations, unlimited', 'deadline-proposal': 'Deadline set and agreed within 2 hours', 'agreed-deadline': 'Result by the agreed deadline',
      'on-site-arrival': 'On site within 3 hours', 'failure-report': 'Failure report', 'database-move': 'Database moves', 'test-stand': 'Test stands at the delivered version',
      'quarterly-delivery': 'Quarterly delivery', 'customization-cap': 'Customizations within the cap', archiving: 'Database archiving', 'backup-sync': 'Backup synchronisation',
    },
    none: 'none',
    budgetHeading: 'Customization budget', value: 'Contract value', cap: 'Cap', approvedOpen: 'Approved, not yet accepted', spent: 'Spent (accepted)', committed: 'Committed',
    remaining: 'Remaining', used: 'Used', valueUsed: 'Share of the contract value committed', refused: 'Refused changes', warnings: 'Warnings', threshold: 'Threshold', changes: 'Changes', change: 'Change', amount: 'Amount', status: 'Status',
    deliveriesHeading: 'Quarterly deliveries', quarter: 'Quarter', delivery: 'Delivery', version: 'Version', checksum: 'SHA-256', late: 'late', missing: 'missing',
    changesLeftOut: 'Accepted changes left out of every delivery', changesAwaiting: 'Accepted changes awaiting the next delivery', skippedBy: 'Skipped by', acceptedAt: 'Accepted',
    incidentsHeading: 'Incidents', incident: 'Incident', reported: 'Reported', demanded: 'On-site demanded', arrived: 'Engineer arrived', restored: 'Restored', arrival: 'Arrival',
    failureReport: 'Failure report',
    reportStatuses: { awaited: 'awaited', submitted: 'submitted', returned: 'returned', accepted: 'accepted' },
    assumptionsHeading: 'Rules the contract does not state in numbers',
    rule: 'Rule',
    ruleValue: 'Value',
    source: 'Source',
    sources: { default: 'default', agreed: 'agreed by both parties' },
    from: 'From',
    rules: {
      failureReportWindow: 'Failure report due after the failure is reported',
      deliveryGraceDays: 'Days after a quarter for its delivery',
      archiving: 'Archiving cadence',
      backupLagLimitMinutes: 'Backup lag limit and check interval, minutes',
      testStandWindow: 'Test stand brought to a delivered version within',
    },
    closed: 'Closed', yes: 'yes', no: 'no', chartObligations: 'Verdicts by obligation', chartBudget: 'Budget use against the cap',
  },
  ru: {
    title: 'Отчёт об исполнении договора', contract: 'Договор', product: 'Продукт', customer: 'Заказчик', supplier: 'Поставщик', period: 'Период', asOf: 'По состоянию на', timesIn: 'Время по зоне',
    periodKinds: { month: 'месяц', quarter: 'квартал', 'contract-to-date': 'с начала договора' },
    obligationsHeading: 'Обязательства', clause: 'Пункт', obligation: 'Обязательство', total: 'Всего', met: 'Исполнено', breached: 'Нарушено', pending: 'В работе',
    subject: 'Предмет', opened: 'Начало', due: 'Срок', verdict: 'Итог', detail: 'Подробности', proof: 'Доказывающие события', recordedLate: 'внесено с опозданием',
    verdicts: { met: 'исполнено', breached: 'нарушено', pending: 'в работе' },
    obligations: {
      consultation: 'Консультации без ограничений', 'deadline-proposal': 'Срок назначен и согласован в течение 2 часов', 'agreed-deadline': 'Результат к согласованному сроку',
      'on-site-arrival': 'Прибытие на место в течение 3 часов', 'failure-report': 'Отчёт о сбое', 'database-move': 'Перенос баз данных', 'test-stand': 'Стенды на сданной версии',
      'quarterly-delivery': 'Ежеквартальная сдача в программный фонд', 'customization-cap': 'Доработки в пределах лимита', archiving: 'Архивация баз данных', 'backup-sync': 'Синхронизация с резервной базой',
    },
    none: 'нет',
    budgetHeading: 'Бюджет доработок', value: 'Сумма договора', cap: 'Лимит', approvedOpen: 'Одобрено, не принято', spent: 'Израсходовано (принято)', committed: 'Обязательства',
    remaining: 'Остаток', used: 'Использовано', valueUsed: 'Доля суммы договора в обязательствах', refused: 'Отклонённые доработки', warnings: 'Предупреждения', threshold: 'Порог', changes: 'Доработки', change: 'Доработка', amount: 'Сумма', status: 'Статус',
    deliveriesHeading: 'Ежеквартальные сдачи', quarter: 'Квартал', delivery: 'Сдача', version: 'Версия', checksum: 'SHA-256', late: 'с опозданием', missing: 'отсутствует',
    changesLeftOut: 'Принятые изменения, не вошедшие ни в одну сдачу', changesAwaiting: 'Принятые изменения, ожидающие следующей сдачи', skippedBy: 'Пропущено в', acceptedAt: 'Принято',
    incidentsHeading: 'Инциденты', incident: 'Инцидент', reported: 'Зарегистрирован', demanded: 'Вызов на место', arrived: 'Прибытие инженера', restored: 'Восстановлено', arrival: 'Прибытие',
    failureReport: 'Отчёт о сбое',
    reportStatuses: { awaited: 'ожидается', submitted: 'представлен', returned: 'возвращён', accepted: 'принят' },
    assumptionsHeading: 'Правила, которых договор не задаёт числом',
    rule: 'Правило',
    ruleValue: 'Значение',
    source: 'Источник',
    sources: { default: 'по умолчанию', agreed: 'согласовано сторонами' },
    from: 'С даты',
    rules: {
      failureReportWindow: 'Отчёт о сбое — срок от сообщения о сбое',
      deliveryGraceDays: 'Дней после квартала на сдачу',
      archiving: 'Периодичность архивации',
      backupLagLimitMinutes: 'Предельное отставание резервной базы и интервал проверки, минут',
      testStandWindow: 'Стенд приводится к сданной версии за',
    },
    closed: 'Закрыт', yes: 'да', no: 'нет', chartObligations: 'Итоги по обязательствам', chartBudget: 'Использование лимита доработок',
  },
}

// operations

/** The obligation's name in the language, or its key when the table has none. */
export const obligationLabel = (labels: ReportLabels, obligation: string): string => labels.obligations[obligation] ?? obligation
