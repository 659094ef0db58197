import type { Pinia } from 'pinia'
import { createRouter, createWebHistory } from 'vue-router'
import type { Action } from '@shared/auth/policy'
import { ensureRealtime, stopRealtime } from './modules/realtime'
import { DISPLAY_TOKEN_KEY, useSessionStore } from './stores/session'

declare module 'vue-router' {
  interface RouteMeta {
    /** Open without signing in (the login page). */
    public?: boolean
    /** The action a screen needs (shared/auth/policy.ts), or any of several; signed in is enough when absent. */
    action?: Action | readonly Action[]
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/wall' },
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
    { path: '/password', name: 'password', component: () => import('./views/PasswordView.vue') },
    { path: '/wall', name: 'wall', component: () => import('./views/WallView.vue'), meta: { action: 'live.view' } },
    { path: '/alerts', name: 'alerts', component: () => import('./views/AlertsView.vue'), meta: { action: 'alerts.view' } },
    // Work orders (issue 8): the duty officers' console, a department's inbox, the leaders' dispatch KPIs.
    { path: '/dispatch', name: 'dispatch', component: () => import('./views/DispatchView.vue'), meta: { action: 'workorders.dispatch' } },
    { path: '/inbox', name: 'inbox', component: () => import('./views/InboxView.vue'), meta: { action: 'workorders.handle' } },
    { path: '/dispatch-kpis', name: 'dispatch-kpis', component: () => import('./views/DispatchKpisView.vue'), meta: { action: 'review.view' } },
    // Drills (issue 9): run by those who run scenarios, their summaries read by leaders too.
    { path: '/drills', name: 'drills', component: () => import('./views/DrillsView.vue'), meta: { action: ['scenarios.run', 'review.view'] } },
    // The leaders' review (issue 9): the city, a town or a department over a period; one page, three scopes.
    { path: '/review', name: 'review', component: () => import('./views/ReviewView.vue'), meta: { action: 'review.view' } },
    { path: '/review/town/:code', name: 'review-town', component: () => import('./views/ReviewView.vue'), meta: { action: 'review.view' } },
    { path: '/review/dept/:id', name: 'review-dept', component: () => import('./views/ReviewView.vue'), meta: { action: 'review.view' } },
    // A 日报 or 周报 as an A4 paper to print (Chinese in every language).
    { path: '/review/reports/:id/print', name: 'report-print', component: () => import('./views/ReportPrintView.vue'), meta: { action: 'review.view' } },
    // The wall played back from the history, for after-action reviews (issue 9).
    { path: '/replay', name: 'replay', component: () => import('./views/ReplayView.vue'), meta: { action: 'review.view' } },
    {
      path: '/admin',
      component: () => import('./views/admin/AdminLayout.vue'),
      children: [
        { path: '', redirect: '/admin/users' },
        { path: 'users', name: 'users', component: () => import('./views/admin/UsersView.vue'), meta: { action: 'users.manage' } },
        { path: 'departments', name: 'departments', component: () => import('./views/admin/DepartmentsView.vue'), meta: { action: 'departments.manage' } },
        { path: 'display-tokens', name: 'display-tokens', component: () => import('./views/admin/DisplayTokensView.vue'), meta: { action: 'tokens.manage' } },
        { path: 'wall-layouts', name: 'wall-layouts', component: () => import('./views/admin/WallLayoutsView.vue'), meta: { action: 'wall.layout.manage' } },
        { path: 'alert-rules', name: 'alert-rules', component: () => import('./views/admin/AlertRulesView.vue'), meta: { action: 'rules.manage' } },
        { path: 'audit', name: 'audit', component: () => import('./views/admin/AuditView.vue'), meta: { action: 'audit.view' } },
      ],
    },
  ],
})

/** Signs in before any screen shows: the login page for people, the stored token for walls; the live connection once signed in. */
export function guardRoutes(pinia: Pinia): void {
  const session = useSessionStore(pinia)
  router.beforeEach(async (to) => {
    // A display token in the address (/wall#display=…): kept for the session store, and the address replaced without it.
    const token = new URLSearchParams(to.hash.slice(1)).get('display')
    if (token) {
      localStorage.setItem(DISPLAY_TOKEN_KEY, token)
      return { path: to.path, query: to.query, hash: '', replace: true }
    }
    if (!session.loaded || !session.info)
      await session.load().catch(() => null)
    if (!session.info)
      stopRealtime()
    if (to.meta.public)
      return true
    if (!session.info)
      return { name: 'login', query: { next: to.fullPath } }
    if (session.info.mustChangePassword && to.name !== 'password')
      return { name: 'password', query: { next: to.fullPath } }
    const needs = to.meta.action
    if (needs && !(typeof needs === 'string' ? session.can(needs) : needs.some(a => session.can(a))))
      return session.can('live.view') && to.name !== 'wall' ? { name: 'wall' } : { name: 'login' }
    ensureRealtime(pinia)
    return true
  })
}
