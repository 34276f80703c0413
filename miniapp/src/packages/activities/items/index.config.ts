export default definePageConfig({ navigationBarTitleText: '共享物品' })
