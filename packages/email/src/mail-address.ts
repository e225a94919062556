/** Mail addresses and header values checked at the boundary: a CR/LF or a malformed address is a typed error, never a header. */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'

// model

export interface MailAddressBrand {
  readonly MailAddress: unique symbol
}

/** An address `local@domain` in its plain form, without display name: dot-atom local part, a dotted host name. */
export type MailAddress = t.Branded<string, MailAddressBrand>

/** A value placed into a mail header named `field` contained a line break (header injection). */
export interface HeaderInjection {
  readonly _tag: 'HeaderInjection'
  readonly message: string
  readonly field: string
}

/** `field` holds something that is not a plain mail address. */
export interface MalformedAddress {
  readonly _tag: 'MalformedAddress'
  readonly message: string
  readonly field: string
  readonly value: string
}

export type HeaderError = HeaderInjection | MalformedAddress

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
const ADDRESS = new RegExp(`^${ATOM}(?:\\.${ATOM})*@${LABEL}(?:\\.${LABEL})+$`)

const isMailAddress = (s: string): s is MailAddress => s.length <= 254 && s.split('@')[0]!.length <= 64 && ADDRESS.test(s)

// codecs

export const MailAddress = t.brand(t.string, (s): s is MailAddress => isMailAddress(s), 'MailAddress')

// constructors

/** The header value unchanged, or `HeaderInjection` when it holds CR, LF or NUL. */
export const headerText = (field: string, value: string): E.Either<HeaderError, string> =>
  /[\r\n\0]/.test(value)
    ? E.left({ _tag: 'HeaderInjection', message: `${field} contains a line break`, field })
    : E.right(value)

/** The address, or a typed error naming `field`. Case is kept; comparison uses `sameAddress`. */
export const mailAddress = (field: string, value: string): E.Either<HeaderError, MailAddress> => {
  if (/[\r\n\0]/.test(value)) return E.left({ _tag: 'HeaderInjection', message: `${field} contains a line break`, field })
  return isMailAddress(value)
    ? E.right(value)
    : E.left({ _tag: 'MalformedAddress', message: `${field} is not a mail address: ${JSON.stringify(value.slice(0, 80))}`, field, value })
}

// operations

/** The form two addresses are compared in: the domain is case-insensitive, and in practice so is the local part. */
export const addressKey = (address: string): string => address.trim().toLowerCase()
