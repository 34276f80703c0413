import { type PointRule, type PointRules, pointEventLabels, UpdatePointRulesBody } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { call } from '../../../api'
import { firstIssueMessage } from '../../../lib/form'
import '../admin.css'
import { ActionButton, Chips, Field } from '../../../ui'
import { intOf, StaffPage, toast } from '../shared'

interface RuleForm {
  eventType: PointRule['eventType']
  account: PointRule['account']
  points: string
  dailyCap: string
  monthlyCap: string
  enabled: string
}
const cap = (n: number | null) => (n === null ? '' : String(n))

function Editor(props: { communityId: string }) {
  const [rules, setRules] = useState<PointRules | null>(null)
  const [names, setNames] = useState({ volunteer: '', community: '' })
  const [years, setYears] = useState('1')
  const [rows, setRows] = useState<RuleForm[]>([])

  const show = (r: PointRules) => {
    setRules(r)
    setNames(r.accountNames)
    setYears(String(r.expiryYears))
    setRows(
      r.rules.map((x) => ({
        eventType: x.eventType,
        account: x.account,
        points: String(x.points),
        dailyCap: cap(x.dailyCap),
        monthlyCap: cap(x.monthlyCap),
        enabled: String(x.enabled),
      })),
    )
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once per community
  useEffect(() => {
    if (props.communityId)
      call('listPointRules', { query: { communityId: props.communityId } }).then(show, () => {})
  }, [props.communityId])
  if (!rules) return <View className="card muted">加载中…</View>

  const setRow = (i: number, k: keyof RuleForm) => (v: string) =>
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, [k]: v } : r)))
  const save = async () => {
    const parsed = UpdatePointRulesBody.safeParse({
      accountNames: names,
      expiryYears: intOf(years),
      rules: rows.map((r) => ({
        eventType: r.eventType,
        account: r.account,
        points: intOf(r.points),
        dailyCap: r.dailyCap.trim() ? intOf(r.dailyCap) : null,
        monthlyCap: r.monthlyCap.trim() ? intOf(r.monthlyCap) : null,
        enabled: r.enabled === 'true',
      })),
    })
    if (!parsed.success)
      return toast(
        firstIssueMessage(parsed.error, { accountNames: '账户名称', expiryYears: '有效期', rules: '规则' }),
      )
    show(await call('updatePointRules', { params: { id: props.communityId }, body: parsed.data }))
    void toast('已保存', 'success')
  }

  return (
    <>
      <View className="card">
        <Text className="card__title">账户与有效期</Text>
        <Field
          className="rules-name-volunteer"
          label="志愿账户名称"
          value={names.volunteer}
          onInput={(v) => setNames((n) => ({ ...n, volunteer: v }))}
          maxlength={10}
        />
        <Field
          className="rules-name-community"
          label="社区账户名称"
          value={names.community}
          onInput={(v) => setNames((n) => ({ ...n, community: v }))}
          maxlength={10}
        />
        <Field
          className="rules-expiry"
          label="积分于获得后第几年年底过期"
          type="number"
          value={years}
          onInput={setYears}
        />
      </View>
      {rows.map((r, i) => (
        <View key={r.eventType} className={`card rules-rule rules-${r.eventType.replace('.', '-')}`}>
          <Text className="card__title">{pointEventLabels[r.eventType]}</Text>
          <Chips
            options={[
              { value: 'volunteer', label: names.volunteer || '志愿积分' },
              { value: 'community', label: names.community || '社区积分' },
            ]}
            value={r.account}
            onChange={setRow(i, 'account')}
          />
          <Field
            className="rule-points"
            label={r.eventType.startsWith('volunteer.') ? '每小时积分' : '每次积分'}
            type="number"
            value={r.points}
            onInput={setRow(i, 'points')}
          />
          <Field
            className="rule-daily"
            label="每日上限（空为不限）"
            type="number"
            value={r.dailyCap}
            onInput={setRow(i, 'dailyCap')}
          />
          <Field
            className="rule-monthly"
            label="每月上限（空为不限）"
            type="number"
            value={r.monthlyCap}
            onInput={setRow(i, 'monthlyCap')}
          />
          <Chips
            options={[
              { value: 'true', label: '启用' },
              { value: 'false', label: '停用' },
            ]}
            value={r.enabled}
            onChange={setRow(i, 'enabled')}
          />
        </View>
      ))}
      <ActionButton className="rules-save" onTap={save}>
        保存规则
      </ActionButton>
    </>
  )
}

/** The community's point rules: account names, earning per event, caps and expiry; staff edit (audited). */
export default function Rules() {
  return (
    <StaffPage>
      {({ communityId, picker }) => (
        <>
          {picker}
          <Editor key={communityId} communityId={communityId} />
        </>
      )}
    </StaffPage>
  )
}
