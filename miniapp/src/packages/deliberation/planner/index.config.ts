export default definePageConfig({ navigationBarTitleText: '议事日' })
