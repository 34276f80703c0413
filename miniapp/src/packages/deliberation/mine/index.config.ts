export default definePageConfig({ navigationBarTitleText: '我的议题与投票' })
