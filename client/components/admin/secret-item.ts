/** One value a dialog shows this once (a generated password, a display token, its wall address); `id` names it for copying and for the tests. */
export interface SecretItem { id: string, label: string, value: string, note?: string }
