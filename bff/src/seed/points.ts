import { Types } from 'mongoose'
import { User } from '../modules/auth/user.model'
import { Merchant } from '../modules/merchants/merchant.model'
import { post } from '../modules/points/ledger'
import { PointRulesModel } from '../modules/points/points.model'
import { Reward } from '../modules/points/rewards.model'
import { creditExpiry, defaultRules } from '../modules/points/rules'
import type { Demo } from './demo'

/** Points demo: rules for both communities, opening balances for the demo residents, two rewards. */
export async function seedPointsDemo(demo: Demo): Promise<void> {
  for (const c of [demo.communityA, demo.communityB])
    await PointRulesModel.updateOne(
      { communityId: c.id },
      {
        $setOnInsert: {
          accountNames: { volunteer: '志愿积分', community: '社区积分' },
          expiryYears: 1,
          rules: defaultRules,
        },
      },
      { upsert: true },
    )
  const grants: [string, 'volunteer' | 'community', number][] = [
    ['resident-zhang', 'volunteer', 120],
    ['resident-zhang', 'community', 300],
    ['resident-li', 'community', 80],
  ]
  for (const [handle, account, points] of grants) {
    const user = await User.findOne({ openid: `dev:${handle}` }).lean()
    if (!user) continue
    await post({
      key: `seed:${handle}:${account}`,
      userId: user._id,
      account,
      communityId: demo.communityA.id,
      delta: points,
      reason: account === 'volunteer' ? '历史志愿服务时长折算' : '社区活动积分（初始）',
      refType: 'seed',
      expiresAt: await creditExpiry(demo.communityA.id),
    })
  }
  const merchant = await Merchant.findById(demo.merchantId).lean()
  if (!merchant) return
  const now = Date.now()
  const base = {
    communityId: merchant.communityId,
    merchantId: merchant._id,
    merchantName: merchant.name,
    validFrom: new Date(now - 86_400_000),
    validUntil: new Date(now + 365 * 86_400_000),
    active: true,
  }
  await Reward.create([
    {
      ...base,
      _id: new Types.ObjectId(),
      title: '手工吐司一份',
      description: '望平烘焙坊当日现烤吐司，到店出示券码领取。',
      cost: 50,
      account: 'community',
      stock: 100,
      stockTotal: 100,
      perResidentLimit: 2,
      voucherDays: 14,
    },
    {
      ...base,
      _id: new Types.ObjectId(),
      title: '志愿者咖啡一杯',
      description: '感谢志愿服务，凭券到店兑换美式咖啡一杯。',
      cost: 30,
      account: 'volunteer',
      stock: 50,
      stockTotal: 50,
      perResidentLimit: 1,
      voucherDays: 7,
    },
  ])
}
