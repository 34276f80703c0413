import { User } from '../modules/auth/user.model'
import { Second, Topic } from '../modules/deliberation/deliberation.model'
import { ensureRules } from '../modules/deliberation/rules.service'
import { recordTopicMonth } from '../modules/deliberation/topic.months'
import type { Demo } from './demo'

/**
 * 议事 demo: each community's 议/不议 lists from the labelled examples, and one topic in 望平社区
 * proposed by 张阿姨 and seconded by 李师傅, waiting for screening.
 */
export async function seedDeliberationDemo(demo: Demo): Promise<void> {
  await ensureRules(demo.communityA.id)
  await ensureRules(demo.communityB.id)
  const [zhang, li] = await Promise.all([
    User.findOne({ openid: 'dev:resident-zhang' }).lean(),
    User.findOne({ openid: 'dev:resident-li' }).lean(),
  ])
  if (!zhang || !li) return
  const createdAt = new Date()
  const topic = await Topic.create({
    communityId: demo.communityA.id,
    createdAt,
    month: await recordTopicMonth(demo.communityA.id, createdAt),
    title: '12号院增设电动自行车充电棚',
    description:
      '院里电动自行车越来越多，不少邻居从楼道拉线充电，存在火灾隐患。建议在院内空地增设带计量的充电棚，费用和位置请大家一起商量。（示例议题）',
    scopeType: 'community',
    courtyardId: null,
    scopeName: demo.communityA.name,
    proposerId: zhang._id,
    proposerName: zhang.nickname,
    proposerRole: 'resident',
    history: [{ at: new Date(), action: 'proposed', note: '' }],
    secondCount: 1,
    commentCount: 0,
    ratingCount: 0,
    ratingSum: 0,
  })
  await Second.create({ topicId: topic._id, userId: li._id, communityId: demo.communityA.id })
}
