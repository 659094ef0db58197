import { EventEmitter } from 'node:events'
import type { AirEventData, AlertsEventData, FeedHealthEventData, HallsEventData, IncidentsEventData, KpisEventData, TrafficEventData } from '@shared/realtime/streams'

/** Where a change came from: the server time (epoch ms) its oldest input arrived. */
export interface IngestStamp {
  arrivedAt: number
}

/**
 * In-process domain events. Capabilities publish facts here and never talk to
 * socket.io; the realtime gateway turns them into client events. Changes that
 * come from a feed carry their ingest stamp.
 */
export interface DomainEvents {
  'air.updated': [AirEventData, IngestStamp?]
  'traffic.updated': [TrafficEventData, IngestStamp?]
  'halls.updated': [HallsEventData, IngestStamp?]
  'incidents.updated': [IncidentsEventData, IngestStamp?]
  'alerts.updated': [AlertsEventData]
  'feeds.health': [FeedHealthEventData]
  'kpis.updated': [KpisEventData]
}

export class DomainBus {
  private readonly emitter = new EventEmitter()

  emit<E extends keyof DomainEvents>(event: E, ...args: DomainEvents[E]): void {
    this.emitter.emit(event, ...args)
  }

  on<E extends keyof DomainEvents>(event: E, listener: (...args: DomainEvents[E]) => void): () => void {
    this.emitter.on(event, listener as (...a: unknown[]) => void)
    return () => this.emitter.off(event, listener as (...a: unknown[]) => void)
  }
}
