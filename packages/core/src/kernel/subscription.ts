/** A catch-up subscription over any store's global read: the one delivery loop every store shares. */
import * as E from 'fp-ts/lib/Either.js'
import { DomainErrorException } from './domain-error.js'
import type { EventStore, SubscribeOptions, Subscription } from './event-store.js'
import type { DomainEvent } from './recorded-event.js'

// model

/** How a store tells the loop that something may have been appended. */
export interface WakeSource {
  /** Registers a listener; returns a function that removes it. */
  readonly onAppend: (listener: () => void) => () => void
  /** Also read this often even without a wake (for stores whose wake-ups may be lost); 0 = never. */
  readonly pollMs?: number
}

// constructors

/**
 * Reads pages after the checkpoint and hands them over one batch at a time. A wake that
 * arrives while a read is in flight is remembered, so an append is never missed between
 * an empty read and the wait that follows it.
 */
export const catchUpSubscription = <Ev extends DomainEvent>(
  readAll: EventStore<Ev>['readAll'],
  options: SubscribeOptions<Ev>,
  wake: WakeSource,
): Subscription => {
  let position = options.after
  let stopping = false
  let dirty = true
  let nudge: (() => void) | undefined
  let failure: unknown
  const waiters: Array<{ position: number; resolve: () => void; reject: (e: unknown) => void }> = []

  const poke = () => {
    dirty = true
    nudge?.()
  }
  const unlisten = wake.onAppend(poke)

  const settleWaiters = () => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]
      if (w !== undefined && w.position <= position) {
        waiters.splice(i, 1)
        w.resolve()
      }
    }
  }

  const sleep = () =>
    new Promise<void>((resolve) => {
      const timer = wake.pollMs ? setTimeout(resolve, wake.pollMs) : undefined
      nudge = () => {
        if (timer !== undefined) clearTimeout(timer)
        resolve()
      }
    }).finally(() => {
      nudge = undefined
    })

  const loop = async () => {
    while (!stopping) {
      dirty = false
      const page = await readAll({ after: position, limit: options.batchSize ?? 500 })()
      if (E.isLeft(page)) throw new DomainErrorException(page.left)
      if (stopping) break
      if (page.right.events.length > 0) {
        await options.handle(page.right.events)
        position = page.right.next
        settleWaiters()
        continue
      }
      if (!dirty) await sleep()
    }
  }

  const ended = loop().then(
    () => {
      unlisten()
      for (const w of waiters.splice(0)) w.reject(new Error('subscription stopped'))
    },
    (e: unknown) => {
      failure = e
      unlisten()
      for (const w of waiters.splice(0)) w.reject(e)
      throw e
    },
  )
  // The caller may never look at `ended`; a failure still reaches `reached` and `stop`.
  ended.catch(() => undefined)

  return {
    position: () => position,
    reached: (target) => {
      if (position >= target) return Promise.resolve()
      if (failure !== undefined) return Promise.reject(failure)
      return new Promise<void>((resolve, reject) => waiters.push({ position: target, resolve, reject }))
    },
    stop: async () => {
      stopping = true
      nudge?.()
      await ended.catch(() => undefined)
    },
    ended,
  }
}
