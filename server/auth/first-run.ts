import type { Role } from '@shared/auth/policy'
import type { AuthRepository } from '@server/store/repositories'
import type { AdminService } from './admin-service'

/** An account made at start, with the password to show once. */
export interface IssuedAccount { username: string, roles: Role[], departmentId: string | null, password: string }

/** One user per role for `npm run demo`; the handler belongs to the department that handles environment calls. */
const DEMO_USERS: { username: string, displayName: string, roles: Role[], department?: true }[] = [
  { username: 'operator', displayName: '值班员（演示）', roles: ['operator'] },
  { username: 'duty', displayName: '值班长（演示）', roles: ['duty_officer'] },
  { username: 'handler', displayName: '部门处理人（演示）', roles: ['dept_handler'], department: true },
  { username: 'leader', displayName: '领导（演示）', roles: ['leader'] },
]

/**
 * No default credentials (reliability.md §4.6): an empty database gets one
 * administrator with a random password, to be changed at first sign-in; in
 * demo mode, one user per role as well. Another node starting at the same
 * moment may have made them: a name taken is left as it is.
 */
export async function seedAccounts(admin: AdminService, repo: AuthRepository, options: { demo: boolean, demoDepartment: string | null }): Promise<IssuedAccount[]> {
  const issued: IssuedAccount[] = []
  const create = async (username: string, displayName: string, roles: Role[], departmentId: string | null, mustChangePassword: boolean): Promise<void> => {
    if (await repo.userByName(username))
      return
    try {
      const { user, password } = await admin.createUser(null, { username, displayName, roles, departmentId }, { mustChangePassword })
      issued.push({ username: user.username, roles: user.roles, departmentId: user.departmentId, password })
    }
    catch (err) {
      if (!(await repo.userByName(username)))
        throw err
    }
  }
  if (await repo.countUsers() === 0)
    await create('admin', '系统管理员', ['admin'], null, true)
  if (options.demo) {
    for (const u of DEMO_USERS)
      await create(u.username, u.displayName, u.roles, u.department ? options.demoDepartment : null, false)
  }
  return issued
}
