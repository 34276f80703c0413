import { PointRule, type PointRules, pointEventLabels, UpdatePointRulesBody } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { call } from '../../../api'
import { firstIssueMessage } from '../../../lib/form'
import '../admin.css'
import { ActionButton, Chips, Field, limitHint, useFieldErrors } from '../../../ui'
import { intOf, StaffPage, toast } from '../shared'

interface RuleForm {
  eventType: PointRule['eventType']
  account: PointRule['account']
  points: string
  dailyCap: string
  monthlyCap: string
  enabled: string
}
const labels = { accountNames: '账户名称', expiryYears: '有效期', rules: '规则' }
const rule = PointRule.shape
const cap = (n: number | null) => (n === null ? '' : String(n))

function Editor(props: { communityId: string }) {
  const [rules, setRules] = useState<PointRules | null>(null)
  const [names, setNames] = useState({ volunteer: '', community: '' })
  const [years, setYears] = useState('1')
  const [rows, setRows] = useState<RuleForm[]>([])
  const form = useFieldErrors(labels)

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

  const setRow = (i: number, k: keyof RuleForm) => (v: string) => {
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, [k]: v } : r)))
    form.clear(`rules.${i}.${k}`)
  }
  /** A rule's number input: its error under it ('rules.2.points') and its limits. */
  const rowField = (i: number, k: 'points' | 'dailyCap' | 'monthlyCap') => ({
    onInput: setRow(i, k),
    error: form.errors[`rules.${i}.${k}`],
    hint: limitHint(rule[k], '分'),
  })
  const setName = (k: 'volunteer' | 'community') =>
    form.bind(`accountNames.${k}`, (v) => setNames((n) => ({ ...n, [k]: v })))
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
    form.check(parsed)
    if (!parsed.success) return toast(firstIssueMessage(parsed.error, labels))
    const saved = await form.submit(
      call('updatePointRules', { params: { id: props.communityId }, body: parsed.data }),
    )
    if (!saved) return
    show(saved)
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
          {...setName('volunteer')}
          maxlength={10}
          hint="最多10个字"
        />
        <Field
          className="rules-name-community"
          label="社区账户名称"
          value={names.community}
          {...setName('community')}
          maxlength={10}
          hint="最多10个字"
        />
        <Field
          className="rules-expiry"
          label="积分于获得后第几年年底过期"
          type="number"
          value={years}
          {...form.bind('expiryYears', setYears)}
          hint={limitHint(UpdatePointRulesBody.shape.expiryYears, '年')}
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
            {...rowField(i, 'points')}
          />
          <Field
            className="rule-daily"
            label="每日上限（空为不限）"
            type="number"
            value={r.dailyCap}
            {...rowField(i, 'dailyCap')}
          />
          <Field
            className="rule-monthly"
            label="每月上限（空为不限）"
            type="number"
            value={r.monthlyCap}
            {...rowField(i, 'monthlyCap')}
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
