export default definePageConfig({ navigationBarTitleText: '活动与借用工作台' })
