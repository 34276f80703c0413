import type { MyVote, MyVoteReceipt, TopicDetail, VoteReceipts } from '@linli/shared-types'
import { CommentBody, formatTime } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { call } from '../../../api'
import { QrCode } from '../../../components/qr/qr-code'
import { TopicTag, topicUrl } from '../../../components/topic-tag'
import { subscribe } from '../../../lib/subscribe'
import '../deliberation.css'
import '../meeting.css'
import { ActionButton, Chips, limitHint, Page, Skeleton, TextField, useFieldErrors } from '../../../ui'

const stars = ['1', '2', '3', '4', '5'].map((s) => ({ value: s, label: `${s}星` }))

export default function TopicPage() {
  const { id = '' } = useRouter().params
  const [topic, setTopic] = useState<TopicDetail | null>(null)
  const [mine, setMine] = useState<MyVote | null>(null)
  const [choice, setChoice] = useState('')
  const [comment, setComment] = useState('')
  const commentForm = useFieldErrors()
  const [score, setScore] = useState('5')
  const [receipt, setReceipt] = useState<MyVoteReceipt | null>(null)
  const [receipts, setReceipts] = useState<VoteReceipts | null>(null)
  const [poster, setPoster] = useState(false)
  const load = useCallback(async () => {
    const t = await call('getTopic', { params: { id } })
    setTopic(t)
    if (t.voting) {
      const [v, r] = await Promise.all([
        call('getMyVote', { params: { id } }),
        call('getMyVoteReceipt', { params: { id } }),
      ])
      setMine(v)
      setChoice(v.choice ?? '')
      setReceipt(r)
    }
  }, [id])
  // 转发到微信群: the topic card opens this page.
  useShareAppMessage(() => ({ title: topic ? `邀您附议：${topic.title}` : '爱邻议事', path: topicUrl(id) }))
  useEffect(() => {
    if (id) void load().catch(() => {})
  }, [id, load])
  if (!topic) return <Page>{<Skeleton />}</Page>
  const params = { id: topic.id }
  const r = topic.result
  return (
    <Page className="topic-detail">
      <View className="card">
        <View className="row">
          <Text className="card__title">{topic.title}</Text>
          <TopicTag status={topic.status} />
        </View>
        <Text className="muted" style={{ display: 'block' }}>
          {topic.proposerName} 提出 · {topic.scope.name} · 附议 {topic.secondsCount}
        </Text>
        <Text style={{ display: 'block', marginTop: '10px' }}>{topic.description}</Text>
        {topic.screening?.decision === 'refuse' && (
          <Text className="error-text">
            不予受理：{topic.screening.ruleName}。{topic.screening.reason}
          </Text>
        )}
        {(topic.status === 'proposed' || topic.status === 'accepted') && !topic.mine && !topic.seconded && (
          <ActionButton
            className="topic-second"
            onTap={async () => {
              await call('secondTopic', { params })
              await subscribe(['vote'])
              await Taro.showToast({ title: '已附议', icon: 'success' })
              await load()
            }}
          >
            附议
          </ActionButton>
        )}
        {topic.seconded && <Text className="muted topic-seconded">您已附议</Text>}
        {topic.status === 'proposed' && topic.secondsNeeded > 0 && (
          <View className="topic-seconding">
            <Text className="topic-seconds-needed">还差 {topic.secondsNeeded} 人附议，即可进入社区审议</Text>
            <View className="bar">
              <View
                className="bar__fill"
                style={{
                  width: `${(100 * topic.secondsCount) / (topic.secondsCount + topic.secondsNeeded)}%`,
                }}
              />
            </View>
          </View>
        )}
        {topic.status === 'proposed' && topic.promoted && (
          <Text className="muted topic-promoted">附议已达标，等待社区审议</Text>
        )}
        {process.env.TARO_ENV === 'h5' && (
          <ActionButton kind="ghost" className="topic-poster" onTap={() => setPoster(!poster)}>
            {poster ? '收起分享海报' : '分享海报'}
          </ActionButton>
        )}
        {poster && (
          <View className="center topic-poster-card">
            <Text className="card__title">{topic.title}</Text>
            <View className="door__qr">
              <QrCode payload={window.location.href} size={400} />
            </View>
            <Text className="muted">长按保存或截图，发到邻居群，扫码即可附议</Text>
          </View>
        )}
      </View>

      {topic.voting && topic.status === 'voting' && mine && (
        <View className="card ballot-sheet">
          <Text className="card__title">
            投票（{topic.voting.ballotUnit === 'household' ? '一户一票' : '一人一票'}）
          </Text>
          <Text className="muted" style={{ display: 'block' }}>
            截止 {formatTime(topic.voting.closesAt)}，截止前可改票；结果在投票结束后公布。
          </Text>
          {!mine.eligible ? (
            <Text className="muted">您不在本议题的投票范围内</Text>
          ) : mine.channel === 'offline' ? (
            <Text className="muted">已在现场投票</Text>
          ) : (
            <>
              <Chips
                className="ballot-options"
                options={topic.voting.options.map((o) => ({ value: o.key, label: o.label }))}
                value={choice}
                onChange={setChoice}
              />
              <ActionButton
                className="ballot-submit"
                onTap={async () => {
                  if (!choice) return Taro.showToast({ title: '请选择', icon: 'none' })
                  setMine(await call('castVote', { params, body: { choice } }))
                  // The receipt code comes with the first ballot: show it at once.
                  if (!receipt?.code) setReceipt(await call('getMyVoteReceipt', { params }))
                  await Taro.showToast({ title: mine.choice ? '已改票' : '投票成功', icon: 'success' })
                }}
              >
                {mine.choice ? '改票' : '投票'}
              </ActionButton>
              {mine.choice && (
                <Text className="muted ballot-mine">
                  我的选择：{topic.voting.options.find((o) => o.key === mine.choice)?.label}
                </Text>
              )}
              {receipt?.code && (
                <Text className="muted ballot-receipt">
                  回执码 <Text className="receipt-code">{receipt.code}</Text>
                  ：投票结束后可在计票清单中核对，回执码不含您的选择
                </Text>
              )}
            </>
          )}
        </View>
      )}

      {r && (
        <View className="card topic-result">
          <Text className="delib-result__verdict">{r.passed ? '表决通过' : '未获通过'}</Text>
          <Text className="muted" style={{ display: 'block' }}>
            投票 {r.ballots}/{r.eligibleUnits}（{r.turnoutPercent}%）· {r.quorumMet ? '达到' : '未达到'}
            法定人数 {r.quorumPercent}% · {r.threshold === 'twoThirds' ? '三分之二' : '过半数'}
          </Text>
          {r.options.map((o) => (
            <View key={o.key}>
              <Text>
                {o.label} {o.count} 票
              </Text>
              <View className="delib-bar">
                <View
                  className="delib-bar__fill"
                  style={{ width: `${r.ballots ? (o.count * 100) / r.ballots : 0}%` }}
                />
              </View>
            </View>
          ))}
          {!receipts ? (
            <ActionButton
              kind="ghost"
              className="receipts-open"
              onTap={async () => {
                const [list, mineNow] = await Promise.all([
                  call('getVoteReceipts', { params }),
                  call('getMyVoteReceipt', { params }),
                ])
                setReceipts(list)
                setReceipt(mineNow)
              }}
            >
              核对计票回执
            </ActionButton>
          ) : (
            <View className="receipts">
              <Text className="receipts-summary">
                计票回执 {receipts.count} 张，与投票数一致。
                {receipt?.code ? (
                  <>
                    您的回执码 <Text className="receipt-code">{receipt.code}</Text>
                    {receipt.counted ? ' 在清单中，您的选票已计入。' : ' 未在清单中，请联系社区工作人员。'}
                  </>
                ) : (
                  '您没有参与本次投票。'
                )}
              </Text>
              {receipts.codes.map((c) => (
                <Text
                  key={c}
                  className={c === receipt?.code ? 'receipt-code receipt-code--mine' : 'receipt-code'}
                >
                  {c}
                </Text>
              ))}
            </View>
          )}
        </View>
      )}

      {topic.milestones.length > 0 && (
        <View className="card">
          <Text className="card__title">落实进展（{topic.progress}%）</Text>
          {topic.milestones.map((m) => (
            <Text key={m.id} className="muted" style={{ display: 'block' }}>
              {formatTime(m.at)} {m.title}（{m.progress}%）{m.note}
            </Text>
          ))}
        </View>
      )}
      {topic.status === 'done' && topic.myRating === null && (
        <View className="card">
          <Text className="card__title">评价落实效果</Text>
          <Chips options={stars} value={score} onChange={setScore} />
          <ActionButton
            onTap={async () => {
              await call('rateTopicOutcome', { params, body: { stars: Number(score) } })
              await load()
            }}
          >
            提交评价
          </ActionButton>
        </View>
      )}

      <Text className="section-label">议事历程</Text>
      <View className="card">
        {topic.history.map((h) => (
          <Text key={`${h.at}${h.action}`} className="muted" style={{ display: 'block' }}>
            {formatTime(h.at)} {h.label} {h.note}
          </Text>
        ))}
      </View>

      <Text className="section-label">大家的议论（{topic.commentsCount}）</Text>
      <View className="card">
        <TextField
          className="topic-comment-input"
          label="说说你的看法"
          value={comment}
          {...commentForm.bind('body', setComment)}
          maxlength={500}
          hint={limitHint(CommentBody.shape.body)}
        />
        <ActionButton
          kind="ghost"
          className="topic-comment-submit"
          onTap={async () => {
            if (!(await commentForm.submit(call('commentOnTopic', { params, body: { body: comment } }))))
              return
            setComment('')
            await load()
          }}
        >
          发表
        </ActionButton>
        {topic.comments.map((c) => (
          <View key={c.id} className="delib-comment">
            <Text className="muted">
              {c.authorName} · {formatTime(c.createdAt)}
            </Text>
            <Text style={{ display: 'block' }}>{c.body}</Text>
          </View>
        ))}
      </View>
    </Page>
  )
}
