export default definePageConfig({ navigationBarTitleText: '代为反映' })
