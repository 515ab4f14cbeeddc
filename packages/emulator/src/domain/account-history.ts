import type { AccountHistoryCreate, AccountHistoryPatch, HistoryEntityType } from '@ocsai/contract';
import { formatVienna, parseDateTime } from './vienna-time.js';

export interface HistoryRecord {
  interactionId: string;
  entityId: string;
  entityType: HistoryEntityType;
  creationMs: number;
  description: string | null;
  direction: string | null;
  reason: string | null;
  status: string | null;
  statusChangeMs: number | null;
  attachment: { id: string | null; url: string | null; type: string | null } | null;
  channel: string | null;
  startMs: number | null;
  endMs: number | null;
}

const instant = (text: string | null | undefined) => (text ? parseDateTime(text) : null);

function attachmentOf(a: AccountHistoryCreate['attachment']): HistoryRecord['attachment'] {
  if (!a || (a.id == null && a.url == null && a.type == null)) return null;
  return { id: a.id ?? null, url: a.url ?? null, type: a.type ?? null };
}

export function newHistoryEntry(input: AccountHistoryCreate, id: string, nowMs: number): HistoryRecord {
  return {
    interactionId: id,
    entityId: input.entityId,
    entityType: input.entityType,
    // Always server-set; a client value is ignored.
    creationMs: nowMs,
    description: input.description ?? null,
    direction: input.direction ?? null,
    reason: input.reason ?? null,
    status: input.status ?? null,
    statusChangeMs: instant(input.statusChangeDate),
    attachment: attachmentOf(input.attachment),
    channel: input.channel ?? null,
    startMs: instant(input.interactionDate?.startDateTime),
    endMs: instant(input.interactionDate?.endDateTime),
  };
}

/** Merge-style update: absent or null fields stay; identity fields are immutable. */
export function applyHistoryPatch(h: HistoryRecord, patch: AccountHistoryPatch): HistoryRecord {
  const next = { ...h };
  if (patch.description != null) next.description = patch.description;
  if (patch.direction != null) next.direction = patch.direction;
  if (patch.reason != null) next.reason = patch.reason;
  if (patch.status != null) next.status = patch.status;
  if (patch.channel != null) next.channel = patch.channel;
  if (patch.statusChangeDate != null) next.statusChangeMs = parseDateTime(patch.statusChangeDate);
  if (patch.interactionDate?.startDateTime != null)
    next.startMs = parseDateTime(patch.interactionDate.startDateTime);
  if (patch.interactionDate?.endDateTime != null)
    next.endMs = parseDateTime(patch.interactionDate.endDateTime);
  if (patch.attachment != null) {
    const a = patch.attachment;
    const current = next.attachment ?? { id: null, url: null, type: null };
    next.attachment = attachmentOf({
      id: a.id ?? current.id,
      url: a.url ?? current.url,
      type: a.type ?? current.type,
    });
  }
  return next;
}

export function historyToWire(h: HistoryRecord) {
  return {
    interactionId: h.interactionId,
    entityId: h.entityId,
    entityType: h.entityType,
    creationDate: formatVienna(h.creationMs),
    description: h.description,
    direction: h.direction,
    reason: h.reason,
    status: h.status,
    statusChangeDate: formatVienna(h.statusChangeMs),
    attachment: h.attachment,
    channel: h.channel,
    interactionDate:
      h.startMs === null && h.endMs === null
        ? null
        : { startDateTime: formatVienna(h.startMs), endDateTime: formatVienna(h.endMs) },
  };
}

/**
 * Entries the backend writes by itself (subscriber creation, subscriber state/field changes,
 * subscription transitions). Start and end are "now" so they sort among manual entries.
 */
export function automaticEntry(
  id: string,
  entityId: string,
  entityType: HistoryEntityType,
  reason: string,
  description: string,
  nowMs: number,
): HistoryRecord {
  return {
    interactionId: id,
    entityId,
    entityType,
    creationMs: nowMs,
    description,
    direction: 'INBOUND',
    reason,
    status: 'SUCCESS',
    statusChangeMs: null,
    attachment: null,
    channel: 'API',
    startMs: nowMs,
    endMs: nowMs,
  };
}
