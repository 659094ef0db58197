import type { FeedConfig } from './config'
import type { FeedAdapter } from './types'
import { HttpPullFeed } from './http-pull.feed'
import { MqttFeed } from './mqtt.feed'
import { NgsiFeed } from './ngsi.feed'
import { Open311Feed } from './open311.feed'
import { WebhookFeed } from './webhook.feed'

/**
 * The connector for a configured feed (the built-in simulator is made
 * elsewhere). Secrets are read from `env` now, so a missing variable fails
 * at start with its name rather than at the first request.
 */
export function createConnector(config: FeedConfig, env: NodeJS.ProcessEnv = process.env): FeedAdapter {
  switch (config.adapter) {
    case 'http-pull': return new HttpPullFeed(config)
    case 'webhook': return new WebhookFeed(config, env)
    case 'mqtt': return new MqttFeed(config, env)
    case 'ngsi': return new NgsiFeed(config, env)
    case 'open311': return new Open311Feed(config, env)
  }
}

export { HttpPullFeed, MqttFeed, NgsiFeed, Open311Feed, WebhookFeed }
export { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook.feed'
