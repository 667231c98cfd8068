import type { ExportPublicKey } from './export-format';
import { parseVerifierKey, sameVerifierKey, type NoteVerifierKey } from './signed-note';

/** The keys an export's or a proof bundle's checkpoints are checked against, given the keys its header lists. */
export interface HeaderKeys {
  /** The keys the header lists. */
  readonly listed: readonly NoteVerifierKey[];
  /** The trusted keys when the caller gave some, else the listed ones. */
  readonly accepted: readonly NoteVerifierKey[];
  /** Listed keys that no trusted key matches (none when nothing is trusted). */
  readonly untrusted: readonly NoteVerifierKey[];
  /** False when no trusted key was given: the file vouches for its own keys (a warning, KEYS_NOT_PINNED). */
  readonly pinned: boolean;
}

export function headerKeys(publicKeys: readonly ExportPublicKey[], trusted: readonly NoteVerifierKey[] | undefined): HeaderKeys {
  const listed = publicKeys.map((key) => parseVerifierKey(key.vkey));
  if (!trusted) return { listed, accepted: listed, untrusted: [], pinned: false };
  const untrusted = listed.filter((key) => !trusted.some((candidate) => sameVerifierKey(candidate, key)));
  return { listed, accepted: trusted, untrusted, pinned: true };
}
