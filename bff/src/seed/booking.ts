import { randomBytes } from 'node:crypto'
import { Space } from '../modules/booking/space.model'
import type { Demo } from './demo'

const everyDay = (open: string, close: string) =>
  Array.from({ length: 7 }, (_, weekday) => ({ weekday, open, close }))
const weekdays = (open: string, close: string) => [1, 2, 3, 4, 5].map((weekday) => ({ weekday, open, close }))

/** Demo spaces: three in 望平社区 (one without approval), one in 香木林社区. */
export async function seedBookingDemo(demo: Demo): Promise<void> {
  const code = () => randomBytes(9).toString('base64url')
  await Space.create([
    {
      communityId: demo.communityA.id,
      name: '邻里议事厅',
      type: 'meetingRoom',
      description: '适合楼栋会议、院落议事和小型讲座，配投影和白板。',
      location: '望平社区党群服务中心2楼',
      capacity: 30,
      facilities: ['投影仪', '白板', '空调', '茶水'],
      openingHours: [...weekdays('09:00', '21:00'), { weekday: 6, open: '09:00', close: '17:00' }],
      requiresApproval: true,
      checkInCode: code(),
    },
    {
      communityId: demo.communityA.id,
      name: '共享厨房',
      type: 'kitchen',
      description: '社区共享厨房，可做家宴、烘焙课；用后请清洁。',
      location: '望平街12号院1楼',
      capacity: 12,
      facilities: ['燃气灶', '烤箱', '冰箱', '餐具'],
      openingHours: everyDay('10:00', '20:00'),
      maxDurationMinutes: 180,
      requiresApproval: true,
      checkInCode: code(),
    },
    {
      communityId: demo.communityA.id,
      name: '滨河羽毛球场',
      type: 'court',
      description: '室外羽毛球场，夜间有照明，到场扫码签到。',
      location: '滨河花园南侧',
      capacity: 4,
      facilities: ['照明', '球网'],
      openingHours: everyDay('07:00', '24:00'),
      slotMinutes: 60,
      minDurationMinutes: 60,
      maxDurationMinutes: 120,
      requiresApproval: false,
      checkInCode: code(),
    },
    {
      communityId: demo.communityB.id,
      name: '香木林活动室',
      type: 'activityRoom',
      description: '书法、合唱、亲子活动都可以在这里。',
      location: '香木林小区会所1楼',
      capacity: 40,
      facilities: ['音响', '桌椅'],
      openingHours: everyDay('08:30', '21:30'),
      requiresApproval: true,
      checkInCode: code(),
    },
  ])
}
