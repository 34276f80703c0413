import {
  type Availability,
  type ConsentMethod,
  consentMethodLabels,
  type ResidentMatch,
  type Space,
  spaceTypeLabels,
} from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { call } from '../../../api'
import { PeoplePicker, PickedPerson } from '../../../components/people-picker'
import { hasRole, staffRoles } from '../../../lib/labels'
import { subscribe } from '../../../lib/subscribe'
import { useMe } from '../../../session/use-me'
import { chinaDate, clock, dayLabel, MY_BOOKINGS_PAGE } from '../shared'
import '../booking.css'
import { ActionButton, Chips, Field, Page, Skeleton, useFieldErrors } from '../../../ui'

const labels = { purpose: '用途', attendees: '人数', contactPhone: '联系电话' }
const weekdayNames = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']
const stateLabels = { free: '可约', held: '已约', blackout: '暂停', closed: '未开放', past: '已过' } as const
const consentChoices = Object.entries(consentMethodLabels).map(([value, label]) => ({ value, label }))

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
  // Staff book on behalf of the community (no quotas, approved at once) unless they choose otherwise:
  // for a resident who cannot book themselves (their booking, with how they agreed), or as themselves.
  const { me } = useMe()
  const isStaff = me ? hasRole(me, staffRoles) : false
  const [bookAs, setBookAs] = useState('community')
  const forCommunity = isStaff && bookAs === 'community'
  const forResident = isStaff && bookAs === 'resident'
  const [person, setPerson] = useState<ResidentMatch | null>(null)
  const [consentMethod, setConsentMethod] = useState<ConsentMethod | ''>('')
  const [consentNote, setConsentNote] = useState('')

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
    if (forResident && !person) return setError('请先查找并选择居民')
    if (forResident && !consentMethod) return setError('请选择居民如何同意代为预约')
    const start = slots[pick.from]!.start
    const end = slots[pick.to]!.end
    const onBehalf =
      forResident && person && consentMethod
        ? {
            forResidentId: person.userId,
            consent: { method: consentMethod, ...(consentNote.trim() ? { note: consentNote.trim() } : {}) },
          }
        : {}
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
          ...onBehalf,
        },
      }),
    )
    if (!booked) return loadGrid()
    if (forCommunity || forResident) {
      await Taro.showToast({ title: forCommunity ? '已代社区预约' : '已为居民代订', icon: 'success' })
      if (forResident) {
        setPerson(null)
        setConsentMethod('')
        setConsentNote('')
      }
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
              { value: 'community', label: '代社区预约' },
              { value: 'resident', label: '为居民代订' },
              { value: 'self', label: '以个人名义' },
            ]}
            value={bookAs}
            onChange={setBookAs}
          />
        )}
        {forResident && (
          <View className="bk-resident">
            <Text className="section-label">为哪位居民预约</Text>
            {person ? (
              <PickedPerson className="bk-picked" person={person} onClear={() => setPerson(null)} />
            ) : (
              <PeoplePicker className="bk-people" communityId={space.communityId}>
                {(m) => (
                  <ActionButton kind="ghost" className="bk-pick" onTap={() => setPerson(m)}>
                    选择此居民
                  </ActionButton>
                )}
              </PeoplePicker>
            )}
            <Text className="section-label">居民如何同意</Text>
            <Chips
              className="bk-consent"
              options={consentChoices}
              value={consentMethod}
              onChange={(v) => setConsentMethod(v as ConsentMethod)}
            />
            <Field
              className="bk-consent-note"
              label="同意情况说明（选填）"
              value={consentNote}
              onInput={setConsentNote}
              maxlength={200}
              placeholder="如：老人在服务台当面委托"
            />
            <Text className="muted">
              预约记在居民名下，计入其预约次数，居民会收到通知并可在“我的预约”中查看。
            </Text>
          </View>
        )}
        <Field
          className="bk-purpose"
          label="用途"
          value={purpose}
          {...form.bind('purpose', setPurpose)}
          hint="最多100个字"
          maxlength={100}
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
        <ActionButton
          className="booking-submit"
          onTap={submit}
          {...(forResident && person && consentMethod && pick
            ? {
                confirm: {
                  title: '为居民代订',
                  content: `为${person.name}预约${space.name} ${clock(slots[pick.from]!.start)}–${clock(slots[pick.to]!.end)}，确认提交？`,
                  confirmText: '确认代订',
                },
              }
            : {})}
        >
          {forResident ? '为居民代订' : '提交预约'}
        </ActionButton>
      </View>
    </Page>
  )
}
