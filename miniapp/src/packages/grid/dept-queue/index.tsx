import { type DepartmentQueueItem, whistleStateLabels } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { call } from '../../../api'
import { PagedList } from '../../../components/paged-list'
import { usePages } from '../../../lib/use-pages'
import { confirm, formatLeft, GRID_PAGES, TextPanel } from '../shared'
import '../grid.css'
import { ActionButton, Chips, Page } from '../../../ui'

const states = [
  { value: 'open', label: '待办' },
  { value: 'resolved', label: '已办结' },
  { value: 'handedBack', label: '已退回' },
]
type Action = 'reportIn' | 'reply' | 'resolve' | 'handBack'
const actionText: Record<Action, { label: string; placeholder: string; submit: string }> = {
  reportIn: { label: '报到说明', placeholder: '例如：队员已到现场', submit: '确认报到' },
  reply: { label: '答复居民', placeholder: '处理进展', submit: '发送答复' },
  resolve: { label: '办理结果（将告知居民）', placeholder: '例如：占道摊贩已清理', submit: '确认办结' },
  handBack: { label: '退回原因（必填）', placeholder: '例如：不属于本部门职责', submit: '确认退回' },
}

/** A department's own queue: needs whistled to it, nearest report-in deadline first. */
export default function DepartmentQueuePage() {
  const [state, setState] = useState('open')
  const [acting, setActing] = useState<{ item: DepartmentQueueItem; action: Action } | null>(null)
  const fetchPage = useCallback(
    (cursor?: string) =>
      call('listDepartmentQueue', {
        query: { state: state as 'open', ...(cursor ? { cursor } : {}) },
      }),
    [state],
  )
  const { items, hasMore, more, reload } = usePages(fetchPage)
  // A changed filter reloads; coming back from another page refreshes.
  useEffect(() => {
    void reload()
  }, [reload])
  useDidShow(() => {
    void reload()
  })

  const submit = async (text: string) => {
    if (!acting) return
    const params = { id: acting.item.whistleId }
    const a = acting.action
    if (a === 'resolve' && !(await confirm('确认办结', '办结后居民将收到结果并可评价'))) return
    if (a === 'handBack' && !(await confirm('确认退回', '退回后由吹哨的社区继续处理'))) return
    if (a === 'reportIn') await call('reportInAsDepartment', { params, body: { note: text } })
    if (a === 'reply') await call('replyAsDepartment', { params, body: { note: text } })
    if (a === 'resolve') await call('resolveAsDepartment', { params, body: { reply: text } })
    if (a === 'handBack') await call('handBackWhistle', { params, body: { reason: text } })
    setActing(null)
    await Taro.showToast({ title: '已提交', icon: 'success' })
    await reload()
  }

  return (
    <Page className="dept-queue">
      <Chips className="dept-states" options={states} value={state} onChange={setState} />
      {acting && (
        <TextPanel
          key={`${acting.item.whistleId}:${acting.action}`}
          className={`dept-panel dept-panel--${acting.action}`}
          label={actionText[acting.action].label}
          placeholder={actionText[acting.action].placeholder}
          submitText={actionText[acting.action].submit}
          onSubmit={submit}
          onCancel={() => setActing(null)}
        />
      )}
      <PagedList items={items} hasMore={hasMore} more={more} empty="暂无吹哨事项">
        {(item) => (
          <View key={item.whistleId} className="card dept-item">
            <View
              className="row"
              onClick={() => Taro.navigateTo({ url: `${GRID_PAGES.need}?id=${item.need.id}` })}
            >
              <Text className="grid-item__title">{item.need.title}</Text>
              <Text className="tag tag--wait">{whistleStateLabels[item.state]}</Text>
            </View>
            <Text className="muted">
              {item.need.no} · {item.need.location || '—'} · {item.departmentName}
            </Text>
            {item.state === 'summoned' && (
              <Text className={`grid-left ${item.overdue ? 'grid-left--late' : ''}`}>
                报到{formatLeft(item.secondsLeft)}
              </Text>
            )}
            <View className="btn-row">
              {item.state === 'summoned' && (
                <ActionButton
                  className="dept-report-in"
                  onTap={() => setActing({ item, action: 'reportIn' })}
                >
                  报到
                </ActionButton>
              )}
              {item.state === 'reportedIn' && (
                <>
                  <ActionButton
                    kind="ghost"
                    className="dept-reply"
                    onTap={() => setActing({ item, action: 'reply' })}
                  >
                    答复
                  </ActionButton>
                  <ActionButton className="dept-resolve" onTap={() => setActing({ item, action: 'resolve' })}>
                    办结
                  </ActionButton>
                </>
              )}
              {(item.state === 'summoned' || item.state === 'reportedIn') && (
                <ActionButton
                  kind="danger"
                  className="dept-hand-back"
                  onTap={() => setActing({ item, action: 'handBack' })}
                >
                  退回
                </ActionButton>
              )}
            </View>
          </View>
        )}
      </PagedList>
    </Page>
  )
}
