/** What each recorded event is called in the report's evidence appendix, in every language: the type checker holds each table to every event type. */
import type { ReportLanguage } from './report-format.js'
import type { LedgerEvent } from './ledger-events.js'

// model

/** The name of every event type in one language, as the evidence appendix shows it. */
export type EventNames = Readonly<Record<LedgerEvent['type'], string>>

// constructors

/** The names of the event types in each report language. */
export const reportEventNames: Readonly<Record<ReportLanguage, EventNames>> = {
  en: {
    ContractProposed: 'Contract proposed', ContractCountersigned: 'Contract countersigned', ContractRegistered: 'Contract registered', ContractAmended: 'Contract amended',
    AmendmentProposed: 'Amendment proposed', AmendmentCountersigned: 'Amendment countersigned',
    RequestFiled: 'Request filed', PriorityChanged: 'Priority changed', DeadlineProposed: 'Deadline proposed', DeadlineAgreed: 'Deadline agreed', DeadlineRejected: 'Deadline rejected',
    DeadlineChangeProposed: 'Deadline change proposed', DeadlineChangeAgreed: 'Deadline change agreed', DeadlineChangeDeclined: 'Deadline change declined',
    ResultDelivered: 'Result delivered', ResultAccepted: 'Result accepted', ResultRejected: 'Result rejected', CustomerAsked: 'Customer asked', QuestionAnswered: 'Question answered',
    FailureReported: 'Failure reported', OnSiteDemanded: 'On-site visit demanded', EngineerArrived: 'Engineer arrived', ServiceRestored: 'Service restored',
    FailureReportSubmitted: 'Failure report submitted', FailureReportReturned: 'Failure report returned', FailureReportAccepted: 'Failure report accepted', IncidentClosed: 'Incident closed',
    ChangeEstimated: 'Change estimated', ChangeApproved: 'Change approved', CapWarningReached: 'Cap warning reached', ChangeDelivered: 'Change delivered', ChangeAccepted: 'Change accepted', ChangeCancelled: 'Change cancelled',
    DeliveryRecorded: 'Delivery recorded', DeliveryAccepted: 'Delivery accepted', DeliveryRejected: 'Delivery rejected',
    OperationsPolicySet: 'Operations policy set', DatabaseArchived: 'Database archived', BackupSyncVerified: 'Backup sync verified', TestStandRegistered: 'Test stand registered',
    TestStandUpdated: 'Test stand updated', DatabaseMovePlanned: 'Database move planned', MoveStepExecuted: 'Move step executed', MoveStepVerified: 'Move step verified',
  },
  ru: {
    ContractProposed: 'Договор предложен', ContractCountersigned: 'Договор подписан второй стороной', ContractRegistered: 'Договор зарегистрирован', ContractAmended: 'Договор изменён',
    AmendmentProposed: 'Изменение предложено', AmendmentCountersigned: 'Изменение подписано второй стороной',
    RequestFiled: 'Заявка подана', PriorityChanged: 'Приоритет изменён', DeadlineProposed: 'Срок предложен', DeadlineAgreed: 'Срок согласован', DeadlineRejected: 'Срок отклонён',
    DeadlineChangeProposed: 'Перенос срока предложен', DeadlineChangeAgreed: 'Перенос срока согласован', DeadlineChangeDeclined: 'Перенос срока отклонён',
    ResultDelivered: 'Результат передан', ResultAccepted: 'Результат принят', ResultRejected: 'Результат отклонён', CustomerAsked: 'Вопрос заказчику', QuestionAnswered: 'Ответ на вопрос',
    FailureReported: 'Сообщение о сбое', OnSiteDemanded: 'Вызов на место', EngineerArrived: 'Инженер прибыл', ServiceRestored: 'Работа восстановлена',
    FailureReportSubmitted: 'Отчёт о сбое представлен', FailureReportReturned: 'Отчёт о сбое возвращён', FailureReportAccepted: 'Отчёт о сбое принят', IncidentClosed: 'Инцидент закрыт',
    ChangeEstimated: 'Доработка оценена', ChangeApproved: 'Доработка одобрена', CapWarningReached: 'Достигнут порог лимита', ChangeDelivered: 'Доработка передана', ChangeAccepted: 'Доработка принята', ChangeCancelled: 'Доработка отменена',
    DeliveryRecorded: 'Сдача зарегистрирована', DeliveryAccepted: 'Сдача принята', DeliveryRejected: 'Сдача отклонена',
    OperationsPolicySet: 'Правила эксплуатации заданы', DatabaseArchived: 'База данных архивирована', BackupSyncVerified: 'Синхронизация резервной базы проверена', TestStandRegistered: 'Стенд зарегистрирован',
    TestStandUpdated: 'Стенд обновлён', DatabaseMovePlanned: 'Перенос базы данных запланирован', MoveStepExecuted: 'Шаг переноса выполнен', MoveStepVerified: 'Шаг переноса проверен',
  },
  kk: {
    ContractProposed: 'Шарт ұсынылды', ContractCountersigned: 'Шартқа екінші тарап қол қойды', ContractRegistered: 'Шарт тіркелді', ContractAmended: 'Шарт өзгертілді',
    AmendmentProposed: 'Өзгеріс ұсынылды', AmendmentCountersigned: 'Өзгеріске екінші тарап қол қойды',
    RequestFiled: 'Өтінім берілді', PriorityChanged: 'Басымдық өзгертілді', DeadlineProposed: 'Мерзім ұсынылды', DeadlineAgreed: 'Мерзім келісілді', DeadlineRejected: 'Мерзім қабылданбады',
    DeadlineChangeProposed: 'Мерзімді ауыстыру ұсынылды', DeadlineChangeAgreed: 'Мерзімді ауыстыру келісілді', DeadlineChangeDeclined: 'Мерзімді ауыстыру қабылданбады',
    ResultDelivered: 'Нәтиже тапсырылды', ResultAccepted: 'Нәтиже қабылданды', ResultRejected: 'Нәтиже қабылданбады', CustomerAsked: 'Тапсырыс берушіге сұрақ', QuestionAnswered: 'Сұраққа жауап',
    FailureReported: 'Ақау туралы хабарлама', OnSiteDemanded: 'Орынға шақыру', EngineerArrived: 'Инженер келді', ServiceRestored: 'Жұмыс қалпына келтірілді',
    FailureReportSubmitted: 'Ақау туралы есеп ұсынылды', FailureReportReturned: 'Ақау туралы есеп қайтарылды', FailureReportAccepted: 'Ақау туралы есеп қабылданды', IncidentClosed: 'Инцидент жабылды',
    ChangeEstimated: 'Пысықтау бағаланды', ChangeApproved: 'Пысықтау мақұлданды', CapWarningReached: 'Лимит шегіне жетті', ChangeDelivered: 'Пысықтау тапсырылды', ChangeAccepted: 'Пысықтау қабылданды', ChangeCancelled: 'Пысықтау тоқтатылды',
    DeliveryRecorded: 'Тапсыру тіркелді', DeliveryAccepted: 'Тапсыру қабылданды', DeliveryRejected: 'Тапсыру қабылданбады',
    OperationsPolicySet: 'Пайдалану ережелері белгіленді', DatabaseArchived: 'Дерекқор мұрағатталды', BackupSyncVerified: 'Резервтік дерекқордың синхрондалуы тексерілді', TestStandRegistered: 'Стенд тіркелді',
    TestStandUpdated: 'Стенд жаңартылды', DatabaseMovePlanned: 'Дерекқорды көшіру жоспарланды', MoveStepExecuted: 'Көшіру қадамы орындалды', MoveStepVerified: 'Көшіру қадамы тексерілді',
  },
}

// operations

/** An event type's name in the language; a type the table does not know is shown as it is. */
export const eventName = (language: ReportLanguage, type: string): string =>
  Object.hasOwn(reportEventNames[language], type) ? reportEventNames[language][type as LedgerEvent['type']] : type
