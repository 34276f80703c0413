import type { SpaceSchedule, SpaceSummary } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { call } from '../../../api'
import { StaffOnly } from '../../../components/staff-only'
import { useMe } from '../../../session/use-me'
import { BLACKOUTS_PAGE, SPACES_PAGE } from '../admin'
import { BookingCard, chinaDate, clock, dayLabel, SPACE_PAGE } from '../shared'
import '../booking.css'
import { Chips, Page, Skeleton } from '../../../ui'

export default function Schedule() {
  const { me } = useMe()
  const [spaces, setSpaces] = useState<SpaceSummary[] | null>(null)
  const [spaceId, setSpaceId] = useState('')
  const [offset, setOffset] = useState(0)
  const [schedule, setSchedule] = useState<SpaceSchedule | null>(null)

  useEffect(() => {
    call('listSpaces', { query: {} }).then(
      (r) => {
        setSpaces(r.items)
        setSpaceId((cur) => cur || r.items[0]?.id || '')
      },
      () => setSpaces([]),
    )
  }, [])
  useEffect(() => {
    if (!spaceId) return
    setSchedule(null)
    call('getSpaceSchedule', { params: { id: spaceId }, query: { date: chinaDate(offset) } }).then(
      setSchedule,
      () => {},
    )
  }, [spaceId, offset])

  return (
    <StaffOnly me={me}>
      <Page>
        {!spaces && <Skeleton />}
        <Chips
          options={(spaces ?? []).map((s) => ({ value: s.id, label: s.name }))}
          value={spaceId}
          onChange={setSpaceId}
        />
        <Chips
          options={Array.from({ length: 7 }, (_, i) => ({
            value: String(i),
            label: dayLabel(chinaDate(i)),
          }))}
          value={String(offset)}
          onChange={(v) => setOffset(Number(v))}
        />
        <View className="btn-row">
          <View
            className="btn btn--ghost book-for-community"
            onClick={() => spaceId && Taro.navigateTo({ url: `${SPACE_PAGE}?id=${spaceId}` })}
          >
            代社区预约
          </View>
          <View
            className="btn btn--ghost blackouts-link"
            onClick={() => Taro.navigateTo({ url: `${BLACKOUTS_PAGE}?spaceId=${spaceId}` })}
          >
            暂停开放
          </View>
          <View className="btn btn--ghost spaces-link" onClick={() => Taro.navigateTo({ url: SPACES_PAGE })}>
            空间管理
          </View>
        </View>
        {spaceId && !schedule && <Skeleton />}
        {schedule?.blackouts.map((b) => (
          <View key={b.id} className="card muted">
            暂停开放 {clock(b.start)}–{clock(b.end)}：{b.reason}
          </View>
        ))}
        {schedule && schedule.bookings.length === 0 && (
          <View className="card muted center">当天暂无预约</View>
        )}
        {schedule?.bookings.map((b) => (
          <BookingCard key={b.id} booking={b} showWho />
        ))}
        <Text className="section-label">姓名与电话已脱敏</Text>
      </Page>
    </StaffOnly>
  )
}
