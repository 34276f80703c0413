import { PRIVACY_NOTICE_VERSION, shiftDate, zoneAt, zoneDate } from '@linli/shared-types'
import type { TestApp } from '../harness'
import type { Fixtures, MarkerKind, RoleName, Side, SideRecords } from './matrix'

const TZ = 'Asia/Shanghai'
/** Every name of B's non-public records carries this, so a leak of any of them is found by text. */
export const SECRET = '机密'

const allDay = Array.from({ length: 7 }, (_, weekday) => ({ weekday, open: '00:00', close: '24:00' }))
const at = (date: string, minutes: number) => zoneAt(date, minutes, TZ).toISOString()

export interface Matrix {
  fx: Fixtures
  /** The same records, where `fresh` hands out the shared ones: for cells expected to be refused. */
  shared: Fixtures
  tokens: Record<Exclude<RoleName, 'anon'>, string>
  /** B's non-public records: ids and names that must not reach anyone who does not reach B. */
  markers: { kind: MarkerKind; value: string }[]
}

/** Seeds, through the API, one of every kind of record in community A and in community B. */
export async function seedMatrix(app: TestApp): Promise<Matrix> {
  const { demo } = app
  let n = 0
  const must = async <T = any>(
    id: Parameters<TestApp['call']>[0],
    input: Record<string, unknown>,
    token: string,
    headers?: Record<string, string>,
  ): Promise<T> => {
    const res = await app.call(id, input, { token, headers })
    if (res.status >= 300) throw new Error(`fixture ${id}: ${res.status} ${JSON.stringify(res.body)}`)
    return res.body as T
  }
  const street = await app.login('streetStaff', { scopeId: demo.streetId, handle: 'street-mzw' })
  const staffOf: Record<Side, string> = {
    own: await app.login('staff', { scopeId: demo.communityA.id, handle: 'staff-wangping' }),
    foreign: await app.login('staff', { scopeId: demo.communityB.id, handle: 'staff-xiangmulin' }),
  }
  const community = { own: demo.communityA, foreign: demo.communityB }
  const [residentA] = await app.verifiedResidents(1, demo.communityA.id, 'mx-res-a')
  const [residentB] = await app.verifiedResidents(1, demo.communityB.id, 'mx-res-b')
  const residentOf = { own: residentA!, foreign: residentB! }
  const tag = (side: Side, name: string) => (side === 'foreign' ? `${name}${SECRET}` : name)
  const today = zoneDate(new Date(), TZ)

  // Merchants: A's is the demo bakery; B gets one of its own with a cashier account.
  const cashierB = await app.call<{ user: { id: string } }>('devLogin', {
    body: { role: 'resident', handle: 'mx-cashier-b' },
  })
  const merchantB = await must(
    'createMerchant',
    {
      body: {
        communityId: demo.communityB.id,
        name: '香木林茶铺',
        address: '香木林路3号',
        staffUserIds: [cashierB.body.user.id],
      },
    },
    staffOf.foreign,
  )
  const merchantOf = { own: demo.merchantId, foreign: merchantB.id as string }

  const spaceOf = {} as Record<Side, string>
  const categoryOf = {} as Record<Side, string>
  const rewardOf = {} as Record<Side, string>
  const itemOf = {} as Record<Side, string>
  const activity = async (side: Side) => {
    const start = new Date(Date.now() + (30 + (++n % 20)) * 86_400_000)
    return must(
      'createActivity',
      {
        body: {
          communityId: community[side].id,
          title: tag(side, `矩阵活动${n}`),
          location: '党群服务中心',
          contactPhone: '13800000000',
          volunteer: false,
          pointsPerHour: null,
          placesPerSession: 10,
          schedule: {
            kind: 'once',
            sessions: [
              { start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString() },
            ],
          },
        },
      },
      staffOf[side],
    )
  }
  let slot = 0
  const fresh: Fixtures['fresh'] = {
    async topic(side) {
      const t = await must(
        'proposeTopic',
        {
          body: {
            communityId: community[side].id,
            title: tag(side, `矩阵议题${++n}`),
            description: '楼道照明需要改善，请大家商量。',
          },
        },
        residentOf[side].token,
      )
      return t.id
    },
    async need(side) {
      const need = await must(
        'createNeed',
        {
          body: {
            categoryId: categoryOf[side],
            title: tag(side, `矩阵反映${++n}`),
            description: '楼道灯不亮了，晚上看不见路',
            ignoreDuplicates: true,
          },
        },
        residentOf[side].token,
      )
      return need.id
    },
    async booking(side) {
      // A resident of its own per booking, so no quota is ever reached; one slot each.
      const [booker] = await app.verifiedResidents(1, community[side].id)
      const k = slot++
      const date = shiftDate(today, 2 + Math.floor(k / 40))
      const start = 120 + (k % 40) * 30
      const booking = await must(
        'createBooking',
        {
          body: {
            spaceId: spaceOf[side],
            start: at(date, start),
            end: at(date, start + 30),
            purpose: '楼栋议事会',
            attendees: 4,
            contactPhone: '13812345678',
          },
        },
        booker!.token,
      )
      return booking.id
    },
    async blackout(side) {
      const date = shiftDate(today, 40 + (n++ % 20))
      const b = await must(
        'createBlackout',
        {
          body: {
            communityId: community[side].id,
            spaceId: spaceOf[side],
            start: at(date, 60),
            end: at(date, 90),
            reason: tag(side, '设备检修'),
          },
        },
        staffOf[side],
      )
      return b.id
    },
    async claim(side) {
      const claimant = await app.login('resident', { handle: `mx-claim-${++n}` })
      const c = community[side]
      const claim = await must(
        'submitResidencyClaim',
        {
          body: {
            communityId: c.id,
            courtyardId: c.courtyardIds[0],
            buildingId: c.buildingIds[0],
            unit: '1',
            room: String(100 + n),
            consentVersion: PRIVACY_NOTICE_VERSION,
            realName: tag(side, '王小明'),
            phone: '13812345678',
          },
        },
        claimant,
      )
      return claim.id
    },
    async resident(side) {
      const [r] = await app.verifiedResidents(1, community[side].id, `mx-clerk-${++n}`)
      return r!.id
    },
    async hours(side) {
      const h = await must(
        'submitVolunteerHours',
        { body: { activity: tag(side, `敬老院探访${++n}`), date: today, hours: 2 } },
        residentOf[side].token,
      )
      return h.id
    },
    async voucher(side) {
      await must(
        'awardPoints',
        {
          body: { userId: residentOf[side].id, account: 'community', points: 20, reason: '矩阵测试发放' },
        },
        staffOf[side],
      )
      const v = await app.call(
        'redeemReward',
        { params: { id: rewardOf[side] } },
        { token: residentOf[side].token, headers: { 'Idempotency-Key': `mx-redeem-${++n}-0000` } },
      )
      if (v.status >= 300) throw new Error(`fixture redeemReward: ${JSON.stringify(v.body)}`)
      return { id: v.body.id, code: v.body.code }
    },
    async signUp(side) {
      const a = await activity(side)
      const s = await must('signUpForSession', { params: { id: a.sessions[0].id } }, residentOf[side].token)
      return s.id
    },
    async loan(side) {
      // One loan per item and resident: each loan is of an item of its own.
      const item = await must(
        'createItem',
        {
          body: {
            communityId: community[side].id,
            station: '生活驿站',
            name: tag(side, `矩阵折叠梯${++n}`),
            stock: 2,
            loanDays: 3,
          },
        },
        staffOf[side],
      )
      itemOf[side] ??= item.id
      const loan = await must('borrowItem', { params: { id: item.id } }, residentOf[side].token)
      return { id: loan.id, code: loan.code }
    },
  }

  async function side(s: Side): Promise<SideRecords> {
    const c = community[s]
    const staff = staffOf[s]
    const cats = await must<{ items: { id: string }[] }>(
      'listNeedCategories',
      { query: { communityId: c.id } },
      staff,
    )
    categoryOf[s] = cats.items[0]!.id
    const space = (enabled: boolean, name: string) =>
      must(
        'createSpace',
        {
          body: {
            communityId: c.id,
            name,
            type: 'meetingRoom',
            location: '党群服务中心',
            capacity: 20,
            openingHours: allDay,
            minNoticeMinutes: 0,
            bookingWindowDays: 62,
            maxActiveBookings: 50,
            maxHoursPerWeek: 168,
            requiresApproval: true,
            enabled,
          },
        },
        staff,
      )
    spaceOf[s] = (await space(true, `矩阵活动室${s}`)).id
    const hiddenSpace = await space(false, tag(s, '矩阵库房'))
    const reward = (title: string) =>
      must(
        'createReward',
        {
          body: {
            merchantId: merchantOf[s],
            title,
            cost: 10,
            account: 'community',
            stock: 100,
            perResidentLimit: 50,
            validFrom: new Date(Date.now() - 60_000).toISOString(),
            validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
            voucherDays: 7,
          },
        },
        staff,
      )
    rewardOf[s] = (await reward(`矩阵礼遇${s}`)).id
    const hiddenReward = await reward(tag(s, '矩阵下架礼遇'))
    await must('updateReward', { params: { id: hiddenReward.id }, body: { active: false } }, staff)
    const day = await must(
      'createDeliberationDay',
      { body: { communityId: c.id, date: '2031-03-20', place: tag(s, '矩阵议事厅') } },
      staff,
    )
    const voucher = await fresh.voucher(s)
    const act = await activity(s)
    const signUp = await must('signUpForSession', { params: { id: act.sessions[0].id } }, residentOf[s].token)
    const loan = await fresh.loan(s)
    const department = await must(
      'createDepartment',
      { body: { communityId: c.id, name: tag(s, '矩阵物业'), kind: 'other' } },
      staff,
      { 'Idempotency-Key': `mx-dept-${s}-000000` },
    )
    const whistledNeedId = await fresh.need(s)
    const whistled = await must(
      'escalateNeed',
      { params: { id: whistledNeedId }, body: { departmentId: department.id, note: '请协助' } },
      staff,
    )
    const notice = await must(
      'publishNotice',
      {
        body: { audienceId: c.id, title: tag(s, '矩阵停水通知'), body: '明天上午停水', requireConfirm: true },
      },
      staff,
      { 'Idempotency-Key': `mx-notice-${s}-000000` },
    )
    const visit = await must(
      'logHomeVisit',
      {
        body: {
          buildingId: c.buildingIds[0],
          household: '1单元302',
          date: today,
          planned: true,
          topics: [tag(s, '矩阵走访')],
        },
      },
      staff,
      { 'Idempotency-Key': `mx-visit-${s}-000000` },
    )
    const binding = await must('requestFamilyBinding', { body: { as: 'elder' } }, residentOf[s].token)
    return {
      communityId: c.id,
      gridId: c.gridIds[0]!,
      courtyardId: c.courtyardIds[0]!,
      buildingId: c.buildingIds[0]!,
      residentId: residentOf[s].id,
      topicId: await fresh.topic(s),
      dayId: day.id,
      needId: await fresh.need(s),
      whistledNeedId,
      whistleId: whistled.whistles[0].id,
      departmentId: department.id,
      noticeId: notice.id,
      homeVisitId: visit.id,
      bindingId: binding.id,
      spaceId: spaceOf[s],
      hiddenSpaceId: hiddenSpace.id,
      bookingId: await fresh.booking(s),
      blackoutId: await fresh.blackout(s),
      claimId: await fresh.claim(s),
      hoursId: await fresh.hours(s),
      merchantId: merchantOf[s],
      rewardId: rewardOf[s],
      hiddenRewardId: hiddenReward.id,
      voucherId: voucher.id,
      voucherCode: voucher.code,
      categoryId: categoryOf[s],
      activityId: act.id,
      sessionId: act.sessions[0].id,
      signUpId: signUp.id,
      itemId: itemOf[s],
      loanId: loan.id,
      loanCode: loan.code,
    }
  }

  const own = await side('own')
  const foreign = await side('foreign')
  const tokens = {
    newcomer: await app.login('resident', { handle: 'resident-new' }),
    resident: residentA!.token,
    staff: staffOf.own,
    grid: await app.login('gridWorker', { scopeId: demo.communityA.gridIds[1]!, handle: 'mx-grid-a2' }),
    merchant: await app.login('merchant', { scopeId: demo.merchantId, handle: 'merchant-bakery' }),
    street,
  }
  const markers: Matrix['markers'] = [
    { kind: 'topic', value: foreign.topicId },
    { kind: 'day', value: foreign.dayId },
    { kind: 'need', value: foreign.needId },
    { kind: 'space', value: foreign.hiddenSpaceId },
    { kind: 'booking', value: foreign.bookingId },
    { kind: 'blackout', value: foreign.blackoutId },
    { kind: 'claim', value: foreign.claimId },
    { kind: 'hours', value: foreign.hoursId },
    { kind: 'reward', value: foreign.hiddenRewardId },
    { kind: 'voucher', value: foreign.voucherId },
    { kind: 'voucher', value: foreign.voucherCode },
    { kind: 'activity', value: foreign.activityId },
    { kind: 'activity', value: foreign.sessionId },
    { kind: 'activity', value: foreign.signUpId },
    { kind: 'loan', value: foreign.itemId },
    { kind: 'loan', value: foreign.loanId },
    { kind: 'loan', value: foreign.loanCode },
    { kind: 'resident', value: foreign.residentId },
    { kind: 'department', value: foreign.departmentId },
    { kind: 'notice', value: foreign.noticeId },
    { kind: 'visit', value: foreign.homeVisitId },
    { kind: 'binding', value: foreign.bindingId },
  ]
  const records = { own, foreign }
  const shared: Fixtures['fresh'] = {
    topic: async (s) => records[s].topicId,
    need: async (s) => records[s].needId,
    booking: async (s) => records[s].bookingId,
    blackout: async (s) => records[s].blackoutId,
    claim: async (s) => records[s].claimId,
    resident: async (s) => records[s].residentId,
    hours: async (s) => records[s].hoursId,
    voucher: async (s) => ({ id: records[s].voucherId, code: records[s].voucherCode }),
    signUp: async (s) => records[s].signUpId,
    loan: async (s) => ({ id: records[s].loanId, code: records[s].loanCode }),
  }
  const fx = { own, foreign, streetId: demo.streetId, fresh }
  return { fx, shared: { ...fx, fresh: shared }, tokens, markers }
}
