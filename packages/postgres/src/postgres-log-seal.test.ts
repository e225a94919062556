// Log seals on PGlite: moved positions and removed streams break a seal; a rewrite with table access shows only against a kept seal.
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { sql } from 'kysely'
import { generateKeyPairSync } from 'node:crypto'
import { expectReaches } from '@support-ledger/core/testing'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPGlite, pgliteDatabase } from './pglite-connection.js'
import type { EventDatabase } from './postgres-connection.js'
import { createPostgresStorage, postgresEventStore, type PostgresStorage } from './postgres-event-store.js'
import { verifyAll, type LogReport } from './postgres-hash-chain.js'
import { latestSeal, parseSeal, sealLog, startSealing, sealSignatureValid, sealText, signSeal, verifyAgainstSeal, type LogSeal, type SealCoverage } from './postgres-log-seal.js'
import { migrate } from './postgres-migrations.js'

const Noted = eventType('Noted', t.type({ text: t.string }))
const catalog = eventCatalog([Noted])
const meta: EventMetadata = { actor: { party: 'customer', id: 'auditor' }, at: instantOf(Date.UTC(2025, 2, 3)) }
const noted = (text: string) => ({ event: { type: 'Noted' as const, data: { text } }, metadata: meta })

describe('log seals (PGlite)', () => {
  let pglite: Awaited<ReturnType<typeof openPGlite>>
  let database: EventDatabase
  let schemas = 0

  beforeAll(async () => {
    pglite = await openPGlite()
    database = pgliteDatabase(pglite)
  })
  afterAll(async () => {
    await pglite.close()
  })

  // Each test tampers with its own log: a schema of its own.
  const freshLog = async () => {
    const schema = `sealed_${++schemas}`
    await migrate(database.db, { schema })
    const storage = createPostgresStorage({ database, schema })
    const store = postgresEventStore(catalog, storage)
    const append = async (streamId: string, ...texts: string[]) => {
      const r = await store.append(streamId, texts.map(noted))()
      if (E.isLeft(r)) throw new Error(r.left.message)
      return r.right
    }
    // Statements separated by '; ', run one by one.
    const exec = async (text: string) => {
      for (const statement of text.replaceAll('$s', schema).split(/;\s+/)) await sql.raw(statement).execute(database.db)
    }
    return { schema, storage, append, exec }
  }
  const seal = async (storage: PostgresStorage, maxEvents?: number): Promise<LogSeal> => {
    const r = await sealLog(storage, maxEvents === undefined ? {} : { maxEvents })()
    if (E.isLeft(r) || r.right === undefined) throw new Error('no seal made')
    return r.right
  }
  const all = async (storage: PostgresStorage): Promise<LogReport> => {
    const r = await verifyAll(storage)()
    if (E.isLeft(r)) throw new Error(r.left.message)
    return r.right
  }
  const against = async (storage: PostgresStorage, kept: LogSeal): Promise<SealCoverage> => {
    const r = await verifyAgainstSeal(storage, kept)()
    if (E.isLeft(r)) throw new Error(r.left.message)
    return r.right
  }
  const kinds = (report: { readonly problems: ReadonlyArray<{ readonly kind: string }> }) => report.problems.map((p) => p.kind)

  it('given a sealed log, every check is clean; later events are counted as unsealed until the next seal, which chains on', async () => {
    const { storage, append } = await freshLog()
    expect(E.isRight(await sealLog(storage)()) && (await latestSeal(storage)())).toEqual(E.right(undefined))
    await append('a', 'a1', 'a2')
    await append('b', 'b1')
    const first = await seal(storage)
    expect(first).toMatchObject({ sealNo: 1, throughPosition: 3, events: 3, digest: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(await all(storage)).toMatchObject({ problems: [], seals: { seals: 1, sealedThrough: 3, unsealedEvents: 0 } })

    await append('c', 'c1', 'c2')
    expect(await all(storage)).toMatchObject({ problems: [], seals: { seals: 1, sealedThrough: 3, unsealedEvents: 2 } })
    // Sealing again with nothing new makes no seal.
    const second = await seal(storage)
    expect(await seal(storage)).toEqual(second)
    expect(second).toMatchObject({ sealNo: 2, throughPosition: 5, events: 5 })
    expect((await against(storage, first)).problems).toEqual([])
    expect((await against(storage, second)).problems).toEqual([])

    // A small maxEvents cuts a long tail into several seals, each chained on the one before.
    for (let i = 0; i < 5; i++) await append(`d${i}`, 'x')
    expect(await seal(storage, 2)).toMatchObject({ sealNo: 5, throughPosition: 10, events: 10 })
    expect(await all(storage)).toMatchObject({ problems: [], seals: { seals: 5, sealedThrough: 10, unsealedEvents: 0 } })
  })

  it('given the global positions of two sealed events of different streams swapped, the stream chains stay clean but verifyAll reports the seal', async () => {
    const { storage, append, exec } = await freshLog()
    await append('left', 'l1')
    await append('right', 'r1')
    await append('other', 'o1')
    await seal(storage)
    await exec(`UPDATE $s.events SET global_position = -1 WHERE global_position = 1;
      UPDATE $s.events SET global_position = 1 WHERE global_position = 2;
      UPDATE $s.events SET global_position = 2 WHERE global_position = -1`)
    const report = await all(storage)
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'seal-broken', sealNo: 1, throughPosition: 3 })])
    expect(report.problems[0]?.message).toMatch(/positions 1 to 3 are not the ones sealed \(3 sealed, 3 there now, with other content or positions\)/)
  })

  it('given a whole sealed stream deleted, its events and its row, verifyAll reports the seal; deleted before any seal, nothing can', async () => {
    const { storage, append, exec } = await freshLog()
    await append('kept', 'k1')
    await append('doomed', 'd1', 'd2')
    await append('kept', 'k2')
    await seal(storage)
    await append('unsealed', 'u1')
    await exec(`DELETE FROM $s.events WHERE stream_id = 'doomed'; DELETE FROM $s.streams WHERE stream_id = 'doomed'`)
    expect((await all(storage)).problems).toEqual([expect.objectContaining({ kind: 'seal-broken', sealNo: 1, message: expect.stringContaining('(4 sealed, 2 there now)') })])

    // The honest limit: what no seal covers yet, a writer with table access removes unseen.
    const { storage: second, append: appendSecond, exec: execSecond } = await freshLog()
    await appendSecond('kept', 'k1')
    await seal(second)
    await appendSecond('unsealed', 'u1')
    await execSecond(`DELETE FROM $s.events WHERE stream_id = 'unsealed'; DELETE FROM $s.streams WHERE stream_id = 'unsealed'`)
    expect(await all(second)).toMatchObject({ problems: [], seals: { sealedThrough: 1, unsealedEvents: 0 } })
  })

  it('given events rewritten and every chain and seal recomputed by someone with table access, verifyAll is clean but the kept seal is not', async () => {
    const { storage, append, exec } = await freshLog()
    await append('contract', 'signed')
    await append('incident', 'reported')
    const kept = await seal(storage)
    // Rewrite the incident, with a correct hash, a correct head and fresh seals.
    await exec(`UPDATE $s.events SET data = '{"text":"never happened"}' WHERE stream_id = 'incident';
      UPDATE $s.events SET hash = $s.event_hash('\\x'::bytea, stream_id, stream_version, event_id, type, schema_version, data, metadata) WHERE stream_id = 'incident';
      UPDATE $s.streams st SET head_hash = e.hash FROM $s.events e WHERE e.stream_id = st.stream_id AND st.stream_id = 'incident';
      DELETE FROM $s.log_seals`)
    const forged = await seal(storage)
    expect(forged).toMatchObject({ sealNo: 1, throughPosition: kept.throughPosition, events: kept.events })
    expect((await all(storage)).problems).toEqual([])
    const check = await against(storage, kept)
    expect(kinds(check)).toEqual(['seal-differs'])
    expect(check.problems[0]?.message).toContain(kept.digest)
  })

  it('given the tail cut off together with its seal, only the kept seal shows it', async () => {
    const { storage, append, exec } = await freshLog()
    await append('a', 'a1')
    const first = await seal(storage)
    await append('b', 'b1', 'b2')
    const second = await seal(storage)
    await exec(`DELETE FROM $s.events WHERE global_position > ${first.throughPosition}; DELETE FROM $s.streams WHERE stream_id = 'b';
      DELETE FROM $s.log_seals WHERE seal_no = ${second.sealNo}`)
    expect((await all(storage)).problems).toEqual([])
    expect((await against(storage, first)).problems).toEqual([])
    expect(kinds(await against(storage, second))).toEqual(['seal-missing'])
    // A seal removed from the middle of the chain shows without a kept one: the next seal is
    // missing its predecessor, and cannot be checked without its digest.
    await append('c', 'c1')
    await seal(storage)
    await append('d', 'd1')
    await seal(storage)
    await exec('DELETE FROM $s.log_seals WHERE seal_no = 2')
    expect((await all(storage)).problems.map((p) => [p.kind, 'sealNo' in p ? p.sealNo : 0])).toEqual([['seal-missing', 3], ['seal-broken', 3]])
  })

  it('given a seal printed, it reads back as it was; a signature holds for it and for no other; bad text names the field', async () => {
    const { storage, append } = await freshLog()
    await append('a', 'a1', 'a2')
    const kept = await seal(storage)
    expect(parseSeal(sealText(kept))).toEqual(E.right(kept))
    expect(sealText(kept)).toMatch(/^support-ledger log seal 1 through position 2 \(2 events\) sealed \d{4}-\d{2}-\d{2}T[\d:.]+Z sha256 [0-9a-f]{64}$/)

    const { privateKey, publicKey } = generateKeyPairSync('ed25519')
    const signature = signSeal(kept, privateKey)
    expect(sealSignatureValid(kept, signature, publicKey)).toBe(true)
    expect(sealSignatureValid({ ...kept, throughPosition: kept.throughPosition + 1 }, signature, publicKey)).toBe(false)
    expect(sealSignatureValid(kept, signature, generateKeyPairSync('ed25519').publicKey)).toBe(false)

    const text = sealText(kept)
    const field = (s: string) => {
      const r = parseSeal(s)
      return E.isLeft(r) ? r.left.field : undefined
    }
    expect(field('a seal')).toBe('text')
    expect(field(text.replace('seal 1 ', 'seal 0 '))).toBe('sealNo')
    expect(field(text.replace('position 2 ', 'position x2 '))).toBe('throughPosition')
    expect(field(text.replace('(2 events)', '(0 events)'))).toBe('events')
    expect(field(text.replace(/sealed \S+/, 'sealed 2025-13-40T00:00:00.000Z'))).toBe('sealedAt')
    expect(field(text.replace(/sha256 \S+/, `sha256 ${kept.digest.toUpperCase()}`))).toBe('digest')
  })
  it('given a sealer on a timer, each new seal reaches onSeal once, and every seal it made verifies', async () => {
    const { storage, append } = await freshLog()
    const handed: LogSeal[] = []
    await append('a', 'a1')
    const sealer = startSealing(storage, { everyMs: 20, onSeal: (s) => void handed.push(s) })
    const sealedThrough = async (position: number) => {
      const deadline = Date.now() + 10_000
      while ((sealer.latest()?.throughPosition ?? 0) < position) {
        if (Date.now() > deadline) throw new Error(`no seal through ${position} in time`)
        await new Promise((r) => setTimeout(r, 10))
      }
    }
    await sealedThrough(1)
    const last = await append('b', 'b1', 'b2')
    await sealedThrough(last.toPosition)
    // Idle runs make no new seal and hand nothing over again.
    await new Promise((r) => setTimeout(r, 100))
    await sealer.stop()
    expect(handed.map((s) => [s.sealNo, s.throughPosition])).toEqual([[1, 1], [2, 3]])
    for (const kept of handed) expect((await against(storage, kept)).problems).toEqual([])
  })

  // The invariant: whatever is done to a sealed position (an event moved, swapped, removed with its
  // stream, or rewritten with a fresh hash), verifyAll names a broken seal; untouched, it is clean.
  // What a run draws: appends, the seal's size, an unsealed tail, and a change to one sealed position.
  const tampers = ['swap', 'remove-stream', 'move-out', 'rehash'] as const
  const runInput = fc.tuple(
    fc.array(fc.record({ stream: fc.integer({ min: 0, max: 3 }), count: fc.integer({ min: 1, max: 3 }) }), { minLength: 2, maxLength: 7 }),
    fc.integer({ min: 1, max: 6 }),
    fc.integer({ min: 0, max: 2 }),
    fc.constantFrom(...tampers),
    fc.nat(),
    fc.nat(),
  )
  type RunInput = typeof runInput extends fc.Arbitrary<infer A> ? A : never
  const sealedCount = ([appends]: RunInput) => appends.reduce((n, a) => n + a.count, 0)
  // The positions the change touches, and the change: a swap of a position with itself is a move out.
  const changeOf = (input: RunInput) => {
    const [, , , tamper, pick, other] = input
    const at = 1 + (pick % sealedCount(input))
    const partner = 1 + (other % sealedCount(input))
    return { at, partner, kind: tamper === 'swap' && at === partner ? ('move-out' as const) : tamper }
  }

  // Measured over 1,000 draws: each change 0.20-0.29, several seals 0.86-0.88, a tail 0.65-0.66.
  it('property: its generator reaches each kind of change, chains of several seals and unsealed tails, in a stated share of runs', () => {
    expectReaches(runInput, {
      ...Object.fromEntries(tampers.map((kind) => [kind, { atLeast: 0.15, reached: (input: RunInput) => changeOf(input).kind === kind }])),
      'several seals': { atLeast: 0.6, reached: (input) => sealedCount(input) > input[1] },
      'an unsealed tail': { atLeast: 0.5, reached: (input) => input[2] > 0 },
    })
  })

  it('property: any change to a sealed position breaks a seal; an untouched log verifies', async () => {
    await fc.assert(
      fc.asyncProperty(runInput, async (input) => {
        const [appends, maxEvents, unsealed] = input
        const { storage, append, exec } = await freshLog()
        for (const [i, a] of appends.entries()) await append(`s${a.stream}`, ...Array.from({ length: a.count }, (_, k) => `${i}.${k}`))
        const sealed = await seal(storage, maxEvents)
        for (let i = 0; i < unsealed; i++) await append(`tail${i}`, 'x')
        expect((await all(storage)).problems).toEqual([])
        // The reach above counts from the input alone: here the log holds what it counts.
        expect(sealed.throughPosition).toBe(sealedCount(input))
        expect(sealed.sealNo > 1).toBe(sealedCount(input) > maxEvents)

        const { at, partner, kind } = changeOf(input)
        switch (kind) {
          case 'swap':
            await exec(`UPDATE $s.events SET global_position = -1 WHERE global_position = ${at}; UPDATE $s.events SET global_position = ${at} WHERE global_position = ${partner}; UPDATE $s.events SET global_position = ${partner} WHERE global_position = -1`)
            break
          case 'remove-stream':
            await exec(`DELETE FROM $s.streams WHERE stream_id = (SELECT stream_id FROM $s.events WHERE global_position = ${at}); DELETE FROM $s.events WHERE stream_id NOT IN (SELECT stream_id FROM $s.streams)`)
            break
          case 'move-out':
            await exec(`UPDATE $s.events SET global_position = 1000 + global_position WHERE global_position = ${at}`)
            break
          case 'rehash':
            await exec(`UPDATE $s.events SET data = '{"text":"changed"}', hash = $s.event_hash('\\x'::bytea, stream_id, stream_version, event_id, type, schema_version, '{"text":"changed"}'::json, metadata) WHERE global_position = ${at}`)
            break
        }
        const found = (await all(storage)).problems
        expect(found.some((p) => p.kind === 'seal-broken')).toBe(true)
      }),
      { numRuns: 40 },
    )
  }, 240_000) // 40 runs, each a fresh log on PGlite: about 10 s alone, several times that beside the other packages' tests
})
