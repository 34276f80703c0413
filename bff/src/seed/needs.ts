import { Membership } from '../modules/auth/membership.model'
import { User } from '../modules/auth/user.model'
import { ensureDefaultCategories } from '../modules/needs/needs.categories'
import { OrgUnit } from '../modules/org/org-unit.model'
import type { Demo } from './demo'

/**
 * Urgent-needs demo data: the default category catalogue in every community, and a micro-grid
 * (院落) worker for the first courtyard of 望平社区, so new needs there are routed to a person.
 */
export async function seedNeedsDemo(demo: Demo): Promise<void> {
  for (const c of [demo.communityA, demo.communityB]) await ensureDefaultCategories(c.id)
  const courtyardId = demo.communityA.courtyardIds[0]
  const courtyard = courtyardId ? await OrgUnit.findById(courtyardId).lean() : null
  if (!courtyard) return
  const user = await User.findOneAndUpdate(
    { openid: 'dev:grid-wangping-cy1' },
    { $setOnInsert: { nickname: '微网格员老杨' } },
    { upsert: true, new: true },
  ).lean()
  await Membership.updateOne(
    { userId: user._id, role: 'gridWorker', scopeId: courtyard._id },
    { $setOnInsert: { scopeType: 'courtyard', scopeName: courtyard.name } },
    { upsert: true },
  )
}
