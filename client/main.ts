import { createPinia } from 'pinia'
import { createApp } from 'vue'
import 'maplibre-gl/dist/maplibre-gl.css'
import App from './App.vue'
import { i18n } from './i18n'
import { guardRoutes, router } from './router'
import './styles/base.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia).use(router).use(i18n)
guardRoutes(pinia)
app.mount('#app')
