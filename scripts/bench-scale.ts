/**
 * `npm run bench:scale`: the hot reads of one community of 15 k residents with two years of activity,
 * next to the same reads on the demo data, on the embedded engine (FerretDB over PostgreSQL unless
 * `LINLI_ENGINE`/`MONGODB_URI` say otherwise) in a throw-away data directory.
 *
 * Phase 1 seeds the demo street into a fresh database and measures. Phase 2 starts the BFF on a
 * second fresh database (so every declared index exists before any document), seeds the demo street,
 * then bulk-inserts into 望平社区, shaped as the services write them (through each model's casts and
 * defaults): 15 k verified residents with their memberships, ≈ 300 k ledger entries and their
 * balances, 10 k needs with timelines and facts, 20 k bookings (slots claimed only by bookings that
 * still hold them, as the services release the rest), 500 topics with seconds, comments and
 * ratings, and 3 k redemptions with their vouchers. Then it measures the same reads, BFF and raw.
 * Sizes scale with BENCH_SCALE (1 = the figures above). BENCH_DATA_DIR keeps the engine's files there
 * and seeds phase 2 only the first time (later runs measure the same community again; startup
 * backfills run on it as on any older database).
 * As in `npm run bench`, the queries are captured on the in-process BFF and the BFF's load goes to a
 * compiled BFF in its own process over the same database, as production runs it.
 */
import { type NeedStatus, needNumber, type TopicStatus } from '@linli/shared-types'
import mongoose, { type Model } from 'mongoose'
import { signAccessToken } from '../bff/src/modules/auth/tokens'
import { User } from '../bff/src/modules/auth/user.model'
import { Booking, SlotClaim } from '../bff/src/modules/booking/booking.model'
import { Space } from '../bff/src/modules/booking/space.model'
import { Comment, Rating, Second, Topic } from '../bff/src/modules/deliberation/deliberation.model'
import { backfillTopicCounts } from '../bff/src/modules/deliberation/topic.counts'
import { backfillTopicMonths, recordTopicMonth } from '../bff/src/modules/deliberation/topic.months'
import { Need, NeedCategory, type NeedDoc, NeedFact } from '../bff/src/modules/needs/need.model'
import { backfillDays } from '../bff/src/modules/needs/needs.days'
import { backfillFactMonths, factsOf } from '../bff/src/modules/needs/needs.facts'
import { backfillQueue, backfillQueueDays } from '../bff/src/modules/needs/needs.queue'
import { NO_DEADLINE } from '../bff/src/modules/needs/needs.service'
import { LedgerEntry, PointBalance } from '../bff/src/modules/points/points.model'
import { Redemption, Reward, Voucher } from '../bff/src/modules/points/rewards.model'
import { loadConfig } from '../bff/src/platform/config'
import { monthOf } from '../bff/src/platform/months'
import { seedDemo } from '../bff/src/seed/demo'
import { startServer } from '../bff/src/server'
import { startBffProcess } from './bench-process'
import { hotReads, loadAverage, measureReads, type Read, type ReadRow } from './bench-reads'
import { startEngine } from './engine/index'

process.env.LINLI_ENGINE ??= 'postgresql'
const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)
const scale = Number(process.env.BENCH_SCALE ?? 1)
const target = 150

const sizes = {
  residents: Math.round(15_000 * scale),
  ledger: Math.round(300_000 * scale),
  needs: Math.round(10_000 * scale),
  bookings: Math.round(20_000 * scale),
  topics: Math.round(500 * scale),
  vouchers: Math.round(3_000 * scale),
}

const DAY = 86_400_000
const now = Date.now()
const twoYears = 730 * DAY
/** A deterministic pseudo-random stream, so every run seeds the same community. */
let state = 42
const rand = () => {
  state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
  return state / 2_147_483_648
}
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!
const oid = () => new mongoose.Types.ObjectId()
const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'

const dataDir = process.env.BENCH_DATA_DIR
const engine = await startEngine(dataDir ? { dataDir } : {})
const config = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  HOST: '127.0.0.1',
  PORT: '0',
  LOGIN_RATE_PER_MINUTE: '100000',
})

async function bff(dbName: string) {
  return startServer(config, { mongoUri: engine.uri, dbName, sweepers: false, monitorCommands: true })
}

/** Measures the reads with the BFF side's load on a compiled BFF over database `dbName`. */
async function measure(base: string, dbName: string, reads: Read[], explain: boolean) {
  const uri = new URL(engine.uri)
  uri.pathname = `/${dbName}`
  const server = await startBffProcess(uri.toString(), { sweepers: false })
  return measureReads(base, engine.uri, reads, {
    connections,
    seconds,
    explain,
    log: console.log,
    loadBase: server.url,
    loadPid: server.pid,
  }).finally(server.stop)
}

async function login(base: string, role: string, handle: string, scopeId?: string) {
  const res = await fetch(`${base}/api/v1/auth/dev`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role, handle, ...(scopeId ? { scopeId } : {}) }),
  })
  return ((await res.json()) as { accessToken: string }).accessToken
}

/** Inserts docs, cast through the model, in batches; returns how many. */
async function bulk<T>(model: Model<T>, docs: Iterable<Record<string, unknown>>, batch = 2000) {
  let n = 0
  let chunk: Record<string, unknown>[] = []
  const flush = async () => {
    if (!chunk.length) return
    const cast = chunk.map((d) => new model(d).toObject({ depopulate: true }))
    await model.collection.insertMany(cast as never[], { ordered: false })
    n += chunk.length
    chunk = []
  }
  for (const d of docs) {
    chunk.push(d)
    if (chunk.length >= batch) await flush()
  }
  await flush()
  return n
}

try {
  console.log(
    `engine: ${engine.name}${engine.backend ? ` over ${engine.backend}` : ''}; ${seconds} s per read and path, ` +
      `${connections} connections; load average ${await loadAverage()}`,
  )

  // ---- phase 1: the demo data ------------------------------------------------------------------
  const smallDb = `scale_small_${Date.now()}`
  let running = await bff(smallDb)
  let small: ReadRow[] = []
  // BENCH_ONLY=scale skips the demo phase (while working on the large one).
  if (process.env.BENCH_ONLY !== 'scale') {
    const { demo } = await seedDemo()
    const resident = await login(running.url, 'resident', 'resident-zhang')
    const staff = await login(running.url, 'staff', 'staff-wangping', demo.communityA.id)
    console.log(`phase 1: demo data; load average ${await loadAverage()}`)
    const reads = await hotReads(running.url, { resident, staff, communityId: demo.communityA.id })
    small = await measure(running.url, smallDb, reads, false)
  }
  await running.close()

  // ---- phase 2: one community of 15 k residents, two years ----------------------------------------
  const bigDb = dataDir ? `scale_big_${scale}` : `scale_big_${Date.now()}`
  running = await bff(bigDb)
  const { demo } = await seedDemo()
  const seededBefore = Boolean(dataDir) && (await Topic.estimatedDocumentCount()) >= sizes.topics
  const c = demo.communityA
  const communityId = new mongoose.Types.ObjectId(c.id)
  const streetId = new mongoose.Types.ObjectId(demo.streetId)
  const seedStart = performance.now()
  const counts: Record<string, number> = {}
  const timed = async (name: string, fn: () => Promise<number>) => {
    const t = performance.now()
    counts[name] = await fn()
    console.log(`  ${name}: ${counts[name]} in ${Math.round(performance.now() - t)} ms`)
  }
  console.log(`phase 2: ${seededBefore ? 'reusing' : 'seeding'} ${JSON.stringify(sizes)}`)

  const spaces = await Space.find({ communityId }).lean()
  const categories = await NeedCategory.find({ communityId }).lean()
  const rewards = await Reward.find({ communityId }).lean()
  if (!spaces.length || !categories.length || !rewards.length)
    throw new Error('the demo community has no spaces, need categories or rewards')
  if (!seededBefore) {
    // Residents: verified, spread over the community's grids, courtyards and buildings.
    const people = Array.from({ length: sizes.residents }, (_, i) => {
      const b = i % c.buildingIds.length
      return {
        _id: oid(),
        name: `${surnames[i % surnames.length]}${i}`,
        gridId: c.gridIds[i % c.gridIds.length]!,
        courtyardId: c.courtyardIds[i % c.courtyardIds.length]!,
        buildingId: c.buildingIds[b]!,
        household: `${c.buildingIds[b]}:${1 + (i % 4)}:${100 + Math.floor(i / 8)}`,
      }
    })
    await timed('users', () =>
      bulk(
        User,
        people.map((p, i) => ({
          _id: p._id,
          openid: `dev:scale-${i}`,
          nickname: p.name,
          residency: {
            status: 'verified',
            communityId,
            gridId: p.gridId,
            courtyardId: p.courtyardId,
            buildingId: p.buildingId,
            householdKey: p.household,
          },
          createdAt: new Date(now - rand() * twoYears),
        })),
      ),
    )

    // The ledger: every resident's entries in the order their balance moved, with their balances.
    function* ledger(balances: Record<string, unknown>[]) {
      const perResident = sizes.ledger / sizes.residents
      for (const [i, p] of people.entries()) {
        const n = Math.max(1, Math.round(perResident * (0.5 + rand())))
        const times = Array.from({ length: n }, () => now - rand() * twoYears).sort((a, b) => a - b)
        const balance = { community: 0, volunteer: 0 }
        const seq = { community: 0, volunteer: 0 }
        for (const [k, t] of times.entries()) {
          const account = k % 3 === 2 ? 'volunteer' : 'community'
          const spend = balance[account] >= 30 && rand() < 0.2
          const delta = spend ? -(10 + Math.floor(rand() * 20)) : 5 + Math.floor(rand() * 15)
          balance[account] += delta
          seq[account]++
          yield {
            key: `scale:${i}:${k}`,
            userId: p._id,
            account,
            communityId,
            delta,
            reason: spend ? '兑换礼遇' : pick(['参加议事', '志愿服务', '反映办结', '参加活动']),
            refType: spend ? 'redemption' : pick(['topic', 'activity', 'need']),
            refId: String(oid()),
            balanceAfter: balance[account],
            expiresAt: spend ? null : new Date(new Date(t).getUTCFullYear() + 2, 0, 1),
            nonce: `scale${i}${k}`,
            order: `${String(Math.floor(t)).padStart(15, '0')}:${String(seq[account]).padStart(12, '0')}`,
            createdAt: new Date(t),
          }
        }
        for (const account of ['community', 'volunteer'] as const)
          if (seq[account])
            balances.push({
              userId: p._id,
              account,
              communityId,
              balance: balance[account],
              seq: seq[account],
              changedAt: new Date(times.at(-1)!),
            })
      }
    }
    const balances: Record<string, unknown>[] = []
    await timed('ledger entries', () => bulk(LedgerEntry, ledger(balances), 5000))
    await timed('point balances', () => bulk(PointBalance, balances, 5000))

    // Needs over two years: most closed, a few dozen still open in the queue.
    const statuses: NeedStatus[] = ['closed', 'closed', 'closed', 'resolved', 'withdrawn']
    const open: NeedStatus[] = ['submitted', 'accepted', 'inProgress']
    function* needs() {
      for (let i = 0; i < sizes.needs; i++) {
        const p = pick(people)
        const cat = pick(categories)
        const status = i % 40 === 0 ? pick(open) : pick(statuses)
        const createdAt = new Date(now - (status === 'closed' ? rand() * twoYears : rand() * 30 * DAY))
        const isOpen = open.includes(status)
        const deadline = new Date(createdAt.getTime() + (1 + Math.floor(rand() * 72)) * 3_600_000)
        const accepted = status !== 'submitted' && status !== 'withdrawn'
        const done = status === 'resolved' || status === 'closed'
        const entries = 3 + Math.floor(rand() * 5)
        yield {
          communityId,
          streetId,
          gridId: p.gridId,
          courtyardId: p.courtyardId,
          buildingId: p.buildingId,
          categoryId: cat._id,
          categoryName: cat.name,
          no: needNumber(new Date(createdAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10), i + 1),
          reporterId: p._id,
          reporterName: p.name,
          contactPhone: '13812345678',
          title: `${cat.name}：${pick(['楼道灯不亮', '下水道堵塞', '电梯异响', '垃圾未清运', '路面破损'])}`,
          description: '楼道灯坏了，晚上很黑，老人上下楼不方便，请尽快修理。',
          location: '3栋2单元',
          urgency: rand() < 0.1 ? 'urgent' : 'normal',
          status,
          level: 'courtyard',
          timer: isOpen ? (status === 'submitted' ? 'accept' : 'resolve') : null,
          deadlineAt: isOpen ? deadline : null,
          queueAt: isOpen ? deadline : NO_DEADLINE,
          sla: cat.sla,
          acceptDueAt: new Date(createdAt.getTime() + 3_600_000),
          acceptedAt: accepted ? new Date(createdAt.getTime() + 1_800_000) : null,
          resolvedAt: done ? new Date(createdAt.getTime() + 2 * DAY) : null,
          rating: status === 'closed' ? 3 + Math.floor(rand() * 3) : null,
          rev: entries,
          createdAt,
          updatedAt: createdAt,
          timeline: Array.from({ length: entries }, (_, k) => ({
            at: new Date(createdAt.getTime() + k * 3_600_000),
            kind: k === 0 ? 'submitted' : 'note',
            actorId: k === 0 ? p._id : null,
            actorRole: k === 0 ? 'resident' : 'handler',
            actorName: k === 0 ? p.name : '网格员',
            note: '已联系物业，明天上午派人维修。',
            status,
            level: 'courtyard',
          })),
          stat: {
            counted: status === 'withdrawn' ? 0 : 1,
            acceptedOnTime: accepted && rand() < 0.9 ? 1 : 0,
            resolvedKept: done ? 1 : 0,
            rated: status === 'closed' ? 1 : 0,
            satisfied: status === 'closed' && rand() < 0.85 ? 1 : 0,
            acceptCount: accepted ? 1 : 0,
            acceptMinutes: accepted ? 30 : 0,
            resolveCount: done ? 1 : 0,
            resolveMinutes: done ? 2880 : 0,
          },
        }
      }
    }
    await timed('needs (and their facts)', async () => {
      let n = 0
      let chunk: NeedDoc[] = []
      const flush = async () => {
        await Need.collection.insertMany(chunk as never[], { ordered: false })
        await NeedFact.collection.insertMany(
          chunk.map((d) =>
            new NeedFact({ _id: d._id, ...factsOf(d, 'Asia/Shanghai') }).toObject(),
          ) as never[],
          { ordered: false },
        )
        n += chunk.length
        chunk = []
      }
      for (const d of needs()) {
        chunk.push(new Need(d).toObject() as unknown as NeedDoc)
        if (chunk.length >= 1000) await flush()
      }
      if (chunk.length) await flush()
      return n
    })

    // Bookings over two years; those still ahead hold their slots (the rest were released).
    const claims: Record<string, unknown>[] = []
    function* bookings() {
      for (let i = 0; i < sizes.bookings; i++) {
        const space = spaces[i % spaces.length]!
        const p = pick(people)
        // 1 in 40 lies in the coming fortnight, the rest in the past two years.
        const ahead = i % 40 === 0
        const day = ahead ? 1 + Math.floor(rand() * 14) : -1 - Math.floor(rand() * 729)
        const midnight = Math.floor((now + 8 * 3_600_000) / DAY) * DAY - 8 * 3_600_000 + day * DAY
        const start = new Date(midnight + (8 + Math.floor(rand() * 12)) * 3_600_000)
        const minutes = space.slotMinutes * (1 + Math.floor(rand() * 4))
        const end = new Date(start.getTime() + minutes * 60_000)
        const status = ahead
          ? 'approved'
          : pick(['completed', 'completed', 'completed', 'cancelled', 'noShow'])
        const createdAt = new Date(start.getTime() - (1 + rand() * 5) * DAY)
        const _id = oid()
        if (ahead)
          for (let t = start.getTime(); t < end.getTime(); t += space.slotMinutes * 60_000)
            claims.push({ spaceId: space._id, slotStart: new Date(t), bookingId: _id, userId: p._id })
        yield {
          _id,
          communityId,
          spaceId: space._id,
          spaceName: space.name,
          userId: p._id,
          residentName: p.name,
          contactPhone: '13812345678',
          purpose: pick(['羽毛球', '读书会', '楼栋议事', '老年合唱排练']),
          attendees: 2 + Math.floor(rand() * 10),
          start,
          end,
          minutes,
          noShowAfter: new Date(start.getTime() + space.noShowGraceMinutes * 60_000),
          status,
          decidedAt: createdAt,
          checkedInAt: status === 'completed' ? start : null,
          releasedAt: ahead ? null : end,
          createdAt,
          updatedAt: ahead ? createdAt : end,
        }
      }
    }
    await timed('bookings', () => bulk(Booking, bookings(), 5000))
    // Two bookings drawn onto one slot: the later one loses it, as the unique index would have it.
    await timed('slot claims', async () => {
      const seen = new Set<string>()
      const unique = claims.filter((x) => {
        const key = `${x.spaceId}:${(x.slotStart as Date).getTime()}`
        return !seen.has(key) && !!seen.add(key)
      })
      return bulk(SlotClaim, unique, 5000)
    })

    // Topics with their seconds, comments and ratings.
    const topicStatuses: TopicStatus[] = ['done', 'done', 'passed', 'failed', 'refused', 'implementing']
    const topicIds: mongoose.Types.ObjectId[] = []
    const seconds_: Record<string, unknown>[] = []
    const comments: Record<string, unknown>[] = []
    const ratings: Record<string, unknown>[] = []
    function* topics() {
      for (let i = 0; i < sizes.topics; i++) {
        const p = pick(people)
        const _id = oid()
        topicIds.push(_id)
        const status = i >= sizes.topics - 10 ? 'proposed' : pick(topicStatuses)
        const createdAt = new Date(status === 'proposed' ? now - rand() * 10 * DAY : now - rand() * twoYears)
        const voters = new Set<number>()
        for (let k = 0; k < 5 + Math.floor(rand() * 20); k++) voters.add(Math.floor(rand() * people.length))
        for (const v of voters)
          seconds_.push({ topicId: _id, userId: people[v]!._id, communityId, createdAt })
        const commentsBefore = comments.length
        for (let k = 0; k < Math.floor(rand() * 20); k++) {
          const a = pick(people)
          comments.push({
            topicId: _id,
            communityId,
            authorId: a._id,
            authorName: a.name,
            authorRole: 'resident',
            body: '同意，楼道照明确实需要改造，晚上老人出行不方便。',
            createdAt: new Date(createdAt.getTime() + k * 3_600_000),
          })
        }
        let ratingSum = 0
        if (status === 'done')
          for (const v of voters) {
            const stars = 3 + Math.floor(rand() * 3)
            ratingSum += stars
            ratings.push({
              topicId: _id,
              userId: people[v]!._id,
              communityId,
              stars,
              createdAt: new Date(createdAt.getTime() + 30 * DAY),
            })
          }
        yield {
          _id,
          communityId,
          title: `议题${i}：${pick(['楼道照明改造', '增设非机动车充电桩', '小区绿化提升', '加装电梯'])}`,
          description: '楼道灯经常坏，晚上回家很不安全，建议统一更换为声控灯。',
          scopeType: 'community',
          scopeName: c.name,
          proposerId: p._id,
          proposerName: p.name,
          proposerRole: 'resident',
          status,
          promotedAt: status === 'proposed' ? null : createdAt,
          progress: status === 'done' ? 100 : 0,
          history: [{ at: createdAt, action: 'propose', note: '' }],
          month: monthOf(createdAt),
          // The counters as the services keep them (topic.counts.ts).
          secondCount: voters.size,
          commentCount: comments.length - commentsBefore,
          ratingCount: status === 'done' ? voters.size : 0,
          ratingSum,
          createdAt,
          updatedAt: createdAt,
        }
      }
    }
    await timed('topics', () => bulk(Topic, topics()))
    await timed('topic months', async () => {
      const topics = await Topic.find({ communityId }, { createdAt: 1 }).lean()
      const months = new Map(topics.map((t) => [monthOf(t.createdAt), t.createdAt]))
      for (const at of months.values()) await recordTopicMonth(communityId, at)
      return months.size
    })
    await timed('topic seconds', () => bulk(Second, seconds_, 5000))
    await timed('topic comments', () => bulk(Comment, comments, 5000))
    await timed('topic ratings', () => bulk(Rating, ratings, 5000))

    // Redemptions of the community's rewards, completed, each with its voucher.
    const vouchers: Record<string, unknown>[] = []
    function* redemptions() {
      for (let i = 0; i < sizes.vouchers; i++) {
        const p = people[(i * 7) % people.length]!
        const r = rewards[i % rewards.length]!
        const createdAt = new Date(now - rand() * twoYears)
        const _id = oid()
        const voucherId = oid()
        const expiresAt = new Date(createdAt.getTime() + r.voucherDays * DAY)
        const redeemed = expiresAt.getTime() < now && rand() < 0.8
        vouchers.push({
          _id: voucherId,
          code: `S${String(i).padStart(9, '0')}`,
          redemptionId: _id,
          rewardId: r._id,
          merchantId: r.merchantId,
          merchantName: r.merchantName,
          communityId,
          userId: p._id,
          holderName: p.name,
          title: r.title,
          cost: r.cost,
          account: r.account,
          status: expiresAt.getTime() > now ? 'issued' : redeemed ? 'redeemed' : 'expired',
          expiresAt,
          redeemedAt: redeemed ? new Date(createdAt.getTime() + DAY) : null,
          returnedAt: !redeemed && expiresAt.getTime() <= now ? expiresAt : null,
          createdAt,
          updatedAt: createdAt,
        })
        yield {
          _id,
          userId: p._id,
          communityId,
          rewardId: r._id,
          merchantId: r.merchantId,
          account: r.account,
          cost: r.cost,
          state: 'completed',
          limitSlot: String(_id),
          requestKey: `scale:${i}`,
          voucherId,
          createdAt,
          updatedAt: createdAt,
        }
      }
    }
    await timed('redemptions', () => bulk(Redemption, redemptions(), 5000))
    await timed('vouchers', () => bulk(Voucher, vouchers, 5000))
  }
  // The startup backfills the sweepers would run (they are off here): on data seeded by an older
  // version they fill the new keys; on fresh data they only mark themselves done.
  await timed('backfill: topic months', async () => {
    let n = 0
    for (let batch = 1; batch; n += batch) batch = await backfillTopicMonths()
    return n
  })
  await timed('backfill: topic counters', async () => {
    let n = 0
    for (let batch = 1; batch; n += batch) batch = await backfillTopicCounts()
    return n
  })
  await timed('backfill: need queue', backfillQueue)
  await timed('backfill: need queue days', backfillQueueDays)
  await timed('backfill: need fact months', async () => {
    let n = 0
    for (let batch = 1; batch; n += batch) batch = await backfillFactMonths()
    return n
  })
  await timed('backfill: need day sums', async () => {
    let n = 0
    for (let batch = 1; batch; n += batch) batch = await backfillDays()
    return n
  })
  // Documents seeded: the backfills' counts are documents changed, not added.
  const total = Object.entries(counts)
    .filter(([name]) => !name.startsWith('backfill'))
    .reduce((a, [, n]) => a + n, 0)
  const seedMs = Math.round(performance.now() - seedStart)
  console.log(
    `seeded ${total} documents in ${(seedMs / 1000).toFixed(1)} s; load average ${await loadAverage()}`,
  )

  // The reads: a resident with an average history, the community's staff, the busiest space and a
  // topic with its full discussion.
  const me = await User.findOne({ openid: `dev:scale-${Math.floor(sizes.residents / 2)}` }).lean()
  if (!me) throw new Error('the seeded resident is missing')
  const resident = signAccessToken(config, String(me._id), 'bench')
  const staff = await login(running.url, 'staff', 'staff-wangping', c.id)
  const busiest = spaces[0]!
  const topic =
    (
      await Comment.aggregate([
        { $group: { _id: '$topicId', n: { $sum: 1 } } },
        { $sort: { n: -1 } },
        { $limit: 1 },
      ])
    )[0]?._id ?? (await Topic.findOne({ communityId }).lean())?._id
  console.log(`phase 2: measuring; load average ${await loadAverage()}`)
  const reads = await hotReads(running.url, {
    resident,
    staff,
    communityId: c.id,
    spaceId: String(busiest._id),
    topicId: String(topic),
  })
  const big = await measure(running.url, bigDb, reads, true)

  console.log(
    `\n${sizes.residents} residents, ${total} documents seeded in ${(seedMs / 1000).toFixed(1)} s; ` +
      `${connections} connections, ${seconds} s each; load average ${await loadAverage()}`,
  )
  console.log(
    '| read | demo p50 / p95 ms | 15 k p50 / p95 ms | 15 k raw p50 / p95 ms | BFF/raw | BFF CPU ms/req | queries | p95 ≤ 150 ms |',
  )
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: |')
  for (const [i, r] of big.entries()) {
    const s = small[i]
    console.log(
      `| ${r.name} | ${s ? `${s.bff.p50} / ${s.bff.p95}` : '–'} | ${r.bff.p50} / ${r.bff.p95} | ${r.raw.p50} / ${r.raw.p95} | ${r.ratio}× | ${r.bffCpuMs} | ${r.queries} | ${r.bff.p95 <= target && r.bff.rps > 0 && !r.bff.errors ? 'yes' : 'NO'} |`,
    )
  }
  await running.close()
} finally {
  await mongoose.disconnect().catch(() => {})
  await engine.stop()
}
