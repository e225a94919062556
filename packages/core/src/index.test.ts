// The main entry's runtime exports, pinned: adding or removing one is a decision, made here on purpose.
import { expect, it } from 'vitest'
import * as core from './index.js'

// Types are erased at run time; `tsc` checks those through every caller.
const exported = [
    'AcceptChange', 'AcceptDelivery', 'AcceptFailureReport', 'AcceptResult', 'AcceptedChange', 'Actor', 'AgreeDeadline',
    'AgreeDeadlineChange', 'AmendContract', 'AmendmentChanges', 'AmendmentCountersigned', 'AmendmentProposed', 'AnswerQuestion',
    'ApproveChange', 'ArchivingCadence', 'AskCustomer', 'Awaiting', 'BackupSyncVerified', 'BasisPoints', 'BoundedInstant',
    'BreachedObligation', 'BudgetCommand', 'CalendarDay', 'CalendarDefinition', 'CalendarId', 'CalendarVersion', 'CancelChange',
    'CapWarningReached', 'ChangeAccepted', 'ChangeApproved', 'ChangeCancelled', 'ChangeDelivered', 'ChangeEstimated', 'ChangeId',
    'ChangePriority', 'ChangeRef', 'Channel', 'ClockMeasure', 'CloseIncident', 'ContractAmended', 'ContractCommand',
    'ContractCountersigned', 'ContractId', 'ContractPolicy', 'ContractProposed', 'ContractRegistered', 'ContractRole', 'ContractTerms',
    'CountersignAmendment', 'CountersignContract', 'CustomerAsked', 'DEFAULT_TIME_ZONE', 'DatabaseArchived', 'DatabaseMovePlanned',
    'DeadlineAgreed', 'DeadlineChangeAgreed', 'DeadlineChangeDeclined', 'DeadlineChangeProposed', 'DeadlineMetBy', 'DeadlineProposed',
    'DeadlineRejected', 'DeadlineRule', 'DeadlineRules', 'DeclineDeadlineChange', 'DeliverChange', 'DeliverResult', 'DeliveryAccepted',
    'DeliveryCommand', 'DeliveryId', 'DeliveryRecorded', 'DeliveryRejected', 'DemandOnSite', 'DomainErrorException', 'EngineerArrived',
    'EstimateChange', 'EventMetadata', 'Evidence', 'EvidenceRole', 'FailureReport', 'FailureReportAccepted', 'FailureReportReturned',
    'FailureReportSubmitted', 'FailureReported', 'FileRequest', 'IncidentClosed', 'IncidentCommand', 'IncidentId', 'Instant',
    'KAZAKHSTAN_CALENDAR', 'KAZAKHSTAN_CALENDAR_ID', 'KAZAKHSTAN_OFFICE_HOURS', 'LaterCap', 'LegalSource', 'ListedPerson', 'LocalDate',
    'LocalTime', 'MAX_FAILURE_REASON', 'MetObligation', 'MoveStep', 'MoveStepExecuted', 'MoveStepVerified', 'MoveTarget',
    'NewOutboxMessage', 'ObligationName', 'ObligationState', 'ObligationSubject', 'OnSiteDemanded', 'OperationsCommand', 'OperationsPolicy',
    'OperationsPolicySet', 'Parties', 'Party', 'PartyPeople', 'PendingObligation', 'PlanDatabaseMove', 'PolicyChanges', 'PositiveMinutes',
    'PositiveTiyn', 'Priority', 'PriorityChanged', 'ProposeDeadline', 'ProposeDeadlineChange', 'PublicHoliday', 'QuarterLabel',
    'QuestionAnswered', 'RecordArchive', 'RecordBackupSyncCheck', 'RecordDelivery', 'RecordEngineerArrival', 'RecordMoveStepExecuted',
    'RecordMoveStepVerified', 'RecordServiceRestored', 'RecordTestStandUpdate', 'RecordedLate', 'RecordingPolicy', 'RegisterContract',
    'RegisterTestStand', 'RejectDeadline', 'RejectDelivery', 'RejectResult', 'ReportFailure', 'ReportPeriod', 'ReportRequest',
    'RequestExtras', 'RequestFiled', 'ResultAccepted', 'ResultDelivered', 'ResultRejected', 'ReturnFailureReport', 'ScheduleSubject',
    'ScheduledObligation', 'ScheduledObligationName', 'ScheduledWarning', 'ServiceRestored', 'Sha256Hex', 'SlaPolicy', 'SpecialHours',
    'SubmitFailureReport', 'TestStandRegistered', 'TestStandUpdated', 'TicketCommand', 'TicketId', 'TicketKind', 'TicketSubject',
    'TimeRange', 'TimeSource', 'TimeZoneDataOutdated', 'TimelineEntry', 'Tiyn', 'TransferredDayOff', 'TransferredWorkingDay', 'WEEKDAYS',
    'WarnedObligation', 'Weekday', 'WeeklyHours', 'WindowRule', 'WindowRules', 'WorkingHours', 'acceptedChangesFromLog',
    'acceptedChangesOf', 'addDays', 'addMillis', 'admitContractCommand', 'agreedDeadlineDue', 'agreedDeadlineRun', 'alarmsOf',
    'allContractRoles', 'amendContractWithinBudget', 'archivePeriods', 'archivePeriodsOf', 'archivingVerdicts', 'arrivalObligation',
    'assertTimeZoneData', 'backupSyncVerdicts', 'basisPointsOf', 'budgetDecider', 'budgetEvents', 'budgetStreamId', 'buildComplianceReport',
    'catchUpSubscription', 'changeIdOf', 'changeKey', 'changesAwaitingDelivery', 'changesLeftOut', 'channels', 'checkExpectedVersion',
    'clauseOfKind', 'commandHandler', 'committed', 'compareAlarms', 'compareInstants', 'compareScheduled', 'complianceReportFold',
    'complianceReportFromLog', 'contractCommandHandler', 'contractDecider', 'contractEvents', 'contractIdOf', 'contractLedger',
    'contractOfStream', 'contractStreamId', 'contractWithinBudgetDecider', 'countVerdicts', 'countersignAmendment', 'countersignContract',
    'createCalendarRegistry', 'createInMemoryStorage', 'customizationCap', 'databaseMoveVerdicts', 'deadlineMetBy',
    'decideAmendmentWithinBudget', 'decideBudget', 'decideDelivery', 'decideIncident', 'decideOperations', 'decodeCalendarDefinition',
    'decodeContractCommand', 'decodeIssues', 'decodeTicketRequest', 'defaultCapWarningThresholdsBps', 'defaultContractPolicy',
    'defaultDeliveryGraceDays', 'defaultFailureReportRule', 'defaultOnSiteArrivalRule', 'defaultRecordingPolicy', 'defaultRetryPolicy',
    'defaultSlaPolicy', 'defaultWarnAtBps', 'deliveredChanges', 'deliveriesAsOf', 'deliveryDecider', 'deliveryEvents', 'deliveryStreamId',
    'describeIssues', 'drainOnce', 'dueInForceAt', 'endOfLocalDate', 'epochMillis', 'escapeHtml', 'eventCatalog', 'eventType',
    'evolveBudget', 'evolveDelivery', 'evolveIncident', 'evolveOperations', 'failureReportDocument', 'failureReportObligation',
    'fiveDayWeek', 'fold', 'formatBps', 'formatInstant', 'formatTiyn', 'inMemoryCheckpointStore', 'inMemoryEventStore',
    'inMemoryObligationSchedule', 'inMemoryOutbox', 'incidentDecider', 'incidentEvents', 'incidentIdOf', 'incidentObligationsAt',
    'incidentRecords', 'incidentStreamId', 'initialBudgetState', 'initialContractState', 'initialDeliveryState', 'initialIncidentState',
    'initialOperationsState', 'initialTicketState', 'instantOf', 'instantRange', 'isInForceAt', 'judgeDeclaredTime',
    'kindsDueByAgreedDeadline', 'lateDeliveries', 'ledgerEvents', 'legacyMetadataTimeKey', 'localDateAt', 'localDateOf', 'maxIdLength',
    'maxSubjectLength', 'maxTextLength', 'maxWindowMinutes', 'missingDeliveries', 'newEvent', 'nextAttemptAt', 'obligationLabel',
    'obligationsOfTicket', 'operationsDecider', 'operationsEvents', 'operationsStreamId', 'parseInstant', 'personId', 'policyAssumptions',
    'policyBounds', 'policyRules', 'priorities', 'quarterLabelOf', 'quarterSchedule', 'quarterVerdicts', 'readClock', 'reducerProjection',
    'registerContract', 'renderFailureReportHtml', 'renderFailureReportMarkdown', 'renderReportHtml', 'renderReportJson',
    'renderReportMarkdown', 'replayProjection', 'reportLabels', 'reportedObligations', 'requireCapCoversCommitments', 'resolvePeriod',
    'rolesOf', 'ruleFor', 'scheduleOfSource', 'scheduleSourceOf', 'scheduledStateAt', 'showRule', 'slaPolicyAt', 'sourceKey', 'sourceOf',
    'startOfLocalDate', 'startOutboxWorker', 'startProjection', 'storeUnavailable', 'subjectKey', 'termsAt', 'termsInForceAt',
    'termsInForceHandler', 'testStandVerdicts', 'ticketClocksOf', 'ticketDecider', 'ticketDeciderOn', 'ticketEvents', 'ticketIdOf',
    'ticketKinds', 'ticketObligationsAt', 'ticketService', 'ticketStreamId', 'tiynFromKzt', 'tiynOf', 'trimReason', 'upcaster',
    'validateAppend', 'validateCalendarDefinition', 'validateClaim', 'validateOutboxMessages', 'validateOutboxRequest', 'validatePolicy',
    'validateScheduleQuery', 'verdictOf', 'whoMayAct', 'workingHours',
]

it('the main entry exports exactly the names chosen for it, and no fixture, generator or internal helper', () => {
  expect(Object.keys(core).sort()).toEqual(exported)
  for (const internal of ['exampleRegistration', 'exampleCustomer', 'exampleLedger', 'requireParty', 'byTime', 'elapsedMeter', 'currentMetadata']) {
    expect(Object.keys(core)).not.toContain(internal)
  }
})
