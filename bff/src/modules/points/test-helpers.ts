import type { PointAccount } from '@linli/shared-types'
import type { TestApp } from '../../../test/harness'
import { Membership } from '../auth/membership.model'
import { User } from '../auth/user.model'
import { post } from './ledger'

export interface Resident {
  id: string
  token: string
  handle: string
}

/** Signs in `n` dev people and makes them verified residents of community A directly in the database. */
export async function makeResidents(app: TestApp, n: number, prefix: string): Promise<Resident[]> {
  const { communityA } = app.demo
  const out: Resident[] = []
  for (let i = 0; i < n; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, n - i) }, async (_, j) => {
        const handle = `${prefix}-${i + j}`
        const res = await app.call<{ accessToken: string; user: { id: string } }>('devLogin', {
          body: { role: 'resident', handle },
        })
        return { id: res.body.user.id, token: res.body.accessToken, handle }
      }),
    )
    out.push(...batch)
  }
  await User.updateMany(
    { _id: { $in: out.map((r) => r.id) } },
    {
      $set: {
        residency: {
          status: 'verified',
          communityId: communityA.id,
          gridId: communityA.gridIds[0],
          courtyardId: communityA.courtyardIds[0],
          buildingId: communityA.buildingIds[0],
          householdKey: `${communityA.buildingIds[0]}:1:x`,
        },
      },
    },
  )
  await Membership.insertMany(
    out.map((r) => ({
      userId: r.id,
      role: 'resident',
      scopeType: 'community',
      scopeId: communityA.id,
      scopeName: communityA.name,
    })),
  )
  return out
}

/** Gives points through the ledger service (the same path awards take). */
export async function grant(
  app: TestApp,
  userId: string,
  account: PointAccount,
  points: number,
  key: string,
) {
  await post({
    key: `test-grant:${key}`,
    userId,
    account,
    communityId: app.demo.communityA.id,
    delta: points,
    reason: '测试发放',
    refType: 'test',
    expiresAt: new Date(Date.now() + 365 * 86_400_000),
  })
}

export function rewardBody(app: TestApp, over: Record<string, unknown> = {}) {
  return {
    merchantId: app.demo.merchantId,
    title: '测试礼遇',
    description: '测试用',
    cost: 40,
    account: 'community',
    stock: 10,
    perResidentLimit: 1,
    validFrom: new Date(Date.now() - 60_000).toISOString(),
    validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    voucherDays: 7,
    ...over,
  }
}
