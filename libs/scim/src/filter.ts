import { isStorableText } from '@retract/contracts';
import { ScimError } from './scim-error';

/**
 * The filters this service answers (RFC 7644 §3.4.2.2): one equality on one attribute, which is
 * all Okta and Entra ID send to find a resource before creating it. Attribute names and the
 * operator are case-insensitive (RFC 7643 §2.1, RFC 7644 §3.4.2.2); the value is a JSON string.
 * Anything else is refused 400 invalidFilter rather than answered with a wrong list.
 */
export interface EqualityFilter<A extends string = string> {
  attribute: A;
  value: string;
}

export const USER_FILTER_ATTRIBUTES = ['userName', 'externalId'] as const;
export const GROUP_FILTER_ATTRIBUTES = ['displayName', 'externalId'] as const;

export const MAX_FILTER_LENGTH = 1000;

const FILTER = /^\s*([A-Za-z][A-Za-z0-9_.:$-]*)\s+([A-Za-z]+)\s+("(?:[^"\\]|\\.)*")\s*$/s;

/** A JSON string literal, or null when it is not one (a number, true, an unterminated string). */
function jsonString(literal: string): string | null {
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

export function parseEqualityFilter<A extends string>(filter: string, attributes: readonly A[]): EqualityFilter<A> {
  const allowed = attributes.map((a) => `${a} eq "…"`).join(' or ');
  const refuse = (why: string) => new ScimError(400, 'invalidFilter', `${why} This service answers only ${allowed}.`);
  if (filter.length > MAX_FILTER_LENGTH) throw refuse('The filter is too long.');
  const match = FILTER.exec(filter);
  if (!match) throw refuse('The filter is not a single equality on a quoted value.');
  const [, name, operator, literal] = match;
  if (operator.toLowerCase() !== 'eq') throw refuse(`The operator ${operator} is not supported.`);
  // A core schema URN prefix names the same attribute (RFC 7644 §3.10).
  const bare = name.replace(/^urn:ietf:params:scim:schemas:core:2\.0:(User|Group):/i, '');
  const attribute = attributes.find((a) => a.toLowerCase() === bare.toLowerCase());
  if (!attribute) throw refuse(`Filtering on ${name} is not supported.`);
  const value = jsonString(literal);
  if (value === null || !isStorableText(value)) throw refuse('The value is not a valid JSON string of storable text.');
  return { attribute, value };
}

/** The filter text that `parseEqualityFilter` reads back as the same attribute and value. */
export const formatEqualityFilter = (filter: EqualityFilter): string => `${filter.attribute} eq ${JSON.stringify(filter.value)}`;
