import { z, type ZodType } from 'zod';

/*
 * Bounds of what the API answers (docs/architecture.md, "API bounds"). Every string and every list
 * in the OpenAPI document has a largest size; requests get theirs from their own schemas, answers
 * from these. An answer is parsed by its schema before it leaves (the endpoint interceptor), so a
 * bound here must hold by construction: it is what the requests, the database's checks or the
 * server's own formats already allow, never a guess that a large value could exceed.
 */

/** Every list endpoint takes `limit` of at most 200. */
export const MAX_PAGE_SIZE = 200;
/** Opaque page cursors, as the list queries accept them. */
export const MAX_CURSOR_LENGTH = 200;
/** RFC 5321's longest address path; the request schemas and the database check it. */
export const MAX_EMAIL_LENGTH = 254;
/** Display names as requests give them (freeText(120)); the database checks it too. */
export const MAX_DISPLAY_NAME_LENGTH = 120;
/** ISO 8601 date-times: `toISOString()` writes 24 characters; nanoseconds and an offset make 35. */
export const MAX_DATE_TIME_LENGTH = 35;
/** SHA-256 digests as the API writes them (base64 44 characters, hex 64). */
export const MAX_HASH_LENGTH = 64;
/** Identifiers the server composes: rule names, codes, key names, log origins. */
export const MAX_IDENTIFIER_LENGTH = 255;
/** Texts the server writes itself (problem details, localized notices, verification messages). */
export const MAX_SERVER_TEXT_LENGTH = 2000;
/** A Merkle proof has a hash per level of the tree: 64 levels cover any log. */
export const MAX_PROOF_HASHES = 64;
/** Stored documents the server built from bounded parts: an audit entry's leaf, a checkpoint's signed note. */
export const MAX_DOCUMENT_LENGTH = 1024 * 1024;

export const dateTimeText = () => z.string().max(MAX_DATE_TIME_LENGTH);
export const emailText = () => z.string().max(MAX_EMAIL_LENGTH);
/**
 * The address of someone Retract knows no email for: a chat system's person the directory has not
 * given one (`<id>@external.invalid`), an erased person (`erased-<id>@erased.invalid`). `.invalid`
 * never resolves (RFC 2606), so no real address ends with it; clients show "no email" instead.
 */
export const isPlaceholderEmail = (email: string): boolean => email.toLowerCase().endsWith('.invalid');
export const displayNameText = () => z.string().max(MAX_DISPLAY_NAME_LENGTH);
export const identifierText = () => z.string().max(MAX_IDENTIFIER_LENGTH);
export const serverText = () => z.string().max(MAX_SERVER_TEXT_LENGTH);
export const hashText = () => z.string().max(MAX_HASH_LENGTH);
export const cursorText = () => z.string().max(MAX_CURSOR_LENGTH);

/** One page of a list endpoint. */
export const pageOf = <T extends ZodType>(item: T) => z.array(item).max(MAX_PAGE_SIZE);
