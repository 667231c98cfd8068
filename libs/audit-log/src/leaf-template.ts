import { utf8Bytes } from './bytes';
import { canonicalJson } from './canonical-json';
import { encodeLeaf, LEAF_VERSION, type AuditEntry } from './leaf';

/** An entry before the log has placed it: everything but its position and time. */
export type UnplacedEntry = Omit<AuditEntry, 'seq' | 'occurredAt'>;

/**
 * The canonical leaf text of an entry (of the current version) with two holes, for `occurredAt` and `seq`. A writer
 * serialises the entry before it knows where the log will put it, so the sequencer only
 * concatenates, encodes and hashes. Filling the holes gives exactly `encodeLeaf`'s bytes.
 */
export type LeafTemplate = readonly [beforeOccurredAt: string, betweenOccurredAtAndSeq: string, afterSeq: string];

const PLACEHOLDER_TIME = '1970-01-01T00:00:00.000Z';

export function leafTemplate(entry: UnplacedEntry): LeafTemplate {
  // Validates the entry exactly as encodeLeaf does (and refuses "v", "seq" or "occurredAt" given twice).
  if ('seq' in entry || 'occurredAt' in entry) throw new Error('an unplaced entry has no seq or occurredAt');
  encodeLeaf({ ...entry, seq: 0, occurredAt: PLACEHOLDER_TIME } as AuditEntry);
  const leaf: Record<string, unknown> = { v: LEAF_VERSION, ...entry, occurredAt: null, seq: null };
  const parts: string[] = [];
  let current = '{';
  Object.keys(leaf)
    .sort()
    .forEach((key, i) => {
      if (i > 0) current += ',';
      current += `${canonicalJson(key)}:`;
      if (key === 'occurredAt' || key === 'seq') {
        parts.push(current);
        current = '';
      } else {
        current += canonicalJson(leaf[key]);
      }
    });
  parts.push(`${current}}`);
  return [parts[0], parts[1], parts[2]];
}

/** The leaf bytes of a templated entry placed at `seq` and `occurredAt` (UTC, millisecond ISO form). */
export function fillLeafTemplate(template: LeafTemplate, seq: number, occurredAt: string): Uint8Array {
  return utf8Bytes(`${template[0]}"${occurredAt}"${template[1]}${seq}${template[2]}`);
}
