import { type Availability, type Space, spaceTypeLabels } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { call } from '../../../api'
import { hasRole, staffRoles } from '../../../lib/labels'
import { subscribe } from '../../../lib/subscribe'
import { useMe } from '../../../session/use-me'
import { chinaDate, clock, dayLabel, MY_BOOKINGS_PAGE } from '../shared'
import '../booking.css'
import { ActionButton, Chips, Field, Page, Skeleton, useFieldErrors } from '../../../ui'

const weekdayNames = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']
const labels = { purpose: '用途', attendees: '人数', contactPhone: '联系电话' }
const stateLabels = { free: '可约', held: '已约', blackout: '暂停', closed: '未开放', past: '已过' } as const

export default function SpacePage() {
  const { id = '' } = useRouter().params
  const [space, setSpace] = useState<Space | null>(null)
  const [offset, setOffset] = useState(0)
  const [grid, setGrid] = useState<Availability | null>(null)
  const [pick, setPick] = useState<{ from: number; to: number } | null>(null)
  const [purpose, setPurpose] = useState('')
  const [attendees, setAttendees] = useState('')
  const [phone, setPhone] = useState('')
  const [error, setError] = useState('')
  const form = useFieldErrors(labels)
  // Staff book on behalf of the community (no quotas, approved at once) unless they choose otherwise.
  const { me } = useMe()
  const isStaff = me ? hasRole(me, staffRoles) : false
  const [asCommunity, setAsCommunity] = useState('true')
  const forCommunity = isStaff && asCommunity === 'true'

  useEffect(() => {
    call('getSpace', { params: { id } }).then(setSpace, () => {})
  }, [id])
  const date = chinaDate(offset)
  const loadGrid = useCallback(() => {
    setPick(null)
    return call('getSpaceAvailability', { params: { id }, query: { date, days: 1 } }).then(setGrid, () => {})
  }, [id, date])
  useEffect(() => {
    void loadGrid()
  }, [loadGrid])

  if (!space) return <Skeleton />
  const slots = grid?.days[0]?.slots.filter((s) => s.state !== 'closed') ?? []
  const days = Array.from({ length: Math.min(space.bookingWindowDays + 1, 7) }, (_, i) => ({
    value: String(i),
    label: dayLabel(chinaDate(i)),
  }))

  const tapSlot = (i: number) => {
    if (slots[i]?.state !== 'free') return
    setError('')
    if (!pick || pick.to !== pick.from || i < pick.from) return setPick({ from: i, to: i })
    // Second tap extends the pick, if every slot between is free.
    if (slots.slice(pick.from, i + 1).every((s) => s.state === 'free')) setPick({ from: pick.from, to: i })
    else setPick({ from: i, to: i })
  }
  const picked = (i: number) => pick !== null && i >= pick.from && i <= pick.to

  const submit = async () => {
    if (!pick) return setError('请先选择时段')
    setError('')
    if (!purpose.trim()) return form.setErrors({ purpose: '请填写用途' })
    if (!/^1[3-9]\d{9}$/.test(phone)) return form.setErrors({ contactPhone: '请输入11位手机号' })
    const start = slots[pick.from]!.start
    const end = slots[pick.to]!.end
    const booked = await form.submit(
      call('createBooking', {
        body: {
          spaceId: id,
          start,
          end,
          purpose,
          attendees: Number(attendees) || 1,
          contactPhone: phone,
          forCommunity,
        },
      }),
    )
    if (!booked) return loadGrid()
    if (forCommunity) {
      await Taro.showToast({ title: '已代社区预约', icon: 'success' })
      return loadGrid()
    }
    await subscribe(['booking'])
    await Taro.showToast({ title: space.requiresApproval ? '已提交，等待审核' : '预约成功', icon: 'success' })
    await Taro.redirectTo({ url: MY_BOOKINGS_PAGE })
  }

  const hours = weekdayNames
    .map((name, d) => {
      const h = space.openingHours.filter((x) => x.weekday === d)
      return h.length ? `${name} ${h.map((x) => `${x.open}–${x.close}`).join('、')}` : ''
    })
    .filter(Boolean)

  return (
    <Page>
      <View className="card">
        <Text className="card__title space-name">{space.name}</Text>
        <Text className="space-card__meta">
          {spaceTypeLabels[space.type]} · {space.location} · 可容纳{space.capacity}人
        </Text>
        {space.description && <Text className="muted">{space.description}</Text>}
        <Text className="muted space-rule">
          每段{space.slotMinutes}分钟，单次{space.minDurationMinutes}–{space.maxDurationMinutes}分钟，可预约
          {space.bookingWindowDays}天内，{space.requiresApproval ? '需社区审核' : '无需审核'}
        </Text>
        {hours.map((h) => (
          <Text key={h} className="muted space-rule">
            {h}
          </Text>
        ))}
      </View>
      <Chips
        className="day-chips"
        options={days}
        value={String(offset)}
        onChange={(v) => setOffset(Number(v))}
      />
      <View className="slot-legend">
        <Text>绿色可约</Text>
        <Text>红色已被预约</Text>
        <Text>橙色是我的</Text>
        <Text>点两下选择起止时段</Text>
      </View>
      {!grid && <Skeleton />}
      <View className="slot-grid">
        {slots.map((s, i) => (
          <View
            key={s.start}
            className={`slot slot--${s.mine ? 'mine' : s.state}${picked(i) ? ' slot--picked' : ''}`}
            data-start={s.start}
            onClick={() => tapSlot(i)}
          >
            {clock(s.start)} {picked(i) ? '已选' : s.mine ? '我的' : stateLabels[s.state]}
          </View>
        ))}
        {grid && slots.length === 0 && <Text className="muted">当天不开放</Text>}
      </View>
      <View className="card booking-form">
        <Text className="card__title">
          {pick ? `预约 ${clock(slots[pick.from]!.start)}–${clock(slots[pick.to]!.end)}` : '请选择时段'}
        </Text>
        {isStaff && (
          <Chips
            className="bk-for"
            options={[
              { value: 'true', label: '代社区预约' },
              { value: 'false', label: '以个人名义' },
            ]}
            value={asCommunity}
            onChange={setAsCommunity}
          />
        )}
        <Field
          className="bk-purpose"
          label="用途"
          value={purpose}
          {...form.bind('purpose', setPurpose)}
          maxlength={100}
          hint="最多100个字"
          placeholder="如：楼栋议事会"
        />
        <Field
          className="bk-attendees"
          label="人数"
          value={attendees}
          {...form.bind('attendees', setAttendees)}
          hint="1–1000人，不填按1人"
          type="number"
          maxlength={4}
        />
        <Field
          className="bk-phone"
          label="联系电话"
          value={phone}
          {...form.bind('contactPhone', setPhone)}
          hint="11位手机号"
          type="number"
          maxlength={11}
        />
        {error && <Text className="error-text booking-error">{error}</Text>}
        <ActionButton className="booking-submit" onTap={submit}>
          提交预约
        </ActionButton>
      </View>
    </Page>
  )
}
