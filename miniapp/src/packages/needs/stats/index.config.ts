export default definePageConfig({ navigationBarTitleText: '反映统计' })
