import {
  type AuditAction,
  type NeedAction,
  type NeedLevel,
  type NeedStatus,
  needStatusLabels,
  nextNeedStatus,
} from '@linli/shared-types'
import { AppError, found } from '../../platform/errors'
import type { Actor } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { Need, type NeedDoc } from './need.model'
import { claim, releaseIfStale, withStats } from './needs.claims'
import { writeDerived } from './needs.derived'
import { assertCanHandle, isReporter } from './needs.policy'
import { type Entry, entry, tellResident } from './needs.service'

// How a need changes: one guarded write per action, re-checked after a lost race.

interface Change {
  set?: Record<string, unknown>
  entries: Entry[]
  addToSet?: Record<string, unknown>
  /** Title for the resident's notification about the first public entry; none: no notification. */
  tell?: string
}

/**
 * Applies one action: re-reads the need, checks who may act and whether the status machine allows
 * it, then writes status + timeline in one update guarded on the revision read. A lost race re-reads
 * and re-checks, so two workers accepting at once leave one winner and one 409.
 */
export async function transition(
  id: string,
  action: NeedAction,
  authorize: (n: NeedDoc) => void,
  build: (n: NeedDoc, next: NeedStatus, now: Date) => Change,
): Promise<NeedDoc> {
  let change: Change = { entries: [] }
  const updated = await mutateNeed(id, (need, now) => {
    authorize(need)
    const next = nextNeedStatus(need.status as NeedStatus, action)
    if (!next)
      throw new AppError(
        'NEED_INVALID_TRANSITION',
        `${needStatusLabels[need.status as NeedStatus]}的反映不能执行此操作`,
      )
    change = build(need, next, now)
    return {
      $set: withStats(need.stat, { status: next, ...change.set }),
      $push: { timeline: { $each: change.entries } },
      ...(change.addToSet ? { $addToSet: change.addToSet } : {}),
    }
  })
  const first = change.entries.find((e) => e.public)
  if (change.tell && first) await tellResident(updated, first, change.tell)
  return updated
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * The one way a need is changed: read it, let `plan` check and build the update (it may throw),
 * claim the revision read (a unique insert: one claimer per revision on every engine), then write
 * guarded on that revision with `rev` bumped. Losers re-read and re-check, so a second accept of
 * the same need sees it accepted and answers 409.
 */
export async function mutateNeed(
  id: string,
  plan: (need: NeedDoc, now: Date) => Record<string, unknown>,
): Promise<NeedDoc> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const need = found((await Need.findById(id).lean()) as NeedDoc | null)
    const now = new Date()
    const update = plan(need, now)
    const key = `${id}:${need.rev}`
    if (!(await claim(key, now))) {
      await releaseIfStale(key, now)
      await pause(10 + Math.random() * 20 * Math.min(attempt + 1, 5))
      continue
    }
    const updated = (await Need.findOneAndUpdate(
      { _id: id, rev: need.rev },
      { ...update, $inc: { rev: 1 } },
      {
        new: true,
      },
    ).lean()) as NeedDoc | null
    if (updated) {
      await writeDerived(updated)
      return updated
    }
  }
  throw new AppError('NEED_INVALID_TRANSITION', '反映正在被他人处理，请刷新后重试')
}

export const handlerEntry = (actor: Actor, n: NeedDoc, next: NeedStatus, now: Date, e: Partial<Entry>) =>
  entry({
    at: now,
    kind: 'note',
    actorId: actor.userId,
    actorRole: 'handler',
    actorName: actor.nickname,
    note: '',
    public: true,
    status: next,
    level: n.level as NeedLevel,
    ...e,
  })

export const handle = (actor: Actor) => (n: NeedDoc) => assertCanHandle(actor, n)
export const own = (actor: Actor) => (n: NeedDoc) => {
  if (!isReporter(actor, n)) throw new AppError('NOT_FOUND')
}
export const MINUTE = 60_000
export const minutesSince = (from: Date, now: Date) =>
  Math.max(0, Math.round((now.getTime() - from.getTime()) / MINUTE))

type NeedAuditVerb = Extract<AuditAction, `need.${string}`> extends `need.${infer V}` ? V : never

export async function auditNeed(
  actor: Actor,
  action: NeedAuditVerb,
  n: NeedDoc,
  detail: Record<string, unknown> = {},
) {
  await audit(
    actor,
    `need.${action}`,
    { type: 'need', id: String(n._id), communityId: n.communityId, name: n.no, userId: n.reporterId },
    detail,
  )
}
