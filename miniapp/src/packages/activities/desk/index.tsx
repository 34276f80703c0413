import { CreateItemBody, formatTime, type Loan, loanStatusLabels, type Session } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { call } from '../../../api'
import { StaffOnly } from '../../../components/staff-only'
import { firstIssueMessage } from '../../../lib/form'
import { useManagedCommunities } from '../../../lib/use-managed-communities'
import { useMe } from '../../../session/use-me'
import { CodeEntry, PUBLISH_PAGE, placesLabel, ROSTER_PAGE, sessionWhen, toast } from '../shared'
import '../activities.css'
import { ActionButton, Field, limitHint, Page, useFieldErrors } from '../../../ui'

const itemLabels: Record<string, string> = {
  name: '物品名称',
  station: '所在驿站',
  stock: '数量',
  loanDays: '借期',
}

/** Staff desk: lending pick-up and return by the resident's code, the week's sessions, new items. */
export default function Desk() {
  const { me } = useMe()
  const { communityId, picker } = useManagedCommunities(me)
  const [sessions, setSessions] = useState<Session[]>([])
  const [last, setLast] = useState<Loan | null>(null)
  const [item, setItem] = useState({ name: '', station: '', stock: '1', loanDays: '7' })
  const form = useFieldErrors(itemLabels)
  const setField = (k: keyof typeof item) => form.bind(k, (v) => setItem((x) => ({ ...x, [k]: v })))

  const loadSessions = async () => {
    if (!communityId) return
    setSessions((await call('listSessions', { query: { communityId, days: 7 } })).items)
  }
  // The managed communities arrive after the first show: load again once the community is known.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the community changes
  useEffect(() => {
    void loadSessions().catch(() => {})
  }, [communityId])
  useDidShow(() => {
    void loadSessions().catch(() => {})
  })

  const desk = async (op: 'pickUpLoan' | 'returnLoan', code: string) => {
    const loan = await call(op, { body: { code } })
    setLast(loan)
    await toast(op === 'pickUpLoan' ? '已登记取用' : loan.overdue ? '已归还（逾期）' : '已归还')
  }
  const addItem = async () => {
    const parsed = CreateItemBody.safeParse({
      communityId,
      name: item.name,
      station: item.station,
      stock: Number(item.stock),
      loanDays: Number(item.loanDays),
    })
    form.check(parsed)
    if (!parsed.success) return toast(firstIssueMessage(parsed.error, itemLabels))
    if (!(await form.submit(call('createItem', { body: parsed.data })))) return
    setItem({ name: '', station: item.station, stock: '1', loanDays: '7' })
    await toast('已登记')
  }

  return (
    <StaffOnly me={me} what="活动与借用工作台">
      <Page className="act">
        {picker}
        <View className="card">
          <Text className="card__title">借还登记</Text>
          <Text className="muted">请居民出示「我的借用」中的借用码</Text>
          <CodeEntry
            className="desk-pickup"
            label="取用：借用码"
            action="登记取用"
            onCode={(c) => desk('pickUpLoan', c)}
          />
          <CodeEntry
            className="desk-return"
            label="归还：借用码"
            action="登记归还"
            onCode={(c) => desk('returnLoan', c)}
          />
          {last && (
            <View className="desk-result">
              <Text className="act-card__line">
                {last.borrowerName} · {last.itemName} · {last.overdue ? '逾期' : ''}
                {loanStatusLabels[last.status]}
              </Text>
              {last.dueAt && last.status === 'pickedUp' && (
                <Text className="act-card__line">应还：{formatTime(last.dueAt)}</Text>
              )}
            </View>
          )}
        </View>

        <View className="card">
          <Text className="card__title">活动</Text>
          <ActionButton className="to-publish" onTap={() => Taro.navigateTo({ url: PUBLISH_PAGE })}>
            发布活动
          </ActionButton>
          {sessions.length === 0 && <Text className="muted">近7天没有场次</Text>}
          {sessions.map((s) => (
            <View
              key={s.id}
              className="row desk-session"
              onClick={() => Taro.navigateTo({ url: `${ROSTER_PAGE}?id=${s.id}` })}
            >
              <Text className="row__label">{sessionWhen(s.start, s.end)}</Text>
              <Text className="row__value">
                {s.title} · {placesLabel(s)}
              </Text>
            </View>
          ))}
        </View>

        <View className="card">
          <Text className="card__title">登记共享物品</Text>
          <Field
            className="item-name"
            label="物品名称"
            value={item.name}
            {...setField('name')}
            maxlength={40}
            hint={limitHint(CreateItemBody.shape.name)}
          />
          <Field
            className="item-station"
            label="所在驿站"
            value={item.station}
            placeholder="如：望平生活驿站"
            {...setField('station')}
            maxlength={40}
            hint={limitHint(CreateItemBody.shape.station)}
          />
          <Field
            className="item-stock"
            label="数量"
            type="number"
            value={item.stock}
            {...setField('stock')}
            maxlength={4}
            hint={limitHint(CreateItemBody.shape.stock, '件')}
          />
          <Field
            className="item-days"
            label="借期（天）"
            type="number"
            value={item.loanDays}
            {...setField('loanDays')}
            maxlength={2}
            hint={limitHint(CreateItemBody.shape.loanDays, '天')}
          />
          <ActionButton className="item-submit" onTap={addItem}>
            登记物品
          </ActionButton>
        </View>
      </Page>
    </StaffOnly>
  )
}
