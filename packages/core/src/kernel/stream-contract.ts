/** Which contract a stream belongs to, read from its id: how every store labels an append that names none, and checks one that does. */

// operations

/**
 * The contract a stream of the ledger belongs to, read from its id (`contractStreamId`,
 * `ticketStreamId` and the others); undefined for a stream of no contract. Every store derives
 * `AppendOptions.contractId` with it when the caller gives none, and refuses one that differs.
 */
export const contractOfStream = (streamId: string): string | undefined => {
  const whole = /^(?:contract|budget|delivery|operations)-(.+)$/s.exec(streamId)
  if (whole !== null) return whole[1]
  const scoped = /^(?:ticket|incident)-([^/]+)\/./s.exec(streamId)
  if (scoped === null) return undefined
  try {
    return decodeURIComponent(scoped[1]!)
  } catch {
    return undefined
  }
}
