import { Types } from 'mongoose'
import { describe, expect, it } from 'vitest'
import { commandsOf } from '../../../test/commands'
import { startTestApp } from '../../../test/harness'
import { Checkpoint } from '../../platform/checkpoints'
import { deleteAccount } from '../privacy/deletion.service'
import { Comment, Rating, Second, Topic, TopicRecount } from './deliberation.model'
import { deliberationSweeper } from './deliberation.sweeper'
import { backfillTopicCounts, MARGIN_MS, markRecount } from './topic.counts'

const app = await startTestApp({ LOGIN_RATE_PER_MINUTE: '100000' }, { monitorCommands: true })
const { communityA } = app.demo
const zhang = await app.login('resident', { handle: 'resident-zhang' })
const residents = await app.verifiedResidents(20, communityA.id, 'counts')

async function propose(title = '小区绿化提升') {
  const res = await app.call(
    'proposeTopic',
    { body: { communityId: communityA.id, title, description: '绿地多年未修整，建议补种。' } },
    { token: zhang },
  )
  expect(res.status).toBe(201)
  return res.body.id as string
}

const counters = async (id: string) =>
  (await Topic.findById(id, { secondCount: 1, commentCount: 1, ratingCount: 1, ratingSum: 1 }).lean())!

async function listed(id: string) {
  // Recent topics lead the community's list (zhang's is newest when asked right after).
  const res = await app.call('listTopics', { query: { communityId: communityA.id } }, { token: zhang })
  expect(res.status).toBe(200)
  return (res.body.items as { id: string; secondsCount: number; commentsCount: number }[]).find(
    (t) => t.id === id,
  )
}

describe('topic counters', () => {
  it('are exact after concurrent 附议 and comments over HTTP; the list then reads no other collection', async () => {
    const id = await propose()
    const seconds = residents.map((r) => app.call('secondTopic', { params: { id } }, { token: r.token }))
    const comments = residents.flatMap((r, i) =>
      [0, 1].map((k) =>
        app.call('commentOnTopic', { params: { id }, body: { body: `意见${i}-${k}` } }, { token: r.token }),
      ),
    )
    const replies = await Promise.all([...seconds, ...comments])
    expect(replies.map((r) => r.status).filter((s) => s >= 300)).toEqual([])
    expect(await Second.countDocuments({ topicId: id })).toBe(20)
    expect(await Comment.countDocuments({ topicId: id })).toBe(40)
    expect(await counters(id)).toMatchObject({ secondCount: 20, commentCount: 40 })

    let item: Awaited<ReturnType<typeof listed>>
    const sent = await commandsOf(async () => {
      item = await listed(id)
    })
    expect(item!).toMatchObject({ secondsCount: 20, commentsCount: 40 })
    const others = sent.filter((q) =>
      ['deliberation_seconds', 'deliberation_comments'].includes(q.collection),
    )
    expect(others).toEqual([])

    const detail = await app.call('getTopic', { params: { id } }, { token: residents[0]!.token })
    expect(detail.body).toMatchObject({ secondsCount: 20, commentsCount: 40, seconded: true })
    expect(detail.body.comments).toHaveLength(40)
  })

  it('concurrent ratings leave the exact count and average', async () => {
    const id = await propose('加装电梯')
    await Topic.updateOne({ _id: id }, { $set: { status: 'done', progress: 100 } })
    const stars = residents.map((_, i) => 1 + (i % 5))
    const replies = await Promise.all(
      residents.map((r, i) =>
        app.call('rateTopicOutcome', { params: { id }, body: { stars: stars[i] } }, { token: r.token }),
      ),
    )
    expect(replies.map((r) => r.status).filter((s) => s >= 300)).toEqual([])
    const sum = stars.reduce((a, b) => a + b, 0)
    expect(await counters(id)).toMatchObject({ ratingCount: 20, ratingSum: sum })
    const detail = await app.call('getTopic', { params: { id } }, { token: residents[3]!.token })
    expect(detail.body.rating).toEqual({ count: 20, average: Math.round((sum / 20) * 10) / 10 })
    expect(detail.body.myRating).toBe(stars[3])
  })

  it('the sweeper recounts a topic whose write died before its counter, once its mark is old enough', async () => {
    const id = await propose('增设非机动车充电桩')
    // A 附议 whose request died after its mark and insert (steps 1–2), and a counter gone wrong.
    await markRecount([id])
    await Second.collection.insertOne({
      topicId: new Types.ObjectId(id),
      userId: new Types.ObjectId(residents[5]!.id),
      communityId: new Types.ObjectId(communityA.id),
    } as never)
    await Topic.collection.updateOne({ _id: new Types.ObjectId(id) }, { $set: { commentCount: 7 } })
    expect(await counters(id)).toMatchObject({ secondCount: 0, commentCount: 7 })

    // A fresh mark may belong to a write still in flight: left alone.
    await deliberationSweeper.run(app.deps, new Date())
    expect(await counters(id)).toMatchObject({ secondCount: 0, commentCount: 7 })
    expect(await TopicRecount.countDocuments({ _id: id })).toBe(1)

    await deliberationSweeper.run(app.deps, new Date(Date.now() + MARGIN_MS + 1000))
    expect(await counters(id)).toMatchObject({
      secondCount: 1,
      commentCount: 0,
      ratingCount: 0,
      ratingSum: 0,
    })
    expect(await TopicRecount.countDocuments({ _id: id })).toBe(0)
    expect(await listed(id)).toMatchObject({ secondsCount: 1, commentsCount: 0 })
  })

  it('an account deletion lowers the comment counters of the topics it leaves', async () => {
    const id = await propose('楼道堆物清理')
    const [a, b] = await app.verifiedResidents(2, communityA.id, 'leaving')
    for (const r of [a!, a!, b!])
      expect(
        (await app.call('commentOnTopic', { params: { id }, body: { body: '同意' } }, { token: r.token }))
          .status,
      ).toBe(201)
    expect(await counters(id)).toMatchObject({ commentCount: 3 })
    await deleteAccount(a!.id)
    expect(await counters(id)).toMatchObject({ commentCount: 1 })
    expect(await listed(id)).toMatchObject({ commentsCount: 1 })
  })

  it('topics from before the counters are counted on read, then backfilled once', async () => {
    const id = await propose('健身器材维修')
    await app.call('secondTopic', { params: { id } }, { token: residents[0]!.token })
    await app.call(
      'commentOnTopic',
      { params: { id }, body: { body: '赞成' } },
      { token: residents[1]!.token },
    )
    const _id = new Types.ObjectId(id)
    await Topic.collection.updateOne(
      { _id },
      { $unset: { secondCount: 1, commentCount: 1, ratingCount: 1, ratingSum: 1 } },
    )
    await Rating.deleteMany({ topicId: id })
    expect(await listed(id)).toMatchObject({ secondsCount: 1, commentsCount: 1 })

    await Checkpoint.deleteOne({ _id: 'topic-counts' })
    let n = 0
    for (let batch = 1; batch; n += batch) batch = await backfillTopicCounts(2)
    expect(n).toBeGreaterThanOrEqual(1)
    expect(await counters(id)).toMatchObject({
      secondCount: 1,
      commentCount: 1,
      ratingCount: 0,
      ratingSum: 0,
    })
    // Done: a later pass reads only the checkpoint.
    const sent = await commandsOf(() => backfillTopicCounts())
    expect(sent.map((q) => q.collection)).toEqual(['sweeper_checkpoints'])
  })
})
