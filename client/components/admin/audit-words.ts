type Translate = (key: string) => string
type Exists = (key: string) => boolean

/**
 * Audit codes in words: actions (`user.reset-password`), roles and target
 * types. A code the messages do not know yet (a newer server) is shown as
 * it is. Message paths split at dots, so an action's dots become `_` in its key.
 */
export function auditWords(t: Translate, te: Exists): { action: (code: string) => string, role: (code: string) => string, target: (code: string) => string } {
  const word = (prefix: string, code: string): string => {
    const key = `${prefix}.${code.replaceAll('.', '_')}`
    return te(key) ? t(key) : code
  }
  return {
    action: code => word('admin.audit.actions', code),
    role: code => word('admin.roles', code),
    target: code => word('admin.audit.targets', code),
  }
}
