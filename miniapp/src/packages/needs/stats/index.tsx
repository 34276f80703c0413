import { type NeedStats, zoneDate } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { call } from '../../../api'
import { useMe } from '../../../session/use-me'
import '../needs.css'
import { Chips, Page, Skeleton } from '../../../ui'

type Scope = 'grid' | 'community' | 'street'
/** The community's calendar date `offsetDays` from today (not the phone's zone). */
const day = (offsetDays: number) => zoneDate(new Date(Date.now() + offsetDays * 86_400_000))
const ranges = [
  { value: '7', label: '近7天' },
  { value: '30', label: '近30天' },
  { value: '365', label: '近一年' },
]
const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`)

function Bar(props: { label: string; value: number | null; text: string; className?: string }) {
  return (
    <View className={`bar ${props.className ?? ''}`}>
      <View className="row">
        <Text>{props.label}</Text>
        <Text className="bar__value">{props.text}</Text>
      </View>
      <View className="bar__track">
        <View className="bar__fill" style={{ width: `${Math.round((props.value ?? 0) * 100)}%` }} />
      </View>
    </View>
  )
}

/** 响应率, 解决率, 满意率 and counts for a grid, community or street the user works in. */
export default function NeedStatsPage() {
  const { me } = useMe()
  const [range, setRange] = useState('30')
  const [stats, setStats] = useState<NeedStats | null>(null)
  const scopes = (me?.roles ?? [])
    .map((m) => {
      const scope: Scope | null =
        m.role === 'gridWorker' && m.scopeType === 'grid'
          ? 'grid'
          : m.role === 'staff'
            ? 'community'
            : m.role === 'streetStaff'
              ? 'street'
              : null
      return scope && m.scopeId ? { scope, scopeId: m.scopeId, label: m.scopeName } : null
    })
    .filter((s): s is { scope: Scope; scopeId: string; label: string } => s !== null)
  const [picked, setPicked] = useState('')
  const current = scopes.find((s) => s.scopeId === picked) ?? scopes[0]

  const scopeKey = current ? `${current.scope}:${current.scopeId}` : ''
  useEffect(() => {
    const [scope, scopeId] = scopeKey.split(':') as [Scope, string]
    if (!scopeId) return
    call('getNeedStats', { query: { scope, scopeId, from: day(-Number(range)), to: day(0) } }).then(
      setStats,
      () => {},
    )
  }, [scopeKey, range])

  if (!me) return <Page>{<Skeleton />}</Page>
  if (!current)
    return (
      <Page>
        <View className="card muted center">统计仅对网格员、社区和街道工作人员开放</View>
      </Page>
    )
  const max = Math.max(1, ...(stats?.byCategory ?? []).map((c) => c.count))
  return (
    <Page className="need-stats">
      <View className="card">
        {scopes.length > 1 && (
          <Chips
            options={scopes.map((s) => ({ value: s.scopeId, label: s.label }))}
            value={current.scopeId}
            onChange={setPicked}
          />
        )}
        <Chips className="pick-range" options={ranges} value={range} onChange={setRange} />
      </View>
      {!stats ? (
        <Skeleton />
      ) : (
        <>
          <View className="card">
            <Text className="card__title">{stats.scopeName}</Text>
            <View className="stat-grid">
              <View className="stat-cell">
                <Text className="stat-figure stat-total">{stats.total}</Text>
                <Text className="muted" style={{ display: 'block' }}>
                  反映总数
                </Text>
              </View>
              <View className="stat-cell">
                <Text className="stat-figure">{stats.avgResolveMinutes ?? '—'}</Text>
                <Text className="muted" style={{ display: 'block' }}>
                  平均办结(分钟)
                </Text>
              </View>
            </View>
            <Bar
              className="bar-response"
              label="响应率"
              value={stats.responseRate}
              text={pct(stats.responseRate)}
            />
            <Bar
              className="bar-resolve"
              label="解决率"
              value={stats.resolveRate}
              text={pct(stats.resolveRate)}
            />
            <Bar
              className="bar-satisfaction"
              label="满意率"
              value={stats.satisfactionRate}
              text={pct(stats.satisfactionRate)}
            />
          </View>
          <View className="card">
            <Text className="card__title">按分类</Text>
            {stats.byCategory.map((c) => (
              <Bar key={c.key} label={c.label} value={c.count / max} text={`${c.count}件`} />
            ))}
          </View>
          <View className="card">
            <Text className="card__title">按状态</Text>
            {stats.byStatus.map((s) => (
              <View key={s.key} className="row">
                <Text>{s.label}</Text>
                <Text>{s.count}件</Text>
              </View>
            ))}
          </View>
        </>
      )}
    </Page>
  )
}
