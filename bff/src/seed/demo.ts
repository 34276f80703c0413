import type { Role } from '@linli/shared-types'
import mongoose, { type Types } from 'mongoose'
import { Membership } from '../modules/auth/membership.model'
import { User } from '../modules/auth/user.model'
import { Merchant } from '../modules/merchants/merchant.model'
import { OrgUnit } from '../modules/org/org-unit.model'
import { seedActivitiesDemo } from './activities'
import { seedBookingDemo } from './booking'
import { seedDeliberationDemo } from './deliberation'
import { seedGridDemo } from './grid'
import { seedNeedsDemo } from './needs'
import { seedPointsDemo } from './points'

export interface DemoCommunity {
  id: string
  name: string
  gridIds: string[]
  courtyardIds: string[]
  buildingIds: string[]
}

export interface Demo {
  streetId: string
  communityA: DemoCommunity
  communityB: DemoCommunity
  merchantId: string
  /** Departments (吹哨报到): the street's 城管 and 派出所, 望平社区's 物业. */
  departments: { chengguan: string; police: string; propertyA: string }
  /** Dev-login handles of the demo people, with what each is. */
  accounts: { handle: string; role: Role; label: string }[]
}

const layout = {
  street: '猛追湾街道',
  communities: [
    {
      name: '望平社区',
      grids: [
        { name: '第一网格', courtyards: [{ name: '望平街12号院', buildings: ['1栋', '2栋'] }] },
        { name: '第二网格', courtyards: [{ name: '滨河花园', buildings: ['3栋', '5栋'] }] },
      ],
    },
    {
      name: '香木林社区',
      grids: [{ name: '第一网格', courtyards: [{ name: '香木林小区', buildings: ['A栋', 'B栋'] }] }],
    },
  ],
} as const

const Meta = mongoose.model(
  'Meta',
  new mongoose.Schema({ _id: String, at: { type: Date, default: () => new Date() } }),
  'meta',
)

async function unit(
  level: string,
  name: string,
  parent: Record<string, unknown>,
  parentId: Types.ObjectId | null,
) {
  return OrgUnit.create({ level, name, parentId, ...parent })
}

/** Builds the demo street once per database; returns what exists either way. */
export async function seedDemo(): Promise<{ demo: Demo; created: boolean }> {
  let created = true
  try {
    await Meta.create({ _id: 'seed:demo' })
  } catch {
    created = false
  }
  if (created) await build()
  return { demo: await describe(), created }
}

async function build(): Promise<void> {
  const street = await unit('street', layout.street, {}, null)
  for (const [i, c] of layout.communities.entries()) {
    const community = await OrgUnit.create({
      level: 'community',
      name: c.name,
      parentId: street._id,
      streetId: street._id,
      sortOrder: i,
    })
    for (const g of c.grids) {
      const grid = await unit(
        'grid',
        g.name,
        { streetId: street._id, communityId: community._id },
        community._id,
      )
      for (const cy of g.courtyards) {
        const ids = { streetId: street._id, communityId: community._id, gridId: grid._id }
        const courtyard = await unit('courtyard', cy.name, ids, grid._id)
        for (const b of cy.buildings)
          await unit('building', b, { ...ids, courtyardId: courtyard._id }, courtyard._id)
      }
    }
  }
  const [a, b] = await OrgUnit.find({ level: 'community' }).sort({ sortOrder: 1 }).lean()
  const gridA = await OrgUnit.findOne({ level: 'grid', communityId: a!._id }).sort({ createdAt: 1 }).lean()
  const buildingA = await OrgUnit.findOne({ level: 'building', communityId: a!._id })
    .sort({ createdAt: 1 })
    .lean()
  const merchant = await Merchant.create({
    name: '望平烘焙坊',
    communityId: a!._id,
    address: '望平街18号',
    phone: '02884000000',
  })

  const person = async (
    handle: string,
    nickname: string,
    memberships: Record<string, unknown>[],
    residency?: object,
  ) => {
    const user = await User.create({ openid: `dev:${handle}`, nickname, ...(residency ? { residency } : {}) })
    for (const m of memberships) await Membership.create({ userId: user._id, ...m })
  }
  const residentOf = (c: typeof a) => ({
    role: 'resident',
    scopeType: 'community',
    scopeId: c!._id,
    scopeName: c!.name,
  })
  const verifiedIn = (room: string) => ({
    status: 'verified',
    communityId: a!._id,
    gridId: buildingA!.gridId,
    courtyardId: buildingA!.courtyardId,
    buildingId: buildingA!._id,
    householdKey: `${buildingA!._id}:1:${room}`,
  })
  await person('resident-zhang', '张阿姨', [residentOf(a)], verifiedIn('101'))
  await person('resident-li', '李师傅', [residentOf(a)], verifiedIn('202'))
  await person('resident-new', '新邻居', [])
  await person('staff-wangping', '望平社区王主任', [
    { role: 'staff', scopeType: 'community', scopeId: a!._id, scopeName: a!.name },
  ])
  await person('staff-xiangmulin', '香木林社区刘老师', [
    { role: 'staff', scopeType: 'community', scopeId: b!._id, scopeName: b!.name },
  ])
  await person('grid-wangping-1', '网格员小陈', [
    { role: 'gridWorker', scopeType: 'grid', scopeId: gridA!._id, scopeName: `${a!.name}${gridA!.name}` },
  ])
  await person('street-mzw', '街道办周科长', [
    { role: 'streetStaff', scopeType: 'street', scopeId: a!.streetId, scopeName: layout.street },
  ])
  await person('merchant-bakery', '烘焙坊店长', [
    { role: 'merchant', scopeType: 'merchant', scopeId: merchant._id, scopeName: merchant.name },
  ])
  await seedBookingDemo(await describe())
  await seedNeedsDemo(await describe())
  await seedDeliberationDemo(await describe())
  await seedPointsDemo(await describe())
  await seedActivitiesDemo(await describe())
  await seedGridDemo(await describe())
}

async function describe(): Promise<Demo> {
  const [a, b] = await OrgUnit.find({ level: 'community' }).sort({ sortOrder: 1 }).lean()
  const ids = async (communityId: Types.ObjectId, level: string) =>
    (await OrgUnit.find({ communityId, level }).sort({ createdAt: 1, _id: 1 }).lean()).map((u) =>
      String(u._id),
    )
  const community = async (c: NonNullable<typeof a>): Promise<DemoCommunity> => ({
    id: String(c._id),
    name: c.name,
    gridIds: await ids(c._id, 'grid'),
    courtyardIds: await ids(c._id, 'courtyard'),
    buildingIds: await ids(c._id, 'building'),
  })
  const merchant = await Merchant.findOne().lean()
  const department = async (name: string) =>
    String((await OrgUnit.findOne({ level: 'department', name }).lean())?._id ?? '')
  return {
    streetId: String(a!.streetId),
    communityA: await community(a!),
    communityB: await community(b!),
    merchantId: String(merchant!._id),
    departments: {
      chengguan: await department('城管执法中队'),
      police: await department('猛追湾派出所'),
      propertyA: await department(`${a!.name}物业`),
    },
    accounts: [
      { handle: 'resident-zhang', role: 'resident', label: '已认证居民（望平社区）' },
      { handle: 'resident-li', role: 'resident', label: '已认证居民（望平社区）' },
      { handle: 'resident-new', role: 'resident', label: '未认证的新居民' },
      { handle: 'staff-wangping', role: 'staff', label: '望平社区工作人员' },
      { handle: 'staff-xiangmulin', role: 'staff', label: '香木林社区工作人员' },
      { handle: 'grid-wangping-1', role: 'gridWorker', label: '望平社区第一网格网格员' },
      { handle: 'street-mzw', role: 'streetStaff', label: '猛追湾街道工作人员' },
      { handle: 'merchant-bakery', role: 'merchant', label: '合作商户望平烘焙坊' },
      { handle: 'dept-chengguan', role: 'deptStaff', label: '街道城管执法中队队员' },
      { handle: 'dept-wangping-wuye', role: 'deptStaff', label: '望平社区物业管家' },
    ],
  }
}
