import { z } from 'zod'
import { Id } from './common'
import { op } from './http'

/**
 * The people picker of the staff desks (paper ballots, points awards, merchant staff, booking on
 * behalf): staff find a verified resident of a community they reach by name, building/unit/room or
 * phone tail, and see masked names and phones only.
 */
export const ResidentSearchQuery = z.strictObject({
  /** 张 / 张三 (name), 1栋 / 3单元 / 502 (address), or the last 4 digits of the phone. */
  q: z.string().trim().min(1, '请输入姓名、楼栋单元或手机尾号').max(20, '不能超过20个字'),
  communityId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
})
export type ResidentSearchQuery = z.infer<typeof ResidentSearchQuery>

export const ResidentMatch = z.object({
  userId: Id,
  /** 张* */
  name: z.string(),
  /** 138****5678 */
  phone: z.string(),
  communityId: Id,
  communityName: z.string(),
  /** 望平街12号院 1栋 3单元 502 */
  address: z.string(),
})
export type ResidentMatch = z.infer<typeof ResidentMatch>

export const residentOps = {
  searchResidents: op({
    method: 'get',
    path: '/api/v1/residents',
    summary: '查找已认证居民（本辖区；按姓名、楼栋单元门牌或手机尾号；姓名电话脱敏）',
    tag: 'residency',
    access: ['staff', 'streetStaff', 'admin'],
    scope: { kind: 'own' },
    query: ResidentSearchQuery,
    response: z.object({ items: z.array(ResidentMatch) }),
  }),
} as const
