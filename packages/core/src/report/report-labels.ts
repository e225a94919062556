/** The words of the compliance report in Russian, Kazakh and English: one table, so every language always says the same. */
import type { ReportLanguage } from './report-format.js'

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
  /** `All times are local time in {zone} ({offset}).`: said once, at the top. */
  readonly timeZoneNote: string
  readonly headlineHeading: string
  readonly overall: string
  readonly compliance: string
  readonly complianceNote: string
  /** `{met} met, {breached} breached, {pending} pending`. */
  readonly verdictCounts: string
  readonly noVerdicts: string
  readonly breachesHeading: string
  readonly reason: string
  readonly noBreaches: string
  /** `{n} more`: the breaches folded under the first ones. */
  readonly moreBreaches: string
  readonly chartsHeading: string
  readonly chartTrend: string
  readonly detailsHeading: string
  /** `{n} met, shown on demand`: the summary line of a folded list. */
  readonly foldedMet: string
  readonly evidenceHeading: string
  readonly evidenceNote: string
  readonly eventId: string
  readonly eventType: string
  readonly time: string
  readonly role: string
  readonly roles: Readonly<Record<'started' | 'retargeted' | 'paused' | 'resumed' | 'proposed' | 'delivered' | 'rejected' | 'stopped' | 'accepted' | 'warning' | 'cancelled' | 'change', string>>
  readonly changeStatuses: Readonly<Record<'estimated' | 'approved' | 'delivered' | 'accepted' | 'cancelled', string>>
  readonly deliveryStatuses: Readonly<Record<string, string>>
  readonly parties: Readonly<Record<'customer' | 'supplier', string>>
  readonly sourceKinds: Readonly<Record<'redmine' | 'email' | 'document', string>>
  readonly changeKinds: Readonly<Record<'fix' | 'customization', string>>
  readonly cadences: Readonly<Record<'weekly' | 'monthly' | 'quarterly', string>>
  readonly moveTargets: Readonly<Record<'new-servers' | 'backup-servers', string>>
  /** `{n} business minutes` and `{n} minutes` of elapsed time. */
  readonly minutes: Readonly<Record<'business' | 'elapsed', string>>
  /** What a verdict's subject and detail say, as templates over the values the report gives. */
  readonly subjects: Readonly<Record<'ticket' | 'incident' | 'quarter' | 'change' | 'overCap' | 'standRegistered' | 'noStandAt' | 'standAt' | 'gapAfter' | 'nextCheckAfter' | 'termStart', string>>
  readonly details: Readonly<
    Record<
      | 'answered' | 'awaitingAnswer' | 'warnedAt' | 'noDeadlineAgreed' | 'awaitingAcceptance' | 'proposedAt' | 'notAgreed' | 'agreedAt' | 'overCap' | 'outsideBudget'
      | 'archived' | 'noVerification' | 'lag' | 'awaitingNextCheck' | 'noStand' | 'standRegistered' | 'noStandWhenDelivered' | 'broughtTo' | 'stepsVerified',
      string
    >
  >
  /** The reason a breach gives when its row says nothing more. */
  readonly dueWithout: string
  readonly bytes: string
}

// constructors

/** The report's labels in each language the report is rendered in. */
export const reportLabels: Readonly<Record<ReportLanguage, ReportLabels>> = {
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
    closed: 'Closed', yes: 'yes', no: 'no', chartObligations: 'Verdicts by obligation, on one scale', chartBudget: 'Budget use against the cap',
    timeZoneNote: 'All times are local time in {zone} ({offset}).',
    headlineHeading: 'Summary', overall: 'Overall compliance', compliance: 'Compliance',
    complianceNote: 'Compliance is the share of met verdicts among the decided ones (met and breached); pending ones are not counted.',
    verdictCounts: '{met} met, {breached} breached, {pending} pending', noVerdicts: 'no verdict yet',
    breachesHeading: 'Breaches', reason: 'Reason', noBreaches: 'No obligation was breached.', moreBreaches: '{n} more',
    chartsHeading: 'Charts', chartTrend: 'Verdicts by quarter of the contract', detailsHeading: 'Verdicts in detail', foldedMet: '{n} met, shown on demand',
    evidenceHeading: 'Evidence', evidenceNote: 'Every event a verdict cites, by its full id.', eventId: 'Event id', eventType: 'Event', time: 'Time', role: 'Role in the verdict',
    roles: { started: 'started the clock', retargeted: 'changed the window', paused: 'paused the clock', resumed: 'resumed the clock', proposed: 'proposed a deadline', delivered: 'delivered a result', rejected: 'rejected', stopped: 'stopped the clock', accepted: 'accepted', warning: 'crossed a warning threshold', cancelled: 'cancelled a change', change: 'a step of a change' },
    changeStatuses: { estimated: 'estimated', approved: 'approved', delivered: 'delivered', accepted: 'accepted', cancelled: 'cancelled' },
    deliveryStatuses: { delivered: 'recorded', accepted: 'accepted', rejected: 'rejected' },
    parties: { customer: 'customer', supplier: 'supplier' },
    sourceKinds: { redmine: 'Redmine', email: 'e-mail', document: 'document' },
    changeKinds: { fix: 'fix', customization: 'customization' },
    cadences: { weekly: 'weekly', monthly: 'monthly', quarterly: 'quarterly' },
    moveTargets: { 'new-servers': 'to new servers', 'backup-servers': 'to backup servers' },
    minutes: { business: '{n} business minutes', elapsed: '{n} minutes' },
    subjects: {
      ticket: 'request {id}', incident: 'incident {id}', quarter: 'quarter {id}', change: 'change {id}', overCap: 'commitments above the cap', standRegistered: 'test stand registered',
      noStandAt: 'no test stand at {version}', standAt: '{id} at {version}', gapAfter: 'gap after {ref}', nextCheckAfter: 'next check after {ref}', termStart: 'the term\'s start',
    },
    details: {
      answered: 'answered', awaitingAnswer: 'awaiting an answer', warnedAt: 'warned at {share}', noDeadlineAgreed: 'no deadline agreed', awaitingAcceptance: 'awaiting acceptance',
      proposedAt: 'proposed {at}', notAgreed: 'not agreed', agreedAt: 'agreed {at}', overCap: '{committed} committed against a cap of {cap}', outsideBudget: 'modernization handed over outside the budget',
      archived: 'archive {id}, {size}, SHA-256 {sha}…', noVerification: 'no verification within the limit', lag: 'lag {lag} min, limit {limit} min', awaitingNextCheck: 'awaiting the next verification',
      noStand: 'no test stand registered', standRegistered: '{id} registered', noStandWhenDelivered: 'no test stand registered when delivered', broughtTo: '{id} brought to {version}', stepsVerified: '{done} of {all} steps verified',
    },
    dueWithout: 'the due time passed without the event that meets it', bytes: 'B',
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
    closed: 'Закрыт', yes: 'да', no: 'нет', chartObligations: 'Итоги по обязательствам, в одном масштабе', chartBudget: 'Использование лимита доработок',
    timeZoneNote: 'Всё время местное, по зоне {zone} ({offset}).',
    headlineHeading: 'Сводка', overall: 'Общий уровень исполнения', compliance: 'Исполнение',
    complianceNote: 'Исполнение — доля исполненных среди решённых (исполнено и нарушено); обязательства в работе не учитываются.',
    verdictCounts: 'исполнено: {met}, нарушено: {breached}, в работе: {pending}', noVerdicts: 'итогов пока нет',
    breachesHeading: 'Нарушения', reason: 'Причина', noBreaches: 'Нарушений нет.', moreBreaches: 'ещё {n}',
    chartsHeading: 'Диаграммы', chartTrend: 'Итоги по кварталам договора', detailsHeading: 'Итоги подробно', foldedMet: 'исполнено: {n}, показать по запросу',
    evidenceHeading: 'Доказательства', evidenceNote: 'Все события, на которые ссылаются итоги, с полными идентификаторами.', eventId: 'Идентификатор события', eventType: 'Событие', time: 'Время', role: 'Роль в итоге',
    roles: { started: 'запустило отсчёт', retargeted: 'изменило срок', paused: 'приостановило отсчёт', resumed: 'возобновило отсчёт', proposed: 'предложило срок', delivered: 'передало результат', rejected: 'отклонило', stopped: 'остановило отсчёт', accepted: 'приняло', warning: 'достигнут порог предупреждения', cancelled: 'отменило доработку', change: 'шаг доработки' },
    changeStatuses: { estimated: 'оценена', approved: 'одобрена', delivered: 'передана', accepted: 'принята', cancelled: 'отменена' },
    deliveryStatuses: { delivered: 'сдана', accepted: 'принята', rejected: 'отклонена' },
    parties: { customer: 'заказчик', supplier: 'поставщик' },
    sourceKinds: { redmine: 'Redmine', email: 'эл. письмо', document: 'документ' },
    changeKinds: { fix: 'исправление', customization: 'доработка' },
    cadences: { weekly: 'еженедельно', monthly: 'ежемесячно', quarterly: 'ежеквартально' },
    moveTargets: { 'new-servers': 'на новые серверы', 'backup-servers': 'на резервные серверы' },
    minutes: { business: '{n} рабочих минут', elapsed: '{n} календарных минут' },
    subjects: {
      ticket: 'заявка {id}', incident: 'инцидент {id}', quarter: 'квартал {id}', change: 'доработка {id}', overCap: 'обязательства сверх лимита', standRegistered: 'регистрация стенда',
      noStandAt: 'нет стенда на версии {version}', standAt: '{id} на версии {version}', gapAfter: 'перерыв после {ref}', nextCheckAfter: 'следующая проверка после {ref}', termStart: 'начала срока',
    },
    details: {
      answered: 'ответ дан', awaitingAnswer: 'ожидает ответа', warnedAt: 'предупреждение на {share}', noDeadlineAgreed: 'срок не согласован', awaitingAcceptance: 'ожидает приёмки',
      proposedAt: 'предложен {at}', notAgreed: 'не согласован', agreedAt: 'согласован {at}', overCap: 'обязательства {committed} при лимите {cap}', outsideBudget: 'модернизация передана вне бюджета доработок',
      archived: 'архив {id}, {size}, SHA-256 {sha}…', noVerification: 'нет проверки в пределах лимита', lag: 'отставание {lag} мин, предел {limit} мин', awaitingNextCheck: 'ожидается следующая проверка',
      noStand: 'стенд не зарегистрирован', standRegistered: 'стенд {id} зарегистрирован', noStandWhenDelivered: 'при сдаче стенд не был зарегистрирован', broughtTo: '{id} обновлён до {version}', stepsVerified: 'проверено шагов: {done} из {all}',
    },
    dueWithout: 'срок истёк без события, исполняющего обязательство', bytes: 'Б',
  },
  kk: {
    title: 'Шарттың орындалуы туралы есеп', contract: 'Шарт', product: 'Өнім', customer: 'Тапсырыс беруші', supplier: 'Жеткізуші', period: 'Кезең', asOf: 'Жағдай бойынша', timesIn: 'Уақыт белдеуі',
    periodKinds: { month: 'ай', quarter: 'тоқсан', 'contract-to-date': 'шарттың басынан бері' },
    obligationsHeading: 'Міндеттемелер', clause: 'Тармақ', obligation: 'Міндеттеме', total: 'Барлығы', met: 'Орындалды', breached: 'Бұзылды', pending: 'Орындалуда',
    subject: 'Нысаны', opened: 'Басталуы', due: 'Мерзімі', verdict: 'Қорытынды', detail: 'Толығырақ', proof: 'Дәлелдейтін оқиғалар', recordedLate: 'кешігіп енгізілді',
    verdicts: { met: 'орындалды', breached: 'бұзылды', pending: 'орындалуда' },
    obligations: {
      consultation: 'Шектеусіз кеңес беру', 'deadline-proposal': 'Мерзім 2 сағат ішінде белгіленіп, келісілді', 'agreed-deadline': 'Нәтиже келісілген мерзімге дейін',
      'on-site-arrival': 'Орынға 3 сағат ішінде келу', 'failure-report': 'Ақау туралы есеп', 'database-move': 'Дерекқорларды көшіру', 'test-stand': 'Тапсырылған нұсқадағы сынақ стендтері',
      'quarterly-delivery': 'Бағдарламалар қорына тоқсан сайынғы тапсыру', 'customization-cap': 'Лимит шегіндегі пысықтаулар', archiving: 'Дерекқорларды мұрағаттау', 'backup-sync': 'Резервтік дерекқормен синхрондау',
    },
    none: 'жоқ',
    budgetHeading: 'Пысықтаулар бюджеті', value: 'Шарт сомасы', cap: 'Лимит', approvedOpen: 'Мақұлданған, әлі қабылданбаған', spent: 'Жұмсалды (қабылданған)', committed: 'Міндеттемелер',
    remaining: 'Қалдық', used: 'Пайдаланылды', valueUsed: 'Міндеттемелердегі шарт сомасының үлесі', refused: 'Бас тартылған пысықтаулар', warnings: 'Ескертулер', threshold: 'Шегі', changes: 'Пысықтаулар', change: 'Пысықтау', amount: 'Сомасы', status: 'Мәртебесі',
    deliveriesHeading: 'Тоқсан сайынғы тапсырулар', quarter: 'Тоқсан', delivery: 'Тапсыру', version: 'Нұсқа', checksum: 'SHA-256', late: 'кешігіп', missing: 'тапсырылмаған',
    changesLeftOut: 'Ешбір тапсыруға енбеген қабылданған өзгерістер', changesAwaiting: 'Келесі тапсыруды күтіп тұрған қабылданған өзгерістер', skippedBy: 'Енбеген тапсыру', acceptedAt: 'Қабылданды',
    incidentsHeading: 'Инциденттер', incident: 'Инцидент', reported: 'Тіркелді', demanded: 'Орынға шақыру', arrived: 'Инженердің келуі', restored: 'Қалпына келтірілді', arrival: 'Келу',
    failureReport: 'Ақау туралы есеп',
    reportStatuses: { awaited: 'күтілуде', submitted: 'ұсынылды', returned: 'қайтарылды', accepted: 'қабылданды' },
    assumptionsHeading: 'Шарт санмен белгілемейтін ережелер',
    rule: 'Ереже',
    ruleValue: 'Мәні',
    source: 'Дереккөзі',
    sources: { default: 'әдепкі', agreed: 'тараптар келіскен' },
    from: 'Күнінен бастап',
    rules: {
      failureReportWindow: 'Ақау туралы есеп — ақау хабарланғаннан бастап мерзім',
      deliveryGraceDays: 'Тоқсан аяқталғаннан кейін тапсыруға берілетін күндер',
      archiving: 'Мұрағаттау жиілігі',
      backupLagLimitMinutes: 'Резервтік дерекқордың шекті артта қалуы және тексеру аралығы, минут',
      testStandWindow: 'Стенд тапсырылған нұсқаға келтірілетін мерзім',
    },
    closed: 'Жабылды', yes: 'иә', no: 'жоқ', chartObligations: 'Міндеттемелер бойынша қорытындылар, бір масштабта', chartBudget: 'Пысықтаулар лимитінің пайдаланылуы',
    timeZoneNote: 'Барлық уақыт {zone} белдеуі бойынша жергілікті уақыт ({offset}).',
    headlineHeading: 'Қысқаша қорытынды', overall: 'Жалпы орындалу деңгейі', compliance: 'Орындалуы',
    complianceNote: 'Орындалуы — шешілген қорытындылар (орындалған және бұзылған) ішіндегі орындалғандардың үлесі; орындалудағылар есепке алынбайды.',
    verdictCounts: 'орындалды: {met}, бұзылды: {breached}, орындалуда: {pending}', noVerdicts: 'әзірге қорытынды жоқ',
    breachesHeading: 'Бұзушылықтар', reason: 'Себебі', noBreaches: 'Бұзушылықтар жоқ.', moreBreaches: 'тағы {n}',
    chartsHeading: 'Диаграммалар', chartTrend: 'Шарт тоқсандары бойынша қорытындылар', detailsHeading: 'Қорытындылар толығырақ', foldedMet: 'орындалды: {n}, сұрау бойынша көрсетіледі',
    evidenceHeading: 'Дәлелдер', evidenceNote: 'Қорытындылар сілтеме жасайтын барлық оқиғалар, толық идентификаторларымен.', eventId: 'Оқиға идентификаторы', eventType: 'Оқиға', time: 'Уақыты', role: 'Қорытындыдағы рөлі',
    roles: { started: 'есептеуді бастады', retargeted: 'мерзімді өзгертті', paused: 'есептеуді тоқтата тұрды', resumed: 'есептеуді жалғастырды', proposed: 'мерзім ұсынды', delivered: 'нәтижені тапсырды', rejected: 'қабылдамады', stopped: 'есептеуді тоқтатты', accepted: 'қабылдады', warning: 'ескерту шегіне жетті', cancelled: 'пысықтауды тоқтатты', change: 'пысықтау қадамы' },
    changeStatuses: { estimated: 'бағаланды', approved: 'мақұлданды', delivered: 'тапсырылды', accepted: 'қабылданды', cancelled: 'тоқтатылды' },
    deliveryStatuses: { delivered: 'тапсырылды', accepted: 'қабылданды', rejected: 'қабылданбады' },
    parties: { customer: 'тапсырыс беруші', supplier: 'жеткізуші' },
    sourceKinds: { redmine: 'Redmine', email: 'электрондық хат', document: 'құжат' },
    changeKinds: { fix: 'түзету', customization: 'пысықтау' },
    cadences: { weekly: 'апта сайын', monthly: 'ай сайын', quarterly: 'тоқсан сайын' },
    moveTargets: { 'new-servers': 'жаңа серверлерге', 'backup-servers': 'резервтік серверлерге' },
    minutes: { business: '{n} жұмыс минуты', elapsed: '{n} күнтізбелік минут' },
    subjects: {
      ticket: '{id} өтінімі', incident: '{id} инциденті', quarter: '{id} тоқсаны', change: '{id} пысықтауы', overCap: 'лимиттен асқан міндеттемелер', standRegistered: 'стендті тіркеу',
      noStandAt: '{version} нұсқасында стенд жоқ', standAt: '{id}, {version} нұсқасы', gapAfter: '{ref} кейінгі үзіліс', nextCheckAfter: '{ref} кейінгі келесі тексеру', termStart: 'мерзім басталғаннан',
    },
    details: {
      answered: 'жауап берілді', awaitingAnswer: 'жауап күтілуде', warnedAt: '{share} кезінде ескерту', noDeadlineAgreed: 'мерзім келісілмеген', awaitingAcceptance: 'қабылдау күтілуде',
      proposedAt: 'ұсынылды: {at}', notAgreed: 'келісілмеген', agreedAt: 'келісілді: {at}', overCap: '{cap} лимитінде міндеттемелер {committed}', outsideBudget: 'жаңғырту пысықтаулар бюджетінен тыс тапсырылды',
      archived: '{id} мұрағаты, {size}, SHA-256 {sha}…', noVerification: 'лимит ішінде тексеру болмады', lag: 'артта қалу {lag} мин, шегі {limit} мин', awaitingNextCheck: 'келесі тексеру күтілуде',
      noStand: 'стенд тіркелмеген', standRegistered: '{id} стенді тіркелді', noStandWhenDelivered: 'тапсыру кезінде стенд тіркелмеген', broughtTo: '{id} {version} нұсқасына жаңартылды', stepsVerified: '{all} қадамның {done} тексерілді',
    },
    dueWithout: 'мерзім міндеттемені орындайтын оқиғасыз өтті', bytes: 'Б',
  },
}

// operations

/** The obligation's name in the language, or its key when the table has none. */
export const obligationLabel = (labels: ReportLabels, obligation: string): string => labels.obligations[obligation] ?? obligation

/** Puts values into a label's `{name}` places; a place with no value stays as written, so a missing one shows. */
export const fillLabel = (template: string, values: Readonly<Record<string, string | number>>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole))
