import { AgeGroup, ageGroupLabels, CreateActivityBody, zoneDate } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../../api'
import { StaffOnly } from '../../../components/staff-only'
import { firstIssueMessage } from '../../../lib/form'
import { useManagedCommunities } from '../../../lib/use-managed-communities'
import { useMe } from '../../../session/use-me'
import { DETAIL_PAGE, toast, weekdayNames } from '../shared'
import '../activities.css'
import { ActionButton, Chips, Field, Page, useFieldErrors } from '../../../ui'

const labels: Record<string, string> = {
  title: '活动名称',
  location: '地点',
  contactPhone: '联系电话',
  placesPerSession: '每场名额',
  pointsPerHour: '每小时积分',
  description: '介绍',
  schedule: '时间安排',
}
const today = (): string => zoneDate(new Date())
const yesNo = [
  { value: 'yes', label: '是志愿服务' },
  { value: 'no', label: '普通活动' },
]
const kinds = [
  { value: 'weekly', label: '每周重复' },
  { value: 'once', label: '单次' },
]
const ages = AgeGroup.options.map((a) => ({ value: a, label: ageGroupLabels[a] }))

/** Staff publish an activity: one-off or weekly (in the community's zone), places, volunteer rate. */
export default function Publish() {
  const { me } = useMe()
  const { communityId, picker } = useManagedCommunities(me)
  const [f, setF] = useState({
    title: '',
    location: '',
    contactPhone: '',
    places: '10',
    volunteer: 'yes',
    rate: '10',
    kind: 'weekly',
    weekdays: [] as number[],
    startTime: '19:00',
    minutes: '120',
    startDate: today(),
    endDate: '',
    ageGroup: 'all',
    description: '',
  })
  const form = useFieldErrors(labels)
  /** The schema's field each input feeds, so editing it clears its message. */
  const fieldOf: Record<string, string> = { places: 'placesPerSession', rate: 'pointsPerHour' }
  const set = (patch: Partial<typeof f>) => {
    setF((old) => ({ ...old, ...patch }))
    for (const k of Object.keys(patch)) form.clear(fieldOf[k] ?? (k in labels ? k : 'schedule'))
  }
  const toggleDay = (d: number) =>
    set({ weekdays: f.weekdays.includes(d) ? f.weekdays.filter((x) => x !== d) : [...f.weekdays, d].sort() })

  const submit = async () => {
    const minutes = Number(f.minutes)
    const start = new Date(`${f.startDate}T${f.startTime}:00+08:00`)
    const schedule =
      f.kind === 'weekly'
        ? {
            kind: 'weekly',
            weekdays: f.weekdays,
            startTime: f.startTime,
            durationMinutes: minutes,
            startDate: f.startDate,
            endDate: f.endDate || null,
          }
        : Number.isNaN(start.getTime())
          ? { kind: 'once', sessions: [] }
          : {
              kind: 'once',
              sessions: [
                {
                  start: start.toISOString(),
                  end: new Date(start.getTime() + minutes * 60_000).toISOString(),
                },
              ],
            }
    const parsed = CreateActivityBody.safeParse({
      communityId,
      title: f.title,
      location: f.location,
      contactPhone: f.contactPhone,
      placesPerSession: Number(f.places),
      volunteer: f.volunteer === 'yes',
      pointsPerHour: f.volunteer === 'yes' ? Number(f.rate) : null,
      audience: { courtyardIds: [], ageGroup: f.ageGroup },
      description: f.description,
      schedule,
    })
    form.check(parsed) // each field's message under it; the first also as a toast
    if (!parsed.success) return toast(firstIssueMessage(parsed.error, labels))
    const { confirm } = await Taro.showModal({
      title: '发布活动',
      content: `发布「${f.title}」？居民将可以报名。`,
    })
    if (!confirm) return
    let created: { id: string }
    try {
      created = await call('createActivity', { body: parsed.data })
    } catch (error) {
      form.fromServer(error) // the server's field messages under the fields; the title is toasted
      return
    }
    await Taro.redirectTo({ url: `${DETAIL_PAGE}?id=${created.id}` })
  }

  return (
    <StaffOnly me={me} what="发布活动">
      <Page className="act">
        {picker}
        <View className="card">
          <Field
            className="pub-title"
            label="活动名称"
            value={f.title}
            maxlength={40}
            onInput={(v) => set({ title: v })}
            hint="最多40个字"
            error={form.errors.title}
          />
          <Field
            className="pub-location"
            label="地点"
            value={f.location}
            maxlength={100}
            onInput={(v) => set({ location: v })}
            hint="最多100个字"
            error={form.errors.location}
          />
          <Field
            className="pub-phone"
            label="联系电话"
            type="number"
            maxlength={11}
            value={f.contactPhone}
            onInput={(v) => set({ contactPhone: v })}
            hint="11位手机号，居民报名后可联系"
            error={form.errors.contactPhone}
          />
          <Field
            className="pub-places"
            label="每场名额"
            type="number"
            value={f.places}
            onInput={(v) => set({ places: v })}
            hint="1–500人"
            error={form.errors.placesPerSession}
          />
          <Field
            className="pub-desc"
            label="介绍"
            value={f.description}
            maxlength={500}
            onInput={(v) => set({ description: v })}
            hint="最多500个字，可不填"
            error={form.errors.description}
          />
          <Text className="field__label">适合人群</Text>
          <Chips
            className="pub-age"
            options={ages}
            value={f.ageGroup}
            onChange={(v) => set({ ageGroup: v })}
          />
        </View>
        <View className="card">
          <Chips
            className="pub-volunteer"
            options={yesNo}
            value={f.volunteer}
            onChange={(v) => set({ volunteer: v })}
          />
          {f.volunteer === 'yes' && (
            <Field
              className="pub-rate"
              label="每小时志愿积分"
              type="number"
              value={f.rate}
              onInput={(v) => set({ rate: v })}
              hint="0–200，不填按社区规则"
              error={form.errors.pointsPerHour}
            />
          )}
        </View>
        <View className="card">
          <Chips className="pub-kind" options={kinds} value={f.kind} onChange={(v) => set({ kind: v })} />
          {f.kind === 'weekly' && (
            <View className="chips pub-weekdays">
              {weekdayNames.map((name, d) => (
                <View
                  key={name}
                  className={f.weekdays.includes(d) ? 'chip chip--on' : 'chip'}
                  onClick={() => toggleDay(d)}
                >
                  {name}
                </View>
              ))}
            </View>
          )}
          <Field
            className="pub-date"
            label={f.kind === 'weekly' ? '开始日期' : '日期'}
            value={f.startDate}
            placeholder="YYYY-MM-DD"
            onInput={(v) => set({ startDate: v })}
          />
          {f.kind === 'weekly' && (
            <Field
              className="pub-end"
              label="结束日期（可不填）"
              value={f.endDate}
              placeholder="YYYY-MM-DD"
              onInput={(v) => set({ endDate: v })}
            />
          )}
          <Field
            className="pub-time"
            label="开始时间"
            value={f.startTime}
            placeholder="19:00"
            onInput={(v) => set({ startTime: v })}
          />
          <Field
            className="pub-minutes"
            label="每场时长（分钟）"
            type="number"
            value={f.minutes}
            onInput={(v) => set({ minutes: v })}
          />
          {form.errors.schedule && <Text className="error-text field__error">{form.errors.schedule}</Text>}
          <Text className="muted">按社区所在时区计时，每周同一时刻举行</Text>
        </View>
        <ActionButton className="pub-submit" onTap={submit}>
          发布
        </ActionButton>
      </Page>
    </StaffOnly>
  )
}
