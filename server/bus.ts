import { EventEmitter } from 'node:events'
import type { AirEventData, FeedHealthEventData, HallsEventData, IncidentsEventData, KpisEventData, TrafficEventData } from '@shared/realtime/streams'

/**
 * In-process domain events. Capabilities publish facts here and never talk to
 * socket.io; the realtime gateway turns them into client events.
 */
export interface DomainEvents {
  'air.updated': [AirEventData]
  'traffic.updated': [TrafficEventData]
  'halls.updated': [HallsEventData]
  'incidents.updated': [IncidentsEventData]
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
