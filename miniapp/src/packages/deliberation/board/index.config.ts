export default definePageConfig({ navigationBarTitleText: '议事日大屏' })
