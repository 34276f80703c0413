import { CreateSpaceBody, type Space, SpaceType, spaceTypeLabels, UpdateSpaceBody } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { call } from '../../../api'
import { StaffOnly } from '../../../components/staff-only'
import { firstIssueMessage } from '../../../lib/form'
import { useManagedCommunities } from '../../../lib/use-managed-communities'
import { useMe } from '../../../session/use-me'
import { intOf, SPACE_EDIT_PAGE, toast } from '../admin'
import '../booking.css'
import { ActionButton, Chips, Field, limitHint, Page, Skeleton, useFieldErrors } from '../../../ui'

const labels: Record<string, string> = {
  communityId: '社区',
  name: '名称',
  type: '类型',
  description: '介绍',
  location: '位置',
  capacity: '容纳人数',
  facilities: '设施',
  openingHours: '开放时间',
  slotMinutes: '时段长度',
  minDurationMinutes: '最短时长',
  maxDurationMinutes: '最长时长',
  bookingWindowDays: '可提前天数',
  minNoticeMinutes: '最少提前分钟',
  maxActiveBookings: '每人同时预约数',
  maxHoursPerWeek: '每人每周小时数',
  checkInWindowMinutes: '签到提前分钟',
  noShowGraceMinutes: '爽约宽限分钟',
}
const numbers = [
  'capacity',
  'minDurationMinutes',
  'maxDurationMinutes',
  'bookingWindowDays',
  'minNoticeMinutes',
  'maxActiveBookings',
  'maxHoursPerWeek',
  'checkInWindowMinutes',
  'noShowGraceMinutes',
] as const
type NumberField = (typeof numbers)[number]

const weekdayNames = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']
const typeChoices = SpaceType.options.map((t) => ({ value: t, label: spaceTypeLabels[t] }))
const slotChoices = ['15', '30', '60'].map((m) => ({ value: m, label: `${m}分钟` }))
const shape = CreateSpaceBody.shape
const blankNumbers = Object.fromEntries(numbers.map((k) => [k, ''])) as Record<NumberField, string>

/** '09:00-12:00，14:00-21:00' → intervals; text that is no time stays as it is for the schema to refuse. */
function parseHours(weekday: number, text: string) {
  return text
    .split(/[,，、;；\s]+/)
    .filter(Boolean)
    .map((part) => {
      const [open = part, close = ''] = part.split(/[-–~～至]/)
      return { weekday, open: open.trim(), close: close.trim() }
    })
}

function hoursText(space: Space): string[] {
  return weekdayNames.map((_, d) =>
    space.openingHours
      .filter((h) => h.weekday === d)
      .map((h) => `${h.open}-${h.close}`)
      .join('，'),
  )
}

/** Staff: create a space (`?communityId=`) or edit one (`?id=`), including disabling it. */
export default function SpaceEdit() {
  const { params } = useRouter()
  const { me } = useMe()
  const managed = useManagedCommunities(me)
  const communityId = params.communityId || managed.communityId
  const [space, setSpace] = useState<Space | null>(null)
  const [f, setF] = useState({ name: '', description: '', location: '', facilities: '' })
  const [n, setN] = useState<Record<NumberField, string>>(blankNumbers)
  const [type, setType] = useState<SpaceType>('meetingRoom')
  const [slot, setSlot] = useState('30')
  const [approval, setApproval] = useState('true')
  const [enabled, setEnabled] = useState('true')
  const [hours, setHours] = useState<string[]>(weekdayNames.map(() => '09:00-21:00'))
  const form = useFieldErrors(labels, ['communityId'])
  const set = (k: keyof typeof f) => form.bind(k, (v: string) => setF((x) => ({ ...x, [k]: v })))
  const setNum = (k: NumberField) => form.bind(k, (v: string) => setN((x) => ({ ...x, [k]: v })))

  useEffect(() => {
    if (!params.id) return
    call('getSpace', { params: { id: params.id } }).then(
      (s) => {
        setSpace(s)
        setF({
          name: s.name,
          description: s.description,
          location: s.location,
          facilities: s.facilities.join('，'),
        })
        setN(Object.fromEntries(numbers.map((k) => [k, String(s[k])])) as Record<NumberField, string>)
        setType(s.type)
        setSlot(String(s.slotMinutes))
        setApproval(String(s.requiresApproval))
        setEnabled(String(s.enabled))
        setHours(hoursText(s))
      },
      () => {},
    )
  }, [params.id])

  const save = async () => {
    const bad = numbers.find((k) => Number.isNaN(intOf(n[k])))
    if (bad) {
      form.setErrors({ [bad]: '请填写整数' })
      return toast(`${labels[bad]}：请填写整数`)
    }
    const fields = {
      name: f.name.trim(),
      type,
      description: f.description.trim(),
      location: f.location.trim(),
      facilities: f.facilities
        .split(/[,，、;；\s]+/)
        .map((x) => x.trim())
        .filter(Boolean),
      openingHours: hours.flatMap((text, d) => parseHours(d, text)),
      slotMinutes: Number(slot),
      ...Object.fromEntries(numbers.map((k) => [k, intOf(n[k])])),
      requiresApproval: approval === 'true',
      enabled: enabled === 'true',
    }
    if (space) {
      const parsed = UpdateSpaceBody.safeParse(fields)
      form.check(parsed)
      if (!parsed.success) return toast(firstIssueMessage(parsed.error, labels))
      const saved = await form.submit(call('updateSpace', { params: { id: space.id }, body: parsed.data }))
      if (!saved) return
      setSpace(saved)
      return toast('已保存', 'success')
    }
    const parsed = CreateSpaceBody.safeParse({ communityId, ...fields })
    form.check(parsed)
    if (!parsed.success) return toast(firstIssueMessage(parsed.error, labels, ['communityId']))
    const created = await form.submit(call('createSpace', { body: parsed.data }))
    if (!created) return
    void toast('已新建', 'success')
    await Taro.redirectTo({ url: `${SPACE_EDIT_PAGE}?id=${created.id}` })
  }

  if (params.id && !space) return <Skeleton />
  return (
    <StaffOnly me={me} what="空间管理">
      <Page>
        {!space && managed.picker}
        <View className="card space-form">
          <Text className="card__title">{space ? `修改「${space.name}」` : '新建空间'}</Text>
          <Field
            className="sp-name"
            label="名称"
            value={f.name}
            {...set('name')}
            maxlength={40}
            hint={limitHint(shape.name)}
          />
          <Text className="section-label">类型</Text>
          <Chips
            className="sp-type"
            options={typeChoices}
            value={type}
            onChange={(v) => setType(v as SpaceType)}
          />
          <Field
            className="sp-location"
            label="位置"
            value={f.location}
            {...set('location')}
            maxlength={100}
            hint={limitHint(shape.location)}
          />
          <Field
            className="sp-description"
            label="介绍"
            value={f.description}
            {...set('description')}
            maxlength={500}
            hint={limitHint(shape.description, '', '，可不填')}
          />
          <Field
            className="sp-capacity"
            label="容纳人数"
            value={n.capacity}
            {...setNum('capacity')}
            hint={limitHint(shape.capacity, '人')}
            type="number"
            maxlength={4}
          />
          <Field
            className="sp-facilities"
            label="设施"
            value={f.facilities}
            {...set('facilities')}
            maxlength={200}
            hint="最多20项，每项最多20个字"
            placeholder="用逗号分隔，如：投影仪，白板"
          />
        </View>
        <View className="card">
          <Text className="card__title">开放时间</Text>
          <Text className="muted">如 09:00-12:00，14:00-21:00；留空表示当天不开放</Text>
          {form.errors.openingHours && (
            <Text className="error-text field__error">{form.errors.openingHours}</Text>
          )}
          {weekdayNames.map((name, d) => (
            <Field
              key={name}
              className={`sp-hours-${d}`}
              label={name}
              value={hours[d] ?? ''}
              onInput={(v) => {
                setHours((h) => h.map((x, i) => (i === d ? v : x)))
                form.clear('openingHours')
              }}
              maxlength={60}
            />
          ))}
        </View>
        <View className="card">
          <Text className="card__title">预约规则</Text>
          <Text className="section-label">时段长度</Text>
          <Chips className="sp-slot" options={slotChoices} value={slot} onChange={setSlot} />
          {numbers
            .filter((k) => k !== 'capacity')
            .map((k) => (
              <Field
                key={k}
                className={`sp-${k}`}
                label={labels[k] ?? k}
                value={n[k]}
                {...setNum(k)}
                type="number"
                maxlength={5}
                placeholder="留空用默认值"
                hint={limitHint(
                  shape[k],
                  /Days/.test(k) ? '天' : /Hours/.test(k) ? '小时' : /Minutes/.test(k) ? '分钟' : '',
                )}
              />
            ))}
          <Text className="section-label">审核</Text>
          <Chips
            className="sp-approval"
            options={[
              { value: 'true', label: '需社区审核' },
              { value: 'false', label: '无需审核' },
            ]}
            value={approval}
            onChange={setApproval}
          />
          <Text className="section-label">状态</Text>
          <Chips
            className="sp-enabled"
            options={[
              { value: 'true', label: '开放预约' },
              { value: 'false', label: '停用' },
            ]}
            value={enabled}
            onChange={setEnabled}
          />
        </View>
        <ActionButton className="space-save" onTap={save}>
          {space ? '保存修改' : '新建空间'}
        </ActionButton>
      </Page>
    </StaffOnly>
  )
}
