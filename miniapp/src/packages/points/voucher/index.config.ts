export default definePageConfig({ navigationBarTitleText: '券详情' })
