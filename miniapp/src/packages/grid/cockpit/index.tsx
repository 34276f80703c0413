import { departmentKindLabels, needLevelLabels, type StreetCockpit, zoneDate } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../../api'
import { useMe } from '../../../session/use-me'
import { formatLeft, percent } from '../shared'
import { HBar, VBars } from './bars'
import '../grid.css'
import { ActionButton, Chips, Page, Skeleton } from '../../../ui'

const WEEKS = 8
const metrics = [
  { value: 'responseRate', label: '响应率' },
  { value: 'resolveRate', label: '解决率' },
  { value: 'satisfactionRate', label: '满意率' },
] as const
type Metric = (typeof metrics)[number]['value']
const day = (d: Date) => zoneDate(d)

/** 街道驾驶舱: every community and department of the street in one view, with an Excel export. */
export default function CockpitPage() {
  const { me } = useMe()
  const [data, setData] = useState<StreetCockpit | null>(null)
  const [metric, setMetric] = useState<Metric>('responseRate')
  const [failed, setFailed] = useState(false)
  const streetId = me?.roles.find((m) => m.role === 'streetStaff')?.scopeId ?? ''
  const query = {
    streetId,
    from: day(new Date(Date.now() - (WEEKS * 7 - 1) * 86_400_000)),
    to: day(new Date()),
  }

  useDidShow(() => {
    if (!streetId) return
    call('getStreetCockpit', { query }).then(setData, () => setFailed(true))
  })

  if (me && !streetId)
    return (
      <Page>
        <View className="card muted center">街道驾驶舱仅对街道工作人员开放</View>
      </Page>
    )
  if (failed)
    return (
      <Page>
        <View className="card muted center">加载失败</View>
        <ActionButton kind="ghost" onTap={() => call('getStreetCockpit', { query }).then(setData, () => {})}>
          重试
        </ActionButton>
      </Page>
    )
  if (!data) return <Page>{<Skeleton />}</Page>

  const exportXlsx = async () => {
    const tokens = Taro.getStorageSync('linli.tokens') as { accessToken?: string } | ''
    const base = process.env.TARO_ENV === 'h5' ? '' : LINLI_API_BASE
    const url = `${base}/api/v1/street-cockpit/export?streetId=${query.streetId}&from=${query.from}&to=${query.to}`
    const res = await Taro.downloadFile({
      url,
      header: { Authorization: `Bearer ${tokens ? tokens.accessToken : ''}` },
    })
    if (res.statusCode !== 200) throw new Error('export failed')
    if (process.env.TARO_ENV === 'h5') {
      const a = document.createElement('a')
      a.href = res.tempFilePath
      a.download = `街道驾驶舱-${query.from}至${query.to}.xlsx`
      a.click()
    } else await Taro.openDocument({ filePath: res.tempFilePath, fileType: 'xlsx', showMenu: true })
  }

  const n = data.needs
  return (
    <Page className="cockpit">
      <View className="card">
        <Text className="card__title">{data.streetName}</Text>
        <Text className="muted">
          {data.from} 至 {data.to}
        </Text>
        <View className="grid-stat">
          <View className="grid-stat__cell">
            <Text className="grid-stat__value cockpit-total">{n.total}</Text>
            <Text className="muted">反映量</Text>
          </View>
          <View className="grid-stat__cell">
            <Text className="grid-stat__value">{percent(n.responseRate)}</Text>
            <Text className="muted">响应率</Text>
          </View>
          <View className="grid-stat__cell">
            <Text className="grid-stat__value">{percent(n.resolveRate)}</Text>
            <Text className="muted">解决率</Text>
          </View>
          <View className="grid-stat__cell">
            <Text className="grid-stat__value">{percent(n.satisfactionRate)}</Text>
            <Text className="muted">满意率</Text>
          </View>
        </View>
      </View>

      <View className="card">
        <Text className="card__title">每周趋势</Text>
        <VBars
          className="cockpit-volume"
          columns={data.weeks.map((w) => ({ label: w.week.slice(5), value: w.total, text: String(w.total) }))}
        />
        <Chips
          className="cockpit-metric"
          options={[...metrics]}
          value={metric}
          onChange={(v) => setMetric(v as Metric)}
        />
        <VBars
          className="cockpit-rates"
          tone="b"
          max={1}
          columns={data.weeks.map((w) => ({
            label: w.week.slice(5),
            value: w[metric] ?? 0,
            text: percent(w[metric]),
          }))}
        />
      </View>

      <View className="card cockpit-communities">
        <Text className="card__title">各社区</Text>
        {data.communities.map((c) => (
          <View key={c.id} className="cockpit-community">
            <HBar
              label={`${c.name} · ${c.needs.total}件`}
              value={c.needs[metric]}
              text={`${metrics.find((m) => m.value === metric)!.label} ${percent(c.needs[metric])}`}
            />
            <Text className="muted">
              超时 {c.overdue} · 议事参与率 {percent(c.deliberation.turnoutRate)} · 通过{' '}
              {c.deliberation.passed} / 落实 {c.deliberation.carriedOut} · 积分发放 {c.points.issued} / 兑换{' '}
              {c.points.redeemed} · 预约使用 {c.bookingsUsed}
            </Text>
          </View>
        ))}
      </View>

      <View className="card cockpit-departments">
        <Text className="card__title">各部门报到</Text>
        {data.departments.length === 0 && <Text className="muted">本街道尚未登记部门</Text>}
        {data.departments.map((d) => (
          <View key={d.id} className="cockpit-department">
            <HBar
              label={`${d.name}（${departmentKindLabels[d.kind]}）· 吹哨${d.whistles}次`}
              value={d.reportInRate}
              text={`按时报到 ${percent(d.reportInRate)} · 办结 ${percent(d.resolveRate)}`}
            />
          </View>
        ))}
      </View>

      <View className="card cockpit-overdue">
        <Text className="card__title">超时清单</Text>
        {data.overdue.length === 0 && <Text className="muted">没有超时的反映</Text>}
        {data.overdue.map((o) => (
          <View
            key={o.id}
            className="row"
            onClick={() => Taro.navigateTo({ url: `/packages/needs/detail/index?id=${o.id}` })}
          >
            <Text>
              {o.communityName} · {o.title}
            </Text>
            <Text className="grid-left grid-left--late">
              {needLevelLabels[o.level]} {formatLeft(o.secondsLeft)}
            </Text>
          </View>
        ))}
      </View>

      <ActionButton className="cockpit-export" onTap={exportXlsx}>
        导出Excel
      </ActionButton>
    </Page>
  )
}
