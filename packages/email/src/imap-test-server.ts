/** The real IMAP server the `*.int.test.ts` files use: Dovecot, with the workspace's skip rule that fails loudly on CI. */
export { IMAP_URL, imapSettings, describeWithImap } from '@support-ledger/test-servers/imap'
