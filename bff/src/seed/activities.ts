import { shiftDate, zoneDate } from '@linli/shared-types'
import { createActivity } from '../modules/activities/activities.service'
import { loadActor } from '../modules/auth/actor'
import { Membership } from '../modules/auth/membership.model'
import { createItem } from '../modules/lending/lending.service'
import type { Demo } from './demo'

/**
 * Demo activities and shared items of 望平社区, published through the services as its staff would:
 * a weekly volunteer patrol, a one-off children's class, and the 生活驿站's lending shelf.
 */
export async function seedActivitiesDemo(demo: Demo): Promise<void> {
  const staff = await Membership.findOne({ role: 'staff', scopeId: demo.communityA.id }).lean()
  const actor = staff && (await loadActor(String(staff.userId)))
  if (!actor) return
  const communityId = demo.communityA.id
  const today = zoneDate(new Date(), 'Asia/Shanghai')
  await createActivity(actor, {
    communityId,
    title: '灯塔下的夜行者·河边巡护',
    description: '每周六晚沿滨河步道巡护，提醒游客注意安全、劝导不文明行为。请穿运动鞋，统一发放马甲。',
    photos: [],
    location: '滨河花园南门集合',
    spaceId: null,
    contactPhone: '13800000000',
    audience: { courtyardIds: [], ageGroup: 'all' },
    volunteer: true,
    pointsPerHour: 10,
    placesPerSession: 12,
    schedule: {
      kind: 'weekly',
      weekdays: [6],
      startTime: '19:00',
      durationMinutes: 120,
      startDate: today,
      endDate: null,
      exceptions: [],
    },
  })
  const classDay = shiftDate(today, 3)
  await createActivity(actor, {
    communityId,
    title: '3D打印亲子课',
    description: '带孩子设计并打印一个小挂件，材料由社区提供。',
    photos: [],
    location: '望平社区党群服务中心3楼',
    spaceId: null,
    contactPhone: '13800000000',
    audience: { courtyardIds: [], ageGroup: 'elderlyAndChildren' },
    volunteer: false,
    pointsPerHour: null,
    placesPerSession: 10,
    schedule: {
      kind: 'once',
      sessions: [
        {
          start: new Date(`${classDay}T06:30:00Z`).toISOString(),
          end: new Date(`${classDay}T08:00:00Z`).toISOString(),
        },
      ],
    },
  })
  for (const [name, stock, description] of [
    ['甲醛测试仪', 2, '新装修入住前测一测，附使用说明。'],
    ['智能浇花机', 3, '出门旅行时帮你按时浇花。'],
    ['折叠梯', 1, '2米铝合金折叠梯，换灯泡、挂窗帘用。'],
  ] as const)
    await createItem(actor, {
      communityId,
      station: '望平生活驿站',
      name,
      description,
      photos: [],
      stock,
      loanDays: 7,
    })
}
