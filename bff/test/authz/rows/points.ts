import { type DomainRows, ownOnly } from '../matrix'

const signedIn = {
  newcomer: 'ok',
  resident: 'ok',
  staff: 'ok',
  grid: 'ok',
  merchant: 'ok',
  street: 'ok',
} as const
const staffOwn = { staff: ownOnly, street: 'ok' } as const
/** Managers of a merchant's rewards: its own merchant account, its community's staff, the street. */
const managers = { staff: ownOnly, merchant: ownOnly, street: 'ok' } as const
const period = { from: '2026-01-01', to: '2026-12-31' }
let n = 0

/** Points (双积分), volunteer hours, merchants, rewards (礼遇) and vouchers. */
export const pointsRows = {
  getMyPoints: { req: () => ({}), expect: signedIn },
  listMyPointEntries: { req: () => ({}), expect: signedIn },
  listPointRules: {
    req: (fx, side) => ({ query: { communityId: fx[side].communityId } }),
    expect: { resident: ownOnly, staff: ownOnly, grid: ownOnly, street: 'ok', newcomer: 403 },
  },
  updatePointRules: {
    req: (fx, side) => ({ params: { id: fx[side].communityId }, body: { expiryYears: 1 } }),
    expect: staffOwn,
  },
  awardPoints: {
    req: (fx, side) => ({
      body: { userId: fx[side].residentId, account: 'volunteer', points: 1, reason: '矩阵测试' },
    }),
    expect: staffOwn,
  },
  submitVolunteerHours: {
    req: () => ({ body: { activity: '社区清洁', date: '2026-11-01', hours: 1 } }),
    expect: { resident: 'ok', newcomer: 403, staff: 403, grid: 403, merchant: 403, street: 403 },
  },
  listVolunteerHours: {
    req: (fx, side) => ({ query: { communityId: fx[side].communityId } }),
    expect: staffOwn,
  },
  reviewVolunteerHours: {
    req: async (fx, side) => ({
      params: { id: await fx.fresh.hours(side) },
      body: { decision: 'reject', reason: '记录不符' },
    }),
    expect: staffOwn,
  },
  listMerchants: { req: (fx, side) => ({ query: { communityId: fx[side].communityId } }), expect: signedIn },
  createMerchant: {
    req: (fx, side, role) => ({
      body: { communityId: fx[side].communityId, name: `矩阵商户${role}${side}${++n}` },
    }),
    expect: staffOwn,
  },
  addMerchantStaff: {
    req: async (fx, side) => ({
      params: { id: fx[side].merchantId },
      body: { userId: await fx.fresh.resident(side) },
    }),
    expect: staffOwn,
  },
  // Everyone may ask for every reward of a community; inactive ones only reach their managers.
  listRewards: {
    req: (fx, side) => ({ query: { communityId: fx[side].communityId, all: 'true' } }),
    expect: signedIn,
  },
  getReward: { req: (fx, side) => ({ params: { id: fx[side].hiddenRewardId } }), expect: managers },
  createReward: {
    req: (fx, side) => ({
      body: {
        merchantId: fx[side].merchantId,
        title: '矩阵新礼遇',
        cost: 10,
        account: 'community',
        stock: 5,
        perResidentLimit: 1,
        validFrom: new Date(Date.now() - 60_000).toISOString(),
        validUntil: new Date(Date.now() + 86_400_000).toISOString(),
        voucherDays: 7,
      },
    }),
    expect: managers,
  },
  updateReward: {
    req: (fx, side) => ({ params: { id: fx[side].rewardId }, body: { description: '矩阵测试更新' } }),
    expect: managers,
  },
  redeemReward: {
    req: (fx, side) => ({ params: { id: fx[side].rewardId }, body: {} }),
    expect: { resident: ['pass', 404], staff: [403, 404], grid: [403, 404], street: 403 },
  },
  listMyVouchers: { req: () => ({}), expect: signedIn },
  getVoucher: { req: (fx, side) => ({ params: { id: fx[side].voucherId } }), expect: { resident: ownOnly } },
  cancelVoucher: {
    req: async (fx, side) => ({ params: { id: (await fx.fresh.voucher(side)).id } }),
    expect: { resident: ownOnly },
  },
  lookupVoucher: {
    req: (fx, side) => ({ body: { code: fx[side].voucherCode } }),
    expect: { merchant: ownOnly },
  },
  redeemVoucher: {
    req: async (fx, side) => ({ body: { code: (await fx.fresh.voucher(side)).code } }),
    expect: { merchant: ownOnly },
  },
  // Staff asking for another community's merchant get an empty list (their reach ∩ that merchant).
  listMerchantRedemptions: {
    req: (fx, side) => ({ query: { merchantId: fx[side].merchantId } }),
    expect: { merchant: ownOnly, staff: 'ok', street: 'ok' },
  },
  getRedemptionReport: {
    req: (fx, side) => ({ query: { merchantId: fx[side].merchantId, ...period } }),
    expect: { merchant: ownOnly, staff: 'ok', street: 'ok' },
  },
  getPointsReconciliation: {
    req: (fx, side) => ({ query: { communityId: fx[side].communityId } }),
    expect: staffOwn,
  },
} satisfies DomainRows
