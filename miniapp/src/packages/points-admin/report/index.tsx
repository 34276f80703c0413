import type { Reconciliation, RedemptionReport } from '@linli/shared-types'
import { formatTime } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { useEffect, useState } from 'react'
import type { z } from 'zod'
import { call } from '../../../api'
import '../admin.css'
import { ActionButton, Field, useFieldErrors } from '../../../ui'
import { localDay, Row, StaffPage, toast } from '../shared'

type Report = z.infer<typeof RedemptionReport>
const day = /^\d{4}-\d{2}-\d{2}$/
const labels = { from: '开始日期', to: '结束日期' }

function Body(props: { communityId: string }) {
  const [rec, setRec] = useState<Reconciliation | null>(null)
  const [report, setReport] = useState<Report | null>(null)
  const [from, setFrom] = useState(localDay(new Date(Date.now() - 29 * 86_400_000).toISOString()))
  const [to, setTo] = useState(localDay(new Date().toISOString()))
  const form = useFieldErrors(labels)

  const check = async () =>
    setRec(await call('getPointsReconciliation', { query: { communityId: props.communityId } }))
  const loadReport = async () => {
    const wrong = !day.test(from) ? 'from' : !day.test(to) ? 'to' : null
    if (wrong) {
      form.setErrors({ [wrong]: '日期格式应为 YYYY-MM-DD' })
      return toast('日期格式应为 YYYY-MM-DD')
    }
    const got = await form.submit(
      call('getRedemptionReport', { query: { communityId: props.communityId, from, to } }),
    )
    if (got) setReport(got)
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once per community
  useEffect(() => {
    if (!props.communityId) return
    void check().catch(() => {})
    void loadReport().catch(() => {})
  }, [props.communityId])

  return (
    <>
      <View className="card reconciliation">
        <Text className="card__title">积分对账</Text>
        {rec ? (
          <>
            <Text className={`reconciliation__verdict ${rec.clean ? 'admin__ok' : 'admin__bad'}`}>
              {rec.clean ? '账实相符：余额与流水逐户一致，库存一致' : '发现差异，请核查'}
            </Text>
            <Row label="账户数">{rec.accounts}</Row>
            <Row label="流水条数">{rec.ledgerEntries}</Row>
            <Row label="礼遇数">{rec.rewards}</Row>
            <Row label="核对时间">{formatTime(rec.checkedAt)}</Row>
            {rec.differences.map((d) => (
              <Text key={`${d.userId}:${d.account}`} className="admin__bad">
                用户 {d.userId.slice(-6)} {d.account}：余额 {d.balance}，流水合计 {d.ledgerSum}，处理中{' '}
                {d.pending}
              </Text>
            ))}
            {rec.stockDifferences.map((d) => (
              <Text key={d.rewardId} className="admin__bad">
                礼遇 {d.rewardId.slice(-6)}：库存 {d.stock}，应为 {d.expected}
              </Text>
            ))}
          </>
        ) : (
          <Text className="muted">核对中…</Text>
        )}
        <ActionButton kind="ghost" className="reconciliation-run" onTap={check}>
          重新对账
        </ActionButton>
      </View>
      <View className="card redemption-report">
        <Text className="card__title">兑换与核销报表</Text>
        <Field
          className="report-from"
          label="开始日期"
          value={from}
          {...form.bind('from', setFrom)}
          hint="YYYY-MM-DD"
          maxlength={10}
        />
        <Field
          className="report-to"
          label="结束日期"
          value={to}
          {...form.bind('to', setTo)}
          hint="YYYY-MM-DD，不早于开始日期"
          maxlength={10}
        />
        <ActionButton kind="ghost" className="report-run" onTap={loadReport}>
          查询
        </ActionButton>
        {report && (
          <>
            {report.rows.map((r) => (
              <View key={r.merchantId} className="admin__rule">
                <Text>{r.merchantName}</Text>
                <Text className="muted">
                  兑换 {r.issued} · 核销 {r.redeemed} · 取消 {r.cancelled} · 过期 {r.expired} · 积分{' '}
                  {r.pointsSpent}
                </Text>
              </View>
            ))}
            <View className="admin__rule">
              <Text>合计</Text>
              <Text className="muted">
                兑换 {report.totals.issued} · 核销 {report.totals.redeemed} · 取消 {report.totals.cancelled} ·
                过期 {report.totals.expired} · 积分 {report.totals.pointsSpent}
              </Text>
            </View>
          </>
        )}
      </View>
    </>
  )
}

/** Reconciliation (balance = Σ ledger, stock check) and the redemption report by period. */
export default function Report() {
  return (
    <StaffPage>
      {({ communityId, picker }) => (
        <>
          {picker}
          <Body key={communityId} communityId={communityId} />
        </>
      )}
    </StaffPage>
  )
}
