export default definePageConfig({ navigationBarTitleText: '空间日程' })
