import {
  type Blackout,
  CreateBlackoutBody,
  clockMinutes,
  formatClock,
  formatTime,
  type SpaceSummary,
  zoneDate,
} from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { call } from '../../../api'
import { StaffOnly } from '../../../components/staff-only'
import { firstIssueMessage } from '../../../lib/form'
import { useManagedCommunities } from '../../../lib/use-managed-communities'
import { useMe } from '../../../session/use-me'
import { chinaInstant, toast } from '../admin'
import { chinaDate, dayLabel } from '../shared'
import '../booking.css'
import { ActionButton, Chips, Field, Page, Skeleton } from '../../../ui'

const ALL = 'all'
/** The end as a time of day, or with its date when the blackout runs past the start's day. */
const endText = (b: Blackout) =>
  zoneDate(new Date(b.end)) === zoneDate(new Date(b.start)) ? formatClock(b.end) : formatTime(b.end)
const labels = { spaceId: '空间', start: '开始时间', end: '结束时间', reason: '原因' }

/** Staff: blackouts (closures, community events) of one space or of all spaces: add, list, delete. */
export default function Blackouts() {
  const { params } = useRouter()
  const { me } = useMe()
  const { communityId, picker } = useManagedCommunities(me)
  const [spaces, setSpaces] = useState<SpaceSummary[]>([])
  const [list, setList] = useState<Blackout[] | null>(null)
  const [spaceId, setSpaceId] = useState(params.spaceId || ALL)
  const [offset, setOffset] = useState(1)
  const [from, setFrom] = useState('09:00')
  const [to, setTo] = useState('18:00')
  const [reason, setReason] = useState('')

  // Upcoming blackouts come with each space (its own and the community-wide ones): merge them.
  const load = useCallback(async () => {
    if (!communityId) return
    const { items } = await call('listSpaces', { query: { communityId } })
    setSpaces(items)
    const details = await Promise.all(items.map((s) => call('getSpace', { params: { id: s.id } })))
    const byId = new Map(details.flatMap((d) => d.blackouts).map((b) => [b.id, b]))
    setList([...byId.values()].sort((a, b) => a.start.localeCompare(b.start)))
  }, [communityId])
  useEffect(() => {
    load().catch(() => setList([]))
  }, [load])

  const spaceName = (id: string | null) =>
    id ? (spaces.find((s) => s.id === id)?.name ?? '空间') : '全部空间'
  const date = chinaDate(offset)

  const create = async () => {
    const start = clockMinutes(from)
    const end = clockMinutes(to)
    if (Number.isNaN(start)) return toast('开始时间：格式应为HH:mm')
    if (Number.isNaN(end)) return toast('结束时间：格式应为HH:mm')
    if (end <= start) return toast('结束时间应晚于开始时间')
    const parsed = CreateBlackoutBody.safeParse({
      communityId,
      spaceId: spaceId === ALL ? null : spaceId,
      start: chinaInstant(date, start),
      end: chinaInstant(date, end),
      reason: reason.trim(),
    })
    if (!parsed.success) return toast(firstIssueMessage(parsed.error, labels, ['spaceId']))
    await call('createBlackout', { body: parsed.data })
    setReason('')
    void toast('已设置', 'success')
    await load()
  }
  const remove = async (id: string) => {
    await call('deleteBlackout', { params: { id } })
    void toast('已删除', 'success')
    await load()
  }

  const shown = list?.filter((b) => spaceId === ALL || b.spaceId === null || b.spaceId === spaceId)
  return (
    <StaffOnly me={me} what="暂停开放管理">
      <Page>
        {picker}
        <Text className="section-label">空间</Text>
        <Chips
          className="bo-space"
          options={[
            { value: ALL, label: '全部空间' },
            ...spaces.map((s) => ({ value: s.id, label: s.name })),
          ]}
          value={spaceId}
          onChange={setSpaceId}
        />
        <View className="card blackout-form">
          <Text className="card__title">新增暂停开放：{spaceName(spaceId === ALL ? null : spaceId)}</Text>
          <Chips
            className="bo-day"
            options={Array.from({ length: 14 }, (_, i) => ({
              value: String(i),
              label: dayLabel(chinaDate(i)),
            }))}
            value={String(offset)}
            onChange={(v) => setOffset(Number(v))}
          />
          <Field className="bo-from" label="开始" value={from} onInput={setFrom} maxlength={5} />
          <Field
            className="bo-to"
            label="结束"
            value={to}
            onInput={setTo}
            maxlength={5}
            placeholder="24:00为当天结束"
          />
          <Field
            className="bo-reason"
            label="原因"
            value={reason}
            onInput={setReason}
            maxlength={100}
            placeholder="如：社区活动、设备检修"
          />
          <ActionButton className="blackout-save" onTap={create}>
            设置暂停开放
          </ActionButton>
        </View>
        <Text className="section-label">近期暂停开放</Text>
        {!shown && <Skeleton />}
        {shown?.length === 0 && <View className="card muted center">近期没有暂停开放的安排</View>}
        {shown?.map((b) => (
          <View key={b.id} className="card blackout-item">
            <Text className="booking-card__space">{spaceName(b.spaceId)}</Text>
            <Text className="booking-card__when">
              {formatTime(b.start)} – {endText(b)}
            </Text>
            <Text className="muted">{b.reason}</Text>
            <ActionButton className="blackout-delete" kind="danger" onTap={() => remove(b.id)}>
              删除
            </ActionButton>
          </View>
        ))}
      </Page>
    </StaffOnly>
  )
}
