/** Screening (受理): staff accept, refuse by a rule, merge or withdraw a proposed topic, in claimed steps. */
import { type ScreenTopicBody, sourcesOf, type TopicDetail, type TopicStatus } from '@linli/shared-types'
import { fail, failField } from '../../platform/errors'
import { emitEvent } from '../../platform/events'
import type { Logger } from '../../platform/logger'
import type { Actor } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { notify } from '../notify/notify.service'
import { applyStep, type Claim, claimStep, stepDone } from './access'
import { Topic, type TopicDoc } from './deliberation.model'
import { ensureRules } from './rules.service'
import { conflict, detail, entry, staffTopic, topicLink } from './topics.service'

export async function screenTopic(
  actor: Actor,
  id: string,
  body: ScreenTopicBody,
  log?: Logger,
): Promise<TopicDetail> {
  const topic = await staffTopic(actor, id)
  const now = new Date()
  let set: Record<string, unknown>
  let note = body.reason ?? ''
  if (body.decision === 'refuse') {
    if (!body.ruleId) failField('SCREEN_RULE_REQUIRED', 'ruleId')
    if (!body.reason) failField('REASON_REQUIRED', 'reason', '不予受理须填写理由')
    const rules = await ensureRules(String(topic.communityId))
    const rule = rules.exclude.find((r) => r.id === body.ruleId)
    if (!rule) fail('DELIBERATION_RULE_NOT_FOUND', '请引用本社区“不议”清单中的规则')
    set = {
      status: 'refused',
      screening: {
        decision: 'refuse',
        ruleId: rule!.id,
        ruleName: rule!.name,
        reason: body.reason,
        by: actor.userId,
        at: now,
      },
    }
    note = `依据“${rule!.name}”：${body.reason}`
  } else if (body.decision === 'merge') {
    if (!body.intoTopicId || body.intoTopicId === id) fail('MERGE_TARGET_INVALID')
    const target = await Topic.findById(body.intoTopicId).lean()
    if (
      !target ||
      String(target.communityId) !== String(topic.communityId) ||
      ['refused', 'merged', 'withdrawn'].includes(target.status)
    )
      fail('MERGE_TARGET_INVALID')
    set = {
      status: 'merged',
      mergedIntoId: body.intoTopicId,
      screening: {
        decision: 'merge',
        ruleId: null,
        ruleName: null,
        reason: body.reason ?? '',
        by: actor.userId,
        at: now,
      },
    }
    note = `合并到“${target!.title}”${body.reason ? `：${body.reason}` : ''}`
  } else {
    set = {
      status: 'accepted',
      screening: {
        decision: 'accept',
        ruleId: null,
        ruleName: null,
        reason: body.reason ?? '',
        by: actor.userId,
        at: now,
      },
    }
  }
  const to = set.status as TopicStatus
  // Screening and withdrawal each end the proposal once: whoever claims the step first wins.
  if (topic.status !== 'proposed') return conflict(id)
  const claim = await claimStep(`triage:${id}`, actor.userId, {
    topicId: topic._id,
    step: 'triage',
    from: sourcesOf(to),
    set,
    history: entry(to, note, now),
    detail: {
      decision: body.decision,
      ruleId: body.ruleId ?? null,
      reason: body.reason ?? null,
      intoTopicId: body.intoTopicId ?? null,
      note,
      actorName: actor.nickname,
    },
  })
  if (!claim) return conflict(id)
  const updated = await applyStep(claim)
  if (!updated) return conflict(id)
  await afterTriage(updated, claim, true, log)
  await stepDone(claim._id)
  return detail(updated, actor)
}

type ScreeningDetail = {
  decision: 'accept' | 'refuse' | 'merge' | 'withdraw'
  ruleId?: string | null
  reason?: string | null
  intoTopicId?: string | null
  note?: string
  actorName?: string
}

/**
 * What follows a screening once the topic is written: the merged-into topic's history line and the
 * audit entry (only by whoever wrote the topic, `applied`), then the proposer's notification and the
 * `topic.accepted` event (each at most once by its unique key, so safe to repeat). Also run by the
 * sweeper for a screening whose claimant died.
 */
export async function afterTriage(topic: TopicDoc, claim: Claim, applied: boolean, log?: Logger) {
  const d = (claim.detail ?? { decision: 'withdraw' }) as ScreeningDetail
  if (d.decision === 'withdraw') return
  const id = String(topic._id)
  const at = claim.history?.at ?? new Date()
  const note = d.note ?? ''
  if (applied) {
    if (d.decision === 'merge')
      await Topic.updateOne(
        { _id: d.intoTopicId },
        { $push: { history: entry('mergedFrom', `“${topic.title}”并入本议题`, at) } },
      )
    // The staff member who decided (also when the sweeper finishes their decision).
    const by = { userId: String(claim.by), nickname: d.actorName ?? '' } as Actor
    await audit(
      by,
      `deliberation.topic.${d.decision}`,
      { type: 'topic', id, communityId: topic.communityId },
      { ruleId: d.ruleId ?? null, reason: d.reason ?? null, intoTopicId: d.intoTopicId ?? null },
    )
  }
  const verdict = { accept: '已受理', refuse: '不予受理', merge: '已合并到其他议题' }[d.decision]
  await notify({
    userId: String(topic.proposerId),
    communityId: String(topic.communityId),
    kind: 'deliberation.screened',
    title: `您提出的议题${verdict}`,
    body: note ? `“${topic.title}”${verdict}。${note}` : `“${topic.title}”${verdict}`,
    link: topicLink(id),
    dedupeKey: `deliberation.screened:${id}`,
    subscribe: { template: 'deliberation.screened', data: { title: topic.title, result: verdict } },
  })
  if (d.decision === 'accept')
    await emitEvent(
      {
        key: `topic.accepted:${id}`,
        type: 'topic.accepted',
        userId: String(topic.proposerId),
        communityId: String(topic.communityId),
        at,
        data: { topicId: id },
      },
      log,
    )
}
