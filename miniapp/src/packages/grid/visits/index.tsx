import { HomeVisitInput, zoneDate } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { call } from '../../../api'
import { PagedList } from '../../../components/paged-list'
import { firstIssueMessage } from '../../../lib/form'
import { usePages } from '../../../lib/use-pages'
import { useMe } from '../../../session/use-me'
import '../grid.css'
import { ActionButton, Chips, type Choice, Field, limitHint, Page, useFieldErrors } from '../../../ui'

const labels = { buildingId: '楼栋', household: '住户', topics: '走访事项', date: '日期', note: '情况记录' }

/** 入户走访: the log of the worker's grid (only its workers and community staff see it) and a form. */
export default function HomeVisitsPage() {
  const { me } = useMe()
  const [adding, setAdding] = useState(false)
  const [buildings, setBuildings] = useState<Choice[]>([])
  const [buildingId, setBuildingId] = useState('')
  const [household, setHousehold] = useState('')
  const [topics, setTopics] = useState('')
  const [note, setNote] = useState('')
  const [planned, setPlanned] = useState('done')
  const [error, setError] = useState('')
  const form = useFieldErrors(labels, ['buildingId'])
  const fetchPage = useCallback(
    (cursor?: string) => call('listHomeVisits', { query: cursor ? { cursor } : {} }),
    [],
  )
  const { items, hasMore, more, reload } = usePages(fetchPage)
  useDidShow(() => {
    void reload()
  })
  useEffect(() => {
    if (!me) return
    const scopes = new Set(me.roles.map((m) => m.scopeId))
    call('listCommunities', { query: {} }).then(
      async (r) => {
        const found: Choice[] = []
        for (const c of r.items) {
          const tree = await call('getCommunity', { params: { id: c.id } })
          for (const g of tree.grids)
            for (const cy of g.courtyards)
              if (scopes.has(c.id) || scopes.has(g.id) || scopes.has(cy.id))
                for (const b of cy.buildings) found.push({ value: b.id, label: `${cy.name}${b.name}` })
        }
        setBuildings(found)
      },
      () => {},
    )
  }, [me])

  const save = async () => {
    const parsed = HomeVisitInput.safeParse({
      buildingId,
      household,
      date: zoneDate(new Date()),
      planned: planned === 'planned',
      topics: topics.split(/[，,、\s]+/).filter(Boolean),
      ...(note.trim() ? { note: note.trim() } : {}),
    })
    form.check(parsed)
    if (!parsed.success) return setError(firstIssueMessage(parsed.error, labels, ['buildingId']))
    setError('')
    if (!(await form.submit(call('logHomeVisit', { body: parsed.data })))) return
    setAdding(false)
    setHousehold('')
    setTopics('')
    setNote('')
    await Taro.showToast({ title: '已登记', icon: 'success' })
    await reload()
  }

  return (
    <Page className="home-visits">
      {adding ? (
        <View className="card visit-form">
          <Chips
            className="visit-kind"
            options={[
              { value: 'done', label: '已走访' },
              { value: 'planned', label: '计划今天走访' },
            ]}
            value={planned}
            onChange={setPlanned}
          />
          <Text className="section-label">楼栋</Text>
          <Chips className="visit-building" options={buildings} value={buildingId} onChange={setBuildingId} />
          <Field
            className="visit-household"
            label="住户"
            value={household}
            {...form.bind('household', setHousehold)}
            hint={limitHint(HomeVisitInput.shape.household)}
            placeholder="例如 1单元302"
          />
          <Field
            className="visit-topics"
            label="走访事项（用顿号分隔）"
            value={topics}
            {...form.bind('topics', setTopics)}
            maxlength={100}
            hint="1–10项，每项最多20个字"
            placeholder="例如 独居、用电安全"
          />
          <Field
            className="visit-note"
            label="情况记录（可选）"
            value={note}
            {...form.bind('note', setNote)}
            maxlength={500}
            hint={limitHint(HomeVisitInput.shape.note)}
          />
          {error && <Text className="error-text">{error}</Text>}
          <View className="btn-row">
            <ActionButton className="visit-save" onTap={save}>
              保存
            </ActionButton>
            <ActionButton kind="ghost" onTap={() => setAdding(false)}>
              取消
            </ActionButton>
          </View>
        </View>
      ) : (
        <ActionButton className="visit-add" onTap={() => setAdding(true)}>
          登记走访
        </ActionButton>
      )}
      <PagedList items={items} hasMore={hasMore} more={more} empty="还没有走访记录">
        {(v) => (
          <View key={v.id} className="card visit-item">
            <View className="row">
              <Text className="grid-item__title">
                {v.place} {v.household}
              </Text>
              <Text className={`tag ${v.planned ? 'tag--wait' : 'tag--ok'}`}>
                {v.planned ? '计划' : '已走访'}
              </Text>
            </View>
            <Text className="muted">
              {v.date} · {v.byName} · {v.topics.join('、')}
            </Text>
            {v.note && <Text>{v.note}</Text>}
            {v.planned && (
              <ActionButton
                kind="ghost"
                onTap={async () => {
                  await call('completeHomeVisit', { params: { id: v.id }, body: {} })
                  await reload()
                }}
              >
                标记已走访
              </ActionButton>
            )}
          </View>
        )}
      </PagedList>
    </Page>
  )
}
