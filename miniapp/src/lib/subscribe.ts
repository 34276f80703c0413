import Taro from '@tarojs/taro'

export type Topic = 'booking' | 'need' | 'vote'

/**
 * WeChat subscribe messages, asked at the moments a resident wants news (booking submitted, need
 * submitted, vote opened). Template ids come from the WeChat console at build time
 * (TARO_APP_TMPL_BOOKING / _NEED / _VOTE); without them, or on H5, news arrives in 消息 only.
 */
const templates: Record<Topic, string> = LINLI_SUBSCRIBE_TEMPLATES

export async function subscribe(topics: Topic[], options: { explain?: boolean } = {}): Promise<void> {
  const ids = topics.map((t) => templates[t]).filter(Boolean)
  if (process.env.TARO_ENV !== 'weapp' || ids.length === 0) {
    if (options.explain)
      await Taro.showToast({ title: '预约、反映和投票的进展都会发到「消息」', icon: 'none', duration: 2500 })
    return
  }
  try {
    await Taro.requestSubscribeMessage({ tmplIds: ids, entityIds: [] } as Taro.requestSubscribeMessage.Option)
  } catch {
    // Refused or unavailable: the in-app 消息 still carries every notice.
  }
}
