import {
  canReopenNeed,
  type NeedLevel,
  type NeedSla,
  type NeedStatus,
  type NeedUrgency,
  slaDeadline,
} from '@linli/shared-types'
import type { AppDeps } from '../../platform/deps'
import { fail } from '../../platform/errors'
import { emitEvent } from '../../platform/events'
import type { Actor } from '../../platform/policy'
import { notify } from '../notify/notify.service'
import { entry, needLink, nextHandlers, timerFields, toDetail } from './needs.service'
import { own, transition } from './needs.transitions'

// What the reporting resident does with their need: withdraw, rate, reopen.
export async function withdrawNeed(actor: Actor, id: string, body: { reason?: string | undefined }) {
  const n = await transition(id, 'withdraw', own(actor), (need, next, now) => ({
    set: { 'stat.counted': 0, ...timerFields(need, next, now) },
    entries: [
      entry({
        at: now,
        kind: 'withdrawn',
        actorId: actor.userId,
        actorRole: 'resident',
        actorName: need.reporterName,
        note: body.reason ?? '居民撤回了反映',
        public: true,
        status: next,
        level: need.level as NeedLevel,
      }),
    ],
  }))
  return toDetail(n, actor)
}

export async function rateNeed(
  actor: Actor,
  id: string,
  body: { score: number; comment?: string | undefined },
  deps?: AppDeps,
) {
  const n = await transition(id, 'rate', own(actor), (need, next, now) => ({
    set: {
      rating: body.score,
      ratingComment: body.comment ?? null,
      'stat.rated': 1,
      'stat.satisfied': body.score >= 4 ? 1 : 0,
      ...timerFields(need, next, now),
    },
    entries: [
      entry({
        at: now,
        kind: 'rated',
        actorId: actor.userId,
        actorRole: 'resident',
        actorName: need.reporterName,
        note: `评价${body.score}星${body.comment ? `：${body.comment}` : ''}`,
        public: true,
        status: next,
        level: need.level as NeedLevel,
      }),
    ],
  }))
  await emitEvent(
    {
      key: `need.rated:${id}`,
      type: 'need.rated',
      userId: actor.userId,
      communityId: String(n.communityId),
      at: new Date(),
      data: { needId: id, score: body.score },
    },
    deps?.log,
  )
  return toDetail(n, actor)
}

export async function reopenNeed(actor: Actor, id: string, body: { reason: string }) {
  const n = await transition(
    id,
    'reopen',
    (need) => {
      own(actor)(need)
      if ((need.reopenCount ?? 0) >= 2) fail('NEED_REOPEN_LIMIT')
      if (
        !canReopenNeed({
          status: need.status as NeedStatus,
          rating: need.rating ?? null,
          reopenCount: need.reopenCount,
        })
      )
        fail('NEED_INVALID_TRANSITION', '评价满意的反映不能重新办理')
    },
    (need, next, now) => {
      const resolveDueAt = slaDeadline(need.sla as NeedSla, need.urgency as NeedUrgency, 'resolve', now)
      return {
        set: {
          reopenCount: (need.reopenCount ?? 0) + 1,
          firstReplyAt: null,
          resolveDueAt,
          'stat.resolvedKept': 0,
          ...timerFields({ ...need, resolveDueAt }, next, now, false),
        },
        entries: [
          entry({
            at: now,
            kind: 'reopened',
            actorId: actor.userId,
            actorRole: 'resident',
            actorName: need.reporterName,
            note: body.reason,
            public: true,
            status: next,
            level: need.level as NeedLevel,
          }),
        ],
      }
    },
  )
  // The handler who closed it hears first; a breached accept timer escalates as usual.
  const handlers = n.assigneeId ? [{ id: String(n.assigneeId) }] : await nextHandlers(n, n.level as NeedLevel)
  for (const h of handlers)
    await notify({
      userId: h.id,
      communityId: String(n.communityId),
      kind: 'need.reopened',
      title: `居民不满意，重新办理：${n.title}`.slice(0, 60),
      link: needLink(n._id),
      dedupeKey: `need.reopened:${n._id}:${n.reopenCount}:${h.id}`,
    })
  return toDetail(n, actor)
}
