/** The people each party lists in the contract, the roles they hold, and which role every command needs. */
import * as t from 'io-ts'

// model

/**
 * What a person may do for their party. A command needs one role of the party that gives it
 * (see `whoMayAct`): a customer's person with `deadlines` may agree a deadline, one with only
 * `requests` may not.
 */
export const ContractRole = t.keyof(
  {
    /** Customer: file requests, set priorities, answer questions, report failures, demand on-site help, ask for database moves. */
    requests: null,
    /** Either party: propose (supplier), agree or reject (customer) a deadline; propose and answer changes of an agreed one. */
    deadlines: null,
    /** Supplier: the work itself, i.e. results, questions, arrivals, restorations, failure reports, archives, backup checks, test stands, move steps. */
    work: null,
    /** Customer: accept or reject results and failure reports, confirm database moves, close incidents. */
    acceptance: null,
    /** Either party: estimate and deliver (supplier), approve and accept (customer), cancel (both) customizations. */
    customizations: null,
    /** Either party: record (supplier), accept or reject (customer) quarterly deliveries. */
    deliveries: null,
    /** Either party: propose and countersign the contract's terms and every amendment. */
    amendments: null,
  },
  'ContractRole',
)
export type ContractRole = t.TypeOf<typeof ContractRole>

/** Every contract role; a person listed by bare id holds all of them. */
export const allContractRoles: ReadonlyArray<ContractRole> = Object.keys(ContractRole.keys) as ReadonlyArray<ContractRole>

/**
 * A person acting for a party: an id (the `actor.id` of their commands), or an id with the roles
 * they hold. A bare id holds every role of the party (see docs/decisions/0221).
 */
export const ListedPerson = t.union(
  [t.string, t.readonly(t.intersection([t.type({ id: t.string, roles: t.readonlyArray(ContractRole) }), t.partial({ name: t.string })]))],
  'ListedPerson',
)
export type ListedPerson = t.TypeOf<typeof ListedPerson>

/** The two parties that sign: the system may record events, but never acts for a party. */
export type SigningParty = 'customer' | 'supplier'

/** For each command, the role it needs from each party that may give it; a party without an entry may not. */
export type RolesNeeded = Readonly<Partial<Record<SigningParty, ContractRole>>>

// constructors

/**
 * Who may do what, for every command of every aggregate of the contract: the one table the
 * deciders consult (`requireActor`) and the docs reproduce.
 */
export const whoMayAct = {
  // contract
  RegisterContract: { customer: 'amendments', supplier: 'amendments' },
  CountersignContract: { customer: 'amendments', supplier: 'amendments' },
  AmendContract: { customer: 'amendments', supplier: 'amendments' },
  CountersignAmendment: { customer: 'amendments', supplier: 'amendments' },
  // ticket
  FileRequest: { customer: 'requests' },
  ChangePriority: { customer: 'requests' },
  ProposeDeadline: { supplier: 'deadlines' },
  AgreeDeadline: { customer: 'deadlines' },
  RejectDeadline: { customer: 'deadlines' },
  ProposeDeadlineChange: { customer: 'deadlines', supplier: 'deadlines' },
  AgreeDeadlineChange: { customer: 'deadlines', supplier: 'deadlines' },
  DeclineDeadlineChange: { customer: 'deadlines', supplier: 'deadlines' },
  DeliverResult: { supplier: 'work' },
  AcceptResult: { customer: 'acceptance' },
  RejectResult: { customer: 'acceptance' },
  AskCustomer: { supplier: 'work' },
  AnswerQuestion: { customer: 'requests' },
  // incident
  ReportFailure: { customer: 'requests', supplier: 'work' },
  DemandOnSite: { customer: 'requests' },
  RecordEngineerArrival: { supplier: 'work' },
  RecordServiceRestored: { supplier: 'work' },
  SubmitFailureReport: { supplier: 'work' },
  ReturnFailureReport: { customer: 'acceptance' },
  AcceptFailureReport: { customer: 'acceptance' },
  CloseIncident: { customer: 'acceptance', supplier: 'work' },
  // budget
  EstimateChange: { supplier: 'customizations' },
  ApproveChange: { customer: 'customizations' },
  DeliverChange: { supplier: 'customizations' },
  AcceptChange: { customer: 'customizations' },
  CancelChange: { customer: 'customizations', supplier: 'customizations' },
  // delivery
  RecordDelivery: { supplier: 'deliveries' },
  AcceptDelivery: { customer: 'deliveries' },
  RejectDelivery: { customer: 'deliveries' },
  // operations
  RecordArchive: { supplier: 'work' },
  RecordBackupSyncCheck: { supplier: 'work' },
  RegisterTestStand: { supplier: 'work' },
  RecordTestStandUpdate: { supplier: 'work' },
  PlanDatabaseMove: { customer: 'requests', supplier: 'work' },
  RecordMoveStepExecuted: { supplier: 'work' },
  // Clause 8 helps move the customer's database to the customer's servers: only the customer can confirm it works there.
  RecordMoveStepVerified: { customer: 'acceptance' },
} as const satisfies Readonly<Record<string, RolesNeeded>>

/** The name of any command that `whoMayAct` rules on: which party, with which role, may give it. */
export type ContractCommandName = keyof typeof whoMayAct

// operations

/** The id of a listed person, whether listed by bare id or with roles. */
export const personId = (p: ListedPerson): string => (typeof p === 'string' ? p : p.id)

/** The roles a listed person holds: a bare id holds them all. */
export const rolesOf = (p: ListedPerson): ReadonlyArray<ContractRole> => (typeof p === 'string' ? allContractRoles : p.roles)
