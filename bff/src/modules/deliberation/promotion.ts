import { handlersAt } from '../needs/needs.policy'
import { notify } from '../notify/notify.service'
import { Topic, type TopicDoc } from './deliberation.model'

const topicLink = (id: unknown) => `/packages/deliberation/topic/index?id=${String(id)}`

/**
 * 附议 that reach the topic's threshold move it to screening (进入审议) and tell the community's staff.
 * The guard `promotedAt: null` lets exactly one of many concurrent 附议 do it.
 */
export async function promoteIfReady(topic: TopicDoc, secondsCount: number, now = new Date()) {
  if (topic.promotedAt || topic.status !== 'proposed' || secondsCount < topic.secondsToPromote) return false
  const promoted = await Topic.updateOne(
    { _id: topic._id, status: 'proposed', promotedAt: null },
    {
      $set: { promotedAt: now },
      $push: { history: { at: now, action: 'promoted', note: `附议达到 ${topic.secondsToPromote} 人` } },
    },
  )
  if (promoted.modifiedCount !== 1) return false
  const staff = await handlersAt({ communityId: topic.communityId }, 'community')
  await Promise.all(
    staff.map((s) =>
      notify({
        userId: s.id,
        communityId: String(topic.communityId),
        kind: 'deliberation.topic.promoted',
        title: '议题附议已达标，待审议',
        body: `“${topic.title}”附议达到 ${topic.secondsToPromote} 人，请尽快审议`,
        link: topicLink(topic._id),
        dedupeKey: `deliberation.promoted:${String(topic._id)}:${s.id}`,
      }),
    ),
  )
  return true
}
