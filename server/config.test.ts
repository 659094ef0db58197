import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Config, CONFIG_ENV, ConfigError, loadConfig } from './config'

const DEFAULTS: Config = {
  port: 3000,
  host: '0.0.0.0',
  dbFile: './data/ioc.db',
  historyMinuteDays: 7,
  historyHourDays: 400,
  city: 'dongguan',
  buildClient: true,
  tickMs: 250,
  simulator: true,
  simSeed: 20_260_101,
  simSpeed: 1,
  simIntervalMs: 5000,
  simTrafficIntervalMs: 5000,
  simHallIntervalMs: 5000,
  simIncidentsPerDay: 6000,
  simFaultRate: 0.002,
  feeds: [],
  redisPrefix: 'ioc',
  production: false,
  demo: false,
  allowedOrigins: [],
  tls: false,
  trustProxy: 0,
  alerts: true,
  alertEvalMs: 5000,
  alertGroupWaitMs: 10_000,
  dispatchScanMs: 5000,
  simDispatch: true,
}

const dir = mkdtempSync(join(tmpdir(), 'ioc-config-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
/** Writes `content` (an object is written as JSON) to a fresh file and returns its path. */
function configFile(content: unknown): string {
  const path = join(dir, `config-${++files}.json`)
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content))
  return path
}

/** The ConfigError that loadConfig(env) throws; fails the test when it returns or throws anything else. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env)
  }
  catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return err as ConfigError
  }
  throw new Error(`loadConfig(${JSON.stringify(env)}) did not throw`)
}

describe('loadConfig', () => {
  it('gives the defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual(DEFAULTS)
  })

  it('ignores unrelated and empty variables', () => {
    expect(loadConfig({ PORT: '1', HOME: '/root', IOC_PORT: '', IOC_HOST: '' })).toEqual(DEFAULTS)
  })

  it('takes every key from its environment variable, converted to its type', () => {
    const config = loadConfig({
      IOC_PORT: '8080',
      IOC_HOST: '127.0.0.1',
      IOC_DB_FILE: '/var/lib/ioc/ioc.db',
      IOC_HISTORY_MINUTE_DAYS: '2',
      IOC_HISTORY_HOUR_DAYS: '30',
      IOC_CITY: 'jiangmen',
      IOC_BUILD_CLIENT: 'false',
      IOC_SIMULATOR: '0',
      IOC_SIM_SEED: '42',
      IOC_SIM_SPEED: '60',
      IOC_SIM_INTERVAL_MS: '250',
      IOC_SIM_TRAFFIC_INTERVAL_MS: '1000',
      IOC_SIM_HALL_INTERVAL_MS: '2000',
      IOC_SIM_INCIDENTS_PER_DAY: '100',
      IOC_SIM_FAULT_RATE: '0',
      IOC_FEEDS: JSON.stringify([{ id: 'dg-mqtt', adapter: 'mqtt', url: 'mqtt://127.0.0.1:1883', topics: [{ filter: 'ioc/air/#', kind: 'air' }] }]),
      IOC_DATABASE_URL: 'postgres://ioc@db:5432/ioc',
      IOC_REDIS_URL: 'redis://cache:6379',
      IOC_REDIS_PREFIX: 'ioc:dg',
      IOC_NODE_URL: 'http://10.0.0.2:3000',
      IOC_PRODUCTION: 'true',
      IOC_SECRET: '9f2c4e1a7b3d5f60c8e2a4b6d8f0a1c3e5b7d9f1',
      IOC_DEMO: 'false',
      IOC_ALLOWED_ORIGINS: 'https://ioc.dg.gov.cn, https://wall.dg.gov.cn:8443/',
      IOC_TLS: '1',
      IOC_TRUST_PROXY: '1',
      IOC_ALERTS: 'false',
      IOC_ALERT_EVAL_MS: '2000',
      IOC_ALERT_WEBHOOK_URL: 'https://sms.dg.gov.cn/ioc-alerts',
      IOC_ALERT_WEBHOOK_SECRET: 'a-shared-secret-of-the-gateway',
      IOC_ALERT_GROUP_WAIT_MS: '30000',
      IOC_SLA_FILE: '/etc/ioc/sla.json',
      IOC_DISPATCH_SCAN_MS: '1000',
      IOC_SIM_DISPATCH: 'false',
    })
    expect(config).toEqual({
      port: 8080,
      host: '127.0.0.1',
      dbFile: '/var/lib/ioc/ioc.db',
      historyMinuteDays: 2,
      historyHourDays: 30,
      city: 'jiangmen',
      buildClient: false,
      tickMs: 250,
      simulator: false,
      simSeed: 42,
      simSpeed: 60,
      simIntervalMs: 250,
      simTrafficIntervalMs: 1000,
      simHallIntervalMs: 2000,
      simIncidentsPerDay: 100,
      simFaultRate: 0,
      feeds: [{
        id: 'dg-mqtt',
        adapter: 'mqtt',
        enabled: true,
        crs: 'WGS84',
        staleAfterMs: 300_000,
        url: 'mqtt://127.0.0.1:1883',
        topics: [{ filter: 'ioc/air/#', kind: 'air' }],
        format: 'native',
      }],
      databaseUrl: 'postgres://ioc@db:5432/ioc',
      redisUrl: 'redis://cache:6379',
      redisPrefix: 'ioc:dg',
      nodeUrl: 'http://10.0.0.2:3000',
      production: true,
      secret: '9f2c4e1a7b3d5f60c8e2a4b6d8f0a1c3e5b7d9f1',
      demo: false,
      allowedOrigins: ['https://ioc.dg.gov.cn', 'https://wall.dg.gov.cn:8443'],
      tls: true,
      trustProxy: 1,
      alerts: false,
      alertEvalMs: 2000,
      alertWebhookUrl: 'https://sms.dg.gov.cn/ioc-alerts',
      alertWebhookSecret: 'a-shared-secret-of-the-gateway',
      alertGroupWaitMs: 30_000,
      slaFile: '/etc/ioc/sla.json',
      dispatchScanMs: 1000,
      simDispatch: false,
    })
  })

  it.each([
    ['no secret', {}, /IOC_SECRET: production needs IOC_SECRET/],
    ['a short secret', { IOC_SECRET: 'a1b2c3d4e5' }, /IOC_SECRET: IOC_SECRET must be at least 32/],
    ['a placeholder', { IOC_SECRET: 'changeme' }, /IOC_SECRET/],
    ['a long placeholder', { IOC_SECRET: 'x'.repeat(40) }, /IOC_SECRET looks like a placeholder/],
    ['demo users', { IOC_SECRET: '9f2c4e1a7b3d5f60c8e2a4b6d8f0a1c3e5b7d9f1', IOC_DEMO: '1' }, /IOC_DEMO: demo users are refused in production/],
  ])('refuses to start in production with %s', (_what, env, message) => {
    expect(() => loadConfig({ IOC_PRODUCTION: 'true', ...env })).toThrow(message)
  })

  it('lets several nodes start only with a shared secret', () => {
    expect(() => loadConfig({ IOC_REDIS_URL: 'redis://cache:6379', IOC_DATABASE_URL: 'postgres://ioc@db/ioc' })).toThrow(/IOC_SECRET: several nodes must share/)
  })

  it('refuses several nodes on a SQLite file: they must share PostgreSQL', () => {
    expect(() => loadConfig({ IOC_REDIS_URL: 'redis://cache:6379' })).toThrow(/IOC_REDIS_URL.*IOC_DATABASE_URL/s)
  })

  it('names the feed and the field of a bad feed declaration', () => {
    expect(() => loadConfig({ IOC_FEEDS: JSON.stringify([{ id: 'dg-mqtt', adapter: 'mqtt' }]) }))
      .toThrow(/IOC_FEEDS\[0\]\.url: .*\n.*IOC_FEEDS\[0\]\.topics: /)
    expect(() => loadConfig({ IOC_FEEDS: JSON.stringify([{ id: 'Bad Id', adapter: 'webhook', secret: { env: 'S' } }]) }))
      .toThrow(/IOC_FEEDS\[0\]\.id: lower-case letters, digits and -/)
    expect(() => loadConfig({ IOC_FEEDS: 'not json' })).toThrow(/IOC_FEEDS: .*expected array/)
  })

  it('has a variable for every key, all named IOC_*', () => {
    expect(Object.keys(CONFIG_ENV).sort()).toEqual(Object.keys(Config.shape).sort())
    for (const name of Object.values(CONFIG_ENV))
      expect(name).toMatch(/^IOC_[A-Z_]+$/)
  })

  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ])('reads IOC_BUILD_CLIENT=%s as %s', (value, expected) => {
    expect(loadConfig({ IOC_BUILD_CLIENT: value }).buildClient).toBe(expected)
  })

  it('reads the JSON file named by IOC_CONFIG', () => {
    const file = configFile({ port: 4000, host: '::1', simSpeed: 10, buildClient: false, dbFile: 'x.db' })
    expect(loadConfig({ IOC_CONFIG: file })).toEqual({ ...DEFAULTS, port: 4000, host: '::1', simSpeed: 10, buildClient: false, dbFile: 'x.db' })
  })

  it('lets environment variables override the file', () => {
    const file = configFile({ port: 4000, simSeed: 7 })
    expect(loadConfig({ IOC_CONFIG: file, IOC_PORT: '5000' })).toEqual({ ...DEFAULTS, port: 5000, simSeed: 7 })
  })

  describe('a bad environment value throws a ConfigError naming the variable and what was given', () => {
    it.each([
      ['IOC_PORT', 'abc'],
      ['IOC_PORT', '70000'],
      ['IOC_PORT', '80.5'],
      ['IOC_PORT', '-1'],
      ['IOC_CITY', 'paris'],
      ['IOC_BUILD_CLIENT', 'yes'],
      ['IOC_SIM_SEED', '-5'],
      ['IOC_SIM_SPEED', '-1'],
      ['IOC_SIM_SPEED', '0'],
      ['IOC_SIM_INTERVAL_MS', '10'],
      ['IOC_SIM_FAULT_RATE', '2'],
      ['IOC_HISTORY_MINUTE_DAYS', '0'],
      ['IOC_HISTORY_MINUTE_DAYS', '1.5'],
      ['IOC_HISTORY_HOUR_DAYS', '7'],
      ['IOC_HISTORY_HOUR_DAYS', 'forever'],
    ])('%s=%s', (name, value) => {
      const err = configError({ [name]: value })
      expect(err.message).toContain(name)
      expect(err.message).toContain(JSON.stringify(value))
    })

    it('says why the history must be kept at least so long', () => {
      expect(configError({ IOC_HISTORY_MINUTE_DAYS: '0' }).message).toMatch(/IOC_HISTORY_MINUTE_DAYS: at least 1 day: the wall's 24-hour trends/)
      expect(configError({ IOC_HISTORY_HOUR_DAYS: '7' }).message).toMatch(/IOC_HISTORY_HOUR_DAYS: at least 8 days: the KPIs compare with the same hour a week earlier/)
    })

    it('names every bad variable at once', () => {
      const err = configError({ IOC_PORT: 'abc', IOC_SIM_SPEED: '-1', IOC_HOST: 'ok' })
      expect(err.message).toContain('IOC_PORT')
      expect(err.message).toContain('"abc"')
      expect(err.message).toContain('IOC_SIM_SPEED')
      expect(err.message).toContain('"-1"')
      expect(err.message).not.toContain('IOC_HOST')
    })
  })

  describe('a bad config file throws a ConfigError naming the file and the key', () => {
    it('a bad value in the file', () => {
      const file = configFile({ port: 'abc' })
      const err = configError({ IOC_CONFIG: file })
      expect(err.message).toContain(`port in ${file}`)
      expect(err.message).toContain('"abc"')
    })

    it('a bad value in the file is not blamed on the variable', () => {
      const file = configFile({ simSpeed: -1 })
      const err = configError({ IOC_CONFIG: file })
      expect(err.message).toContain(`simSpeed in ${file}`)
      expect(err.message).not.toContain('IOC_SIM_SPEED')
    })

    it('an unknown key', () => {
      const file = configFile({ port: 1, prot: 2 })
      const err = configError({ IOC_CONFIG: file })
      expect(err.message).toMatch(new RegExp(`^\\s+prot \\(unknown key in ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\).*\\(got 2\\)$`, 'm'))
    })

    it('an unknown key that an object has by inheritance', () => {
      const file = configFile({ constructor: 1 })
      const err = configError({ IOC_CONFIG: file })
      expect(err.message).toContain(`constructor (unknown key in ${file})`)
    })

    it('a file that does not exist', () => {
      const file = join(dir, 'missing.json')
      const err = configError({ IOC_CONFIG: file })
      expect(err.message).toContain('IOC_CONFIG')
      expect(err.message).toContain(file)
    })

    it('a directory instead of a file', () => {
      const sub = join(dir, 'a-directory')
      mkdirSync(sub)
      const err = configError({ IOC_CONFIG: sub })
      expect(err.message).toContain('IOC_CONFIG')
      expect(err.message).toContain(sub)
    })

    it.each([
      ['text that is not JSON', '{ port: 1 '],
      ['a JSON array', '[1, 2]'],
      ['JSON null', 'null'],
      ['a JSON number', '3000'],
    ])('%s', (_what, content) => {
      const file = configFile(content)
      const err = configError({ IOC_CONFIG: file })
      expect(err.message).toContain('IOC_CONFIG')
      expect(err.message).toContain(file)
      expect(err.message).toContain('not a valid JSON object')
    })
  })
})
