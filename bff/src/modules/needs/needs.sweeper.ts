import {
  type NeedLevel,
  type NeedSla,
  type NeedStatus,
  type NeedTimer,
  type NeedUrgency,
  needLevelLabels,
  nextNeedLevel,
  openNeedStatuses,
  slaDeadline,
} from '@linli/shared-types'
import type { Sweeper } from '../../jobs/sweepers'
import { notify } from '../notify/notify.service'
import { Need, type NeedDoc, NeedWhistle, type WhistleDoc } from './need.model'
import { claim } from './needs.claims'
import { backfillDays } from './needs.days'
import { repairDerived, writeDerived } from './needs.derived'
import { backfillFactMonths } from './needs.facts'
import { backfillQueue, backfillQueueDays } from './needs.queue'
import { entry, nextHandlers, tellHandlers } from './needs.service'
import { mutateNeed } from './needs.transitions'

const timerLabels: Record<NeedTimer, string> = { accept: '受理', reply: '答复', resolve: '办结' }

/**
 * Raises the level of one need whose running timer is breached. The writer first claims the
 * need's revision (unique insert `<needId>:<rev>`), then updates guarded on that revision and the
 * level, deadline and status just read, so of two sweepers (or a sweeper and a handler) racing on
 * the same breach exactly one rises; only the winner writes the timeline entry and notifies, and
 * the notifications carry per-level dedupe keys besides.
 */
export async function escalateBreached(need: NeedDoc, now: Date): Promise<boolean> {
  const next = nextNeedLevel(need.level as NeedLevel)
  const timer = need.timer as NeedTimer | null
  if (!next || !timer || !need.deadlineAt) return false
  const handlers = await nextHandlers(need, next)
  const deadlineAt = slaDeadline(need.sla as NeedSla, need.urgency as NeedUrgency, timer, now)
  const unaccepted = timer === 'accept'
  const e = entry({
    at: now,
    kind: 'escalated',
    actorRole: 'system',
    actorName: '系统',
    note: `超过${timerLabels[timer]}时限，已升级至${needLevelLabels[next]}处理`,
    public: true,
    status: need.status as NeedStatus,
    level: next,
  })
  // One claimer per revision (a unique insert), then the write guarded on what was read.
  if (!(await claim(`${need._id}:${need.rev}`, now))) return false
  const raised = (await Need.findOneAndUpdate(
    { _id: need._id, rev: need.rev, level: need.level, deadlineAt: need.deadlineAt, status: need.status },
    {
      $set: {
        level: next,
        deadlineAt,
        queueAt: deadlineAt,
        ...(timer === 'resolve' ? { resolveDueAt: deadlineAt } : {}),
        ...(unaccepted && handlers[0] ? { assigneeId: handlers[0].id, assigneeName: handlers[0].name } : {}),
      },
      $push: { timeline: e },
      $inc: { rev: 1 },
    },
    { new: true },
  ).lean()) as NeedDoc | null
  if (!raised) return false
  await writeDerived(raised)
  await tellHandlers(raised, next, handlers, `超时升级至${needLevelLabels[next]}`)
  if (raised.reporterId)
    await notify({
      userId: String(raised.reporterId),
      communityId: String(raised.communityId),
      kind: 'need.escalated',
      title: `您的反映已升级至${needLevelLabels[next]}处理`,
      body: e.note,
      link: `/packages/needs/detail/index?id=${raised._id}`,
      dedupeKey: `need.escalated:${raised._id}:${next}`,
      subscribe: { template: 'need_progress', data: { title: raised.title.slice(0, 20), status: '已升级' } },
    })
  return true
}

/**
 * A summons (吹哨) whose department has not reported in by its deadline goes to the street, once:
 * the whistle is first flagged (a claim, then a write guarded on `overdueAt: null`), then the need
 * is raised with a timeline entry whose id is the whistle's (so a retry after a crash sees it is
 * done), then `escalatedAt` closes it. A flagged whistle left unfinished is finished on a later run.
 */
async function escalateOverdueWhistles(now: Date): Promise<number> {
  const due = await NeedWhistle.find({ reportedAt: null, overdueAt: null, dueAt: { $lt: now } })
    .limit(200)
    .lean()
  for (const w of due) {
    if (w.state !== 'summoned') continue
    if (!(await claim(`whistleOverdue:${w._id}`, now))) continue
    await NeedWhistle.updateOne(
      { _id: w._id, reportedAt: null, overdueAt: null, state: 'summoned' },
      { $set: { overdueAt: now } },
    )
  }
  const flagged = (await NeedWhistle.find({ overdueAt: { $ne: null }, escalatedAt: null })
    .limit(200)
    .lean()) as WhistleDoc[]
  let escalated = 0
  for (const w of flagged) if (await raiseToStreet(w, now)) escalated++
  return escalated
}

async function raiseToStreet(w: WhistleDoc, now: Date): Promise<boolean> {
  const done = (need: NeedDoc) => need.timeline.some((e) => String(e._id) === String(w._id))
  const before = (await Need.findById(w.needId).lean()) as NeedDoc | null
  let raised: NeedDoc | null = null
  if (before && !done(before) && isOpen(before.status)) {
    try {
      raised = await mutateNeed(String(w.needId), (need) => {
        if (done(need) || !isOpen(need.status)) throw new AlreadyDone()
        return {
          $set: { level: 'street' },
          $push: {
            timeline: entry({
              _id: w._id,
              at: now,
              kind: 'whistleOverdue',
              actorRole: 'system',
              actorName: '系统',
              note: `${w.department}未按时报到，已报街道处置`,
              public: true,
              status: need.status as NeedStatus,
              level: 'street',
            }),
          },
        }
      })
    } catch (error) {
      if (!(error instanceof AlreadyDone)) throw error
    }
  }
  const closed = await NeedWhistle.updateOne(
    { _id: w._id, escalatedAt: null },
    { $set: { escalatedAt: now } },
  )
  if (!raised) return false
  const reason = `${w.department}未按时报到`
  await tellHandlers(raised, 'street', await nextHandlers(raised, 'street'), reason)
  await notify({
    userId: String(w.byId),
    communityId: String(w.communityId),
    kind: 'need.whistleOverdue',
    title: `${reason}，已报街道`,
    link: `/packages/needs/detail/index?id=${w.needId}`,
    dedupeKey: `need.whistleOverdue:${w._id}`,
  })
  return closed.modifiedCount === 1
}

class AlreadyDone extends Error {}
const isOpen = (status: string) => (openNeedStatuses as readonly string[]).includes(status)

export const needsSweeper: Sweeper = {
  name: 'needs-escalation',
  everyMs: 60_000,
  async run(_deps, now) {
    const breached = (await Need.find({
      status: { $in: ['submitted', 'reopened', 'accepted', 'inProgress'] },
      level: { $ne: 'street' },
      deadlineAt: { $lt: now },
    })
      .sort({ deadlineAt: 1 })
      .limit(200)
      .lean()) as unknown as NeedDoc[]
    let raised = 0
    for (const need of breached) if (await escalateBreached(need, now)) raised++
    const whistles = await escalateOverdueWhistles(now)
    const queue = (await backfillQueue()) + (await backfillQueueDays())
    const derived = await repairDerived()
    const months = await backfillFactMonths()
    const days = await backfillDays()
    return { raised, whistles, queue, derived, months, days }
  },
}
