import {
  type Blackout,
  CreateBlackoutBody,
  clockMinutes,
  formatTimeRange,
  type SpaceSummary,
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
import { ActionButton, Chips, Field, limitHint, Page, Skeleton, useFieldErrors } from '../../../ui'

const ALL = 'all'
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
  const form = useFieldErrors(labels, ['spaceId'])

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
    const wrong: [keyof typeof labels, string] | null = Number.isNaN(start)
      ? ['start', '格式应为HH:mm']
      : Number.isNaN(end)
        ? ['end', '格式应为HH:mm']
        : end <= start
          ? ['end', '应晚于开始时间']
          : null
    if (wrong) {
      form.setErrors({ [wrong[0]]: wrong[1] })
      return toast(`${labels[wrong[0]]}：${wrong[1]}`)
    }
    const parsed = CreateBlackoutBody.safeParse({
      communityId,
      spaceId: spaceId === ALL ? null : spaceId,
      start: chinaInstant(date, start),
      end: chinaInstant(date, end),
      reason: reason.trim(),
    })
    form.check(parsed)
    if (!parsed.success) return toast(firstIssueMessage(parsed.error, labels, ['spaceId']))
    if (!(await form.submit(call('createBlackout', { body: parsed.data })))) return
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
          <Field
            className="bo-from"
            label="开始"
            value={from}
            {...form.bind('start', setFrom)}
            maxlength={5}
            hint="HH:mm，如 09:00"
          />
          <Field
            className="bo-to"
            label="结束"
            value={to}
            {...form.bind('end', setTo)}
            maxlength={5}
            hint="HH:mm，晚于开始时间"
            placeholder="24:00为当天结束"
          />
          <Field
            className="bo-reason"
            label="原因"
            value={reason}
            {...form.bind('reason', setReason)}
            maxlength={100}
            hint={limitHint(CreateBlackoutBody.shape.reason)}
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
            <Text className="booking-card__when">{formatTimeRange(b.start, b.end)}</Text>
            <Text className="muted">{b.reason}</Text>
            <ActionButton
              className="blackout-delete"
              kind="danger"
              confirm={{ title: '删除暂停开放', content: '删除后这段时间恢复可预约', confirmText: '删除' }}
              onTap={() => remove(b.id)}
            >
              删除
            </ActionButton>
          </View>
        ))}
      </Page>
    </StaffOnly>
  )
}
