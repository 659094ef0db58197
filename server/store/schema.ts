import type { AuditRow } from '@server/auth/audit-chain'
import type { Generated } from 'kysely'

/** The tables as the query layer sees them. JSON columns hold text. */
export interface Database {
  air_stations: {
    id: string
    name: string
    town_code: string
    kind: string
    lng: number
    lat: number
  }
  air_latest: {
    station_id: string
    observed_at: string
    aqi: number | null
    /** StationReading as JSON. */
    reading: string
  }
  city_aqi_points: {
    /** Observation time, ISO 8601. */
    t: string
    aqi: number
  }
  rejected_records: {
    id: Generated<number>
    source: string
    received_at: string
    /** [{ path, code, message }] as JSON. */
    reasons: string
    /** The record as received, cut to REJECT_RAW_MAX_CHARS. */
    raw: string
    /** RecordKind, null when the payload's kind could not be told. */
    kind: string | null
    /** RejectCode. */
    code: string
    /** SHA-256 of the whole raw copy, before it was cut. */
    raw_sha256: string
  }
  /** The latest reading of each traffic segment and service hall. */
  telemetry_latest: {
    kind: string
    entity_id: string
    observed_at: string
    /** The reading as JSON. */
    reading: string
  }
  /** Each incident's current version. */
  incidents: {
    id: string
    source: string
    ticket_no: string
    version: string
    status: string
    reported_at: string
    due_at: string
    town_code: string | null
    department_id: string
    /** Incident as JSON. */
    incident: string
    /** The drill that caused it (migration 0010); null for a real one. */
    drill_id: string | null
  }
  /** Every version of every incident as received, late ones included. */
  incident_versions: {
    incident_id: string
    version: string
    received_at: string
    /** IncidentReport as JSON. */
    report: string
  }
  /** Telemetry and KPIs per hour; `hour` is the hour's start, ISO 8601 UTC. */
  rollup_hour: {
    kind: string
    entity_id: string
    metric: string
    hour: string
    n: number
    sum: number
    min: number
    max: number
  }
  /** The same per minute, kept for a shorter time. */
  rollup_minute: {
    kind: string
    entity_id: string
    metric: string
    minute: string
    n: number
    sum: number
    min: number
    max: number
  }
  departments: {
    id: string
    name: string
    name_en: string
    town_code: string | null
    /** 0 or 1. */
    active: number
  }
  users: {
    id: string
    username: string
    display_name: string
    /** argon2id, PHC string. */
    password_hash: string
    /** Role[] as JSON. */
    roles: string
    /** null: the operations center. */
    department_id: string | null
    disabled: number
    must_change_password: number
    failed_logins: number
    locked_until: string | null
    created_at: string
    last_login_at: string | null
  }
  display_tokens: {
    id: string
    name: string
    scene: string | null
    secret_hash: string
    created_at: string
    created_by: string
    last_used_at: string | null
    revoked_at: string | null
  }
  sessions: {
    /** SHA-256 of the cookie's value. */
    id: string
    user_id: string | null
    display_token_id: string | null
    csrf_token: string
    created_at: string
    last_seen_at: string
    expires_at: string
    client_ip: string | null
  }
  audit_log: AuditRow
  /** Every saved version of every wall layout preset; the newest row of an id is its current one. */
  wall_layouts: {
    id: string
    version: number
    name: string
    /** The settings as JSON, with their format `v` (shared/schemas/wall.ts). */
    doc: string
    /** 1: this version deleted the preset (it keeps the last settings). */
    deleted: number
    updated_at: string
    updated_by: string
  }
  /** Every revision of the alert rule set; the highest is the one in force. */
  alert_rule_sets: {
    revision: number
    /** AlertRuleSet as JSON. */
    doc: string
    updated_at: string
    updated_by: string
  }
  alerts: {
    id: string
    rule_id: string
    entity_id: string
    domain: string
    severity: string
    status: string
    title: string
    town_code: string | null
    group_key: string
    value: number | null
    raised_at: string
    updated_at: string
    acknowledged_by: string | null
    acknowledged_at: string | null
    resolved_at: string | null
    escalation_level: number
    /** 0 or 1. */
    muted: number
    work_order_id: string | null
    /** The drill whose data raised it (migration 0010); null for a real one. */
    drill_id: string | null
  }
  alert_events: {
    alert_id: string
    type: string
    at: string
    by: string | null
    detail: string | null
  }
  alert_silences: {
    id: string
    /** AlertSilence as JSON. */
    doc: string
    ends_at: string
  }
  /** The engine's memory (server/alerts/engine.ts EngineState as JSON), saved with each step's transitions. */
  alert_engine_state: {
    id: string
    state: string
    saved_at: string
  }
  alert_notifications: {
    alert_id: string
    type: string
    group_key: string
    created_at: string
    batch: string | null
    sent_at: string | null
    outcome: string | null
  }
  /** One per incident (issue 8); the columns mirror the WorkOrder document for filtering and counting. */
  work_orders: {
    id: string
    state: string
    version: number
    department_id: string
    assisting: string
    town_code: string | null
    topic: string
    nature: string
    priority: string
    supervision: number
    accepted_at: string
    dispatched_at: string | null
    signed_at: string | null
    replied_at: string | null
    closed_at: string | null
    sign_due_at: string | null
    handle_due_at: string
    updated_at: string
    event_count: number
    /** WorkOrder as JSON. */
    doc: string
    /** The drill whose call it is (migration 0010); null for a real one. */
    drill_id: string | null
  }
  /** Named drills (migration 0010). */
  drills: {
    id: string
    status: string
    started_at: string
    ends_at: string
    ended_at: string | null
    /** Drill as JSON. */
    doc: string
    /** DrillSummary as JSON, made when it ended. */
    summary: string | null
  }
  work_order_events: {
    order_id: string
    seq: number
    at: string
    action: string
    /** WorkOrderEvent as JSON. */
    event: string
  }
  work_order_commands: {
    command_id: string
    order_id: string
    actor_id: string
    action: string
    at: string
    answer: string
  }
  work_order_deadlines: {
    order_id: string
    mark: string
    due_at: string
    fired_at: string
  }
  /** One local day of a series (migration 0009): the day's hours folded, or a fact derived from them. */
  rollup_day: {
    kind: string
    entity_id: string
    metric: string
    day: string
    n: number
    sum: number
    min: number
    max: number
  }
  rollup_span: {
    kind: string
    entity_id: string
    metric: string
    span: string
    start: string
    n: number
    sum: number
    min: number
    max: number
  }
  review_spans: {
    span: string
    start: string
    built_at: string
  }
  review_folds: {
    day: string
    folded_at: string
    rows: number
  }
  review_reports: {
    id: string
    kind: string
    period_start: string
    generated_at: string
    generated_by: string
    doc: string
  }
  audit_head: {
    id: number
    seq: number
    hash: string
  }
}
