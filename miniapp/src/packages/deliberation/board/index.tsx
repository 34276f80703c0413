import { type BoardTopic, formatTime } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { useCallback, useEffect } from 'react'
import { call } from '../../../api'
import { TopicTag } from '../../../components/topic-tag'
import { CellGroup, Loadable, Page, useLoad } from '../../../ui'
import '../meeting.css'

/** How often the room's screen refreshes the counts. */
const REFRESH_MS = 5000

/** One topic: how many have voted while the vote runs (never what), the result once published. */
function TopicPanel({ t }: { t: BoardTopic }) {
  const total = t.result ? t.result.options.reduce((n, o) => n + o.count, 0) : 0
  return (
    <View className="card board-topic">
      <View className="row">
        <Text className="board__topic-title">{t.title}</Text>
        <TopicTag status={t.status} />
      </View>
      {!t.result && t.status === 'voting' && (
        <>
          <View className="bar-label">
            <Text>已投票</Text>
            <Text className="board-topic__cast">
              {t.ballotsCast}
              {t.eligibleUnits ? ` / ${t.eligibleUnits}` : ''}
            </Text>
          </View>
          <View className="bar">
            <View
              className="bar__fill"
              style={{
                width: `${t.eligibleUnits ? Math.min(100, (100 * t.ballotsCast) / t.eligibleUnits) : 0}%`,
              }}
            />
          </View>
          {t.votingClosesAt && <Text className="muted">投票截止 {formatTime(t.votingClosesAt)}</Text>}
        </>
      )}
      {!t.result && t.status !== 'voting' && (
        <Text className="muted">
          {t.votingOpensAt ? `投票开始 ${formatTime(t.votingOpensAt)}` : '尚未安排投票'}
        </Text>
      )}
      {t.result && (
        <View className="board-result">
          <Text className="board__topic-title">{t.result.passed ? '表决通过' : '未获通过'}</Text>
          {t.result.options.map((o) => (
            <View key={o.key}>
              <View className="bar-label">
                <Text>{o.label}</Text>
                <Text>{o.count} 票</Text>
              </View>
              <View className="bar">
                <View className="bar__fill" style={{ width: `${total ? (100 * o.count) / total : 0}%` }} />
              </View>
            </View>
          ))}
          <Text className="muted">
            投票率 {t.result.turnoutPercent}%（{t.result.ballots}/{t.result.eligibleUnits}），其中现场票{' '}
            {t.result.offlineBallots} 张
          </Text>
        </View>
      )}
    </View>
  )
}

/** 大屏: for the projector in the meeting room. Refreshes itself every few seconds. */
export default function Board() {
  const { id = '' } = useRouter().params
  const board = useLoad(useCallback(() => call('getMeetingBoard', { params: { id } }), [id]))
  const { reload } = board
  useEffect(() => {
    const timer = setInterval(() => void reload(), REFRESH_MS)
    return () => clearInterval(timer)
  }, [reload])
  return (
    <Page className="board">
      <Loadable load={board}>
        {(b) => (
          <>
            <Text className="board__title">{b.communityName} · 爱邻议事日</Text>
            <Text className="muted">
              {formatTime(b.day.startsAt)} · {b.day.place}
            </Text>
            <View className="board__stats">
              <View className="board__stat">
                <Text className="board__number board-attendance">{b.day.attendanceCount}</Text>
                <Text>已签到</Text>
              </View>
              <View className="board__stat">
                <Text className="board__number">{b.agenda.length}</Text>
                <Text>议题</Text>
              </View>
            </View>
            <CellGroup title="议程">
              {b.agenda.map((t) => (
                <TopicPanel key={t.id} t={t} />
              ))}
            </CellGroup>
          </>
        )}
      </Loadable>
    </Page>
  )
}
