import { defineStore } from 'pinia'
import { ref } from 'vue'
import { z } from 'zod'
import type { Action } from '@shared/auth/policy'
import { SessionInfo, SocketTicket } from '@shared/schemas/auth'
import { getJson, HttpError, onUnauthorized, sendJson, setCsrfToken } from './http'

/** Where a wall keeps its display token, so that it signs in again by itself after its session ends. */
export const DISPLAY_TOKEN_KEY = 'ioc.displayToken'

const Nothing = z.null()

/**
 * Who is signed in: a user (with roles) or a wall display. A wall opened as
 * /wall#display=<token> keeps the token (and drops it from the address bar)
 * and signs in with it whenever its session is gone; a user signs in on the
 * login page.
 */
export const useSessionStore = defineStore('session', () => {
  const info = ref<SessionInfo | null>(null)
  const loaded = ref(false)

  function signedIn(next: SessionInfo | null): SessionInfo | null {
    info.value = next
    setCsrfToken(next?.csrfToken ?? '')
    loaded.value = true
    return next
  }

  async function load(): Promise<SessionInfo | null> {
    try {
      return signedIn(await getJson('/api/auth/session', SessionInfo))
    }
    catch (err) {
      if (err instanceof HttpError && err.status === 401)
        return (await displayLoginFromStorage()) ?? signedIn(null)
      throw err
    }
  }

  async function login(username: string, password: string): Promise<SessionInfo> {
    return signedIn(await sendJson('POST', '/api/auth/login', { username, password }, SessionInfo)) as SessionInfo
  }

  /** Signs a wall in with its display token; a token the server refuses is forgotten. */
  async function displayLogin(token: string): Promise<SessionInfo | null> {
    try {
      const session = signedIn(await sendJson('POST', '/api/auth/display', { token }, SessionInfo))
      localStorage.setItem(DISPLAY_TOKEN_KEY, token)
      return session
    }
    catch (err) {
      if (err instanceof HttpError && (err.status === 401 || err.status === 400))
        localStorage.removeItem(DISPLAY_TOKEN_KEY)
      return null
    }
  }

  async function displayLoginFromStorage(): Promise<SessionInfo | null> {
    const token = localStorage.getItem(DISPLAY_TOKEN_KEY)
    return token ? displayLogin(token) : null
  }

  async function logout(): Promise<void> {
    localStorage.removeItem(DISPLAY_TOKEN_KEY)
    await sendJson('POST', '/api/auth/logout', undefined, Nothing).catch(() => null)
    signedIn(null)
  }

  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await sendJson('POST', '/api/auth/password', { currentPassword, newPassword }, Nothing)
    await load()
  }

  /** A ticket for the socket handshake; a wall whose session ended signs in again first. */
  async function socketTicket(): Promise<string> {
    try {
      return (await sendJson('POST', '/api/auth/socket-ticket', undefined, SocketTicket)).ticket
    }
    catch (err) {
      if (err instanceof HttpError && err.status === 401 && await displayLoginFromStorage())
        return (await sendJson('POST', '/api/auth/socket-ticket', undefined, SocketTicket)).ticket
      throw err
    }
  }

  // The server said the session is gone: a wall signs in again, a user is shown the login page (App.vue watches `info`).
  onUnauthorized(() => {
    if (!localStorage.getItem(DISPLAY_TOKEN_KEY))
      signedIn(null)
  })

  const can = (action: Action): boolean => info.value?.actions.includes(action) ?? false
  return { info, loaded, load, login, displayLogin, logout, changePassword, socketTicket, can }
})
