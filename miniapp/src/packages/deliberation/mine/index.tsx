import type { TopicSummary } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useCallback } from 'react'
import { call } from '../../../api'
import { TopicTag, topicUrl } from '../../../components/topic-tag'
import { Empty, Loadable, Page, useLoad } from '../../../ui'
import '../deliberation.css'

const quiet = { quiet: true }

/** 我的议题与投票: votes open now, then the topics the resident proposed. */
export default function MyTopics() {
  const load = useLoad(
    useCallback(async () => {
      const [voting, mine] = await Promise.all([
        call('listTopics', { query: { stage: 'voting', limit: 20 } }, quiet),
        call('listTopics', { query: { mine: 'true', limit: 50 } }, quiet),
      ])
      return { voting: voting.items, mine: mine.items }
    }, []),
  )
  return (
    <Page className="my-topics">
      <Loadable load={load}>
        {({ voting, mine }) => (
          <>
            <Text className="section-label">正在投票</Text>
            {voting.length === 0 && <Empty text="暂无正在投票的议题" />}
            {voting.map((t) => (
              <TopicRow key={t.id} topic={t} />
            ))}
            <Text className="section-label">我提的议题</Text>
            {mine.length === 0 && (
              <Empty
                text="还没有提过议题"
                action="我要提议题"
                onAction={() => Taro.navigateTo({ url: '/packages/deliberation/propose/index' })}
              />
            )}
            {mine.map((t) => (
              <TopicRow key={t.id} topic={t} />
            ))}
          </>
        )}
      </Loadable>
    </Page>
  )
}

function TopicRow({ topic }: { topic: TopicSummary }) {
  return (
    <View className="card delib-topic" onClick={() => Taro.navigateTo({ url: topicUrl(topic.id) })}>
      <View className="row">
        <Text className="delib-topic__title">{topic.title}</Text>
        <TopicTag status={topic.status} />
      </View>
      <Text className="muted">
        附议 {topic.secondsCount} · 议论 {topic.commentsCount}
        {topic.dayDate ? ` · 议事日 ${topic.dayDate}` : ''}
      </Text>
    </View>
  )
}
