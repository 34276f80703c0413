import { Membership } from '../modules/auth/membership.model'
import { User } from '../modules/auth/user.model'
import { OrgUnit } from '../modules/org/org-unit.model'
import type { Demo } from './demo'

const streetDepartments = [
  { name: '城管执法中队', kind: 'urbanManagement' },
  { name: '猛追湾派出所', kind: 'police' },
  { name: '市场监管所', kind: 'marketRegulation' },
  { name: '街道平安办', kind: 'streetOffice' },
] as const

/**
 * 吹哨报到 demo data: the street's departments, each community's property company (物业), and a
 * staff account of 城管 and of 望平社区's 物业 (role `deptStaff` in their department).
 */
export async function seedGridDemo(demo: Demo): Promise<void> {
  for (const [i, d] of streetDepartments.entries())
    await OrgUnit.create({
      level: 'department',
      kind: d.kind,
      name: d.name,
      parentId: demo.streetId,
      streetId: demo.streetId,
      sortOrder: i,
    })
  for (const c of [demo.communityA, demo.communityB])
    await OrgUnit.create({
      level: 'department',
      kind: 'property',
      name: `${c.name}物业`,
      parentId: c.id,
      streetId: demo.streetId,
      communityId: c.id,
    })
  const staffOf = async (handle: string, nickname: string, departmentName: string) => {
    const unit = await OrgUnit.findOne({ level: 'department', name: departmentName }).lean()
    const user = await User.create({ openid: `dev:${handle}`, nickname })
    await Membership.create({
      userId: user._id,
      role: 'deptStaff',
      scopeType: 'department',
      scopeId: unit!._id,
      scopeName: departmentName,
    })
  }
  await staffOf('dept-chengguan', '城管队员小赵', '城管执法中队')
  await staffOf('dept-wangping-wuye', '物业管家小吴', `${demo.communityA.name}物业`)
}
