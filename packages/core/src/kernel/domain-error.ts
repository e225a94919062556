/** The shape every expected failure takes: a tagged, serialisable value, never a thrown exception. */

// model

/** An expected failure. `_tag` names the fact (`CapExceeded`), `message` says it to a person. */
export interface DomainError<Tag extends string = string> {
  readonly _tag: Tag
  readonly message: string
}

// operations

/** Wraps a typed error in an `Error` for callers at the edge that must throw (scripts, CLIs). */
export class DomainErrorException extends Error {
  constructor(readonly error: DomainError) {
    super(`${error._tag}: ${error.message}`)
    this.name = error._tag
  }
}
