/** The real SMTP server the `*.int.test.ts` files use: smtp-server in this process, keeping what it accepts, refusing on demand. */
export { startTestSmtpServer, type SmtpRefusal, type ReceivedMail, type TestSmtpServer } from '@support-ledger/test-servers/smtp'
