import { z } from 'zod';

/*
 * Free text in requests (docs/architecture.md, "Free text"): what is accepted is stored and
 * answered exactly as sent — no trimming, no Unicode normalization — and what cannot be stored
 * exactly is refused with a 400 problem naming the field. Two things cannot: NUL (PostgreSQL
 * text and jsonb cannot hold it) and a UTF-16 surrogate without its partner (UTF-8, and so the
 * database and the audit log's RFC 8785 leaves, cannot hold it). Everything else is kept,
 * including bidi controls, a byte-order mark and other control characters.
 */

/** Strings without NUL and without unpaired surrogates (same result with or without the `u` flag). */
export const STORABLE_TEXT = /^(?:[^\u0000\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;
export const STORABLE_TEXT_ERROR = 'must not contain NUL characters or unpaired surrogates';

export const isStorableText = (text: string): boolean => STORABLE_TEXT.test(text);
export const isBlank = (text: string): boolean => text.trim() === '';

/** A string that can be stored exactly: every free-text field of a request starts from this. */
export const storableString = () => z.string({ error: 'must be a string' }).regex(STORABLE_TEXT, { error: STORABLE_TEXT_ERROR });

/** Free text kept exactly as sent: storable, not blank, at most `max` UTF-16 code units. */
export const freeText = (max: number) =>
  storableString()
    .max(max, { error: `must be at most ${max} characters` })
    .refine((text) => !isBlank(text), { error: 'must not be blank' });

/** A search term: storable, trimmed (it is matched, never stored), 1..`max` characters. */
export const searchTerm = (max: number) =>
  storableString()
    .trim()
    .min(1, { error: 'must not be blank' })
    .max(max, { error: `must be at most ${max} characters` });

export const URL_WHITESPACE_ERROR = 'must not contain tabs or line breaks, nor begin or end with whitespace';

/**
 * An http(s) URL kept exactly as sent. The URL parser alone lets NUL and unpaired surrogates
 * through, and zod's URL check returns the URL trimmed and without tabs and line breaks (as the
 * WHATWG parser reads it): such URLs are refused rather than stored changed.
 */
export const MAX_URL_LENGTH = 2048;

export const httpUrl = storableString()
  .max(MAX_URL_LENGTH, { error: `must be at most ${MAX_URL_LENGTH} characters` })
  .refine((url) => url === url.trim() && !/[\t\n\r]/.test(url), { error: URL_WHITESPACE_ERROR })
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(MAX_URL_LENGTH));
