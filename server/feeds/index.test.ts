import { describe, expect, it } from 'vitest'
import { FeedConfig } from './config'
import type { FeedConfigInput } from './config'
import { createConnector, HttpPullFeed, MqttFeed, NgsiFeed, Open311Feed, WebhookFeed } from './index'

const CONFIGS: [FeedConfigInput, unknown][] = [
  [{ id: 'pull', adapter: 'http-pull', url: 'http://127.0.0.1:1/air', kind: 'air' }, HttpPullFeed],
  [{ id: 'hook', adapter: 'webhook', secret: { env: 'HOOK_SECRET' } }, WebhookFeed],
  [{ id: 'broker', adapter: 'mqtt', url: 'mqtt://127.0.0.1:1', topics: [{ filter: 'a/#', kind: 'air' }], password: { env: 'MQTT_PASSWORD' } }, MqttFeed],
  [{ id: 'orion', adapter: 'ngsi', token: { value: 't' } }, NgsiFeed],
  [{ id: 'dg-12345', adapter: 'open311', url: 'http://127.0.0.1:1/v2' }, Open311Feed],
]

describe(createConnector.name, () => {
  it('makes the adapter each config names, with its id and kind', () => {
    const env = { HOOK_SECRET: 's', MQTT_PASSWORD: 'p' }
    for (const [input, type] of CONFIGS) {
      const config = FeedConfig.parse(input)
      const adapter = createConnector(config, env)
      expect(adapter).toBeInstanceOf(type)
      expect(adapter.id).toBe(config.id)
      expect(adapter.adapter).toBe(config.adapter)
      expect(typeof adapter.receive === 'function').toBe(config.adapter === 'webhook' || config.adapter === 'ngsi')
    }
  })

  it('names a secret variable that is not set', () => {
    expect(() => createConnector(FeedConfig.parse(CONFIGS[1]?.[0]), {})).toThrow(/HOOK_SECRET/)
    expect(() => createConnector(FeedConfig.parse(CONFIGS[2]?.[0]), {})).toThrow(/MQTT_PASSWORD/)
  })
})
