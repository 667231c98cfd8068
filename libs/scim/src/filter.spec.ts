import fc from 'fast-check';
import { GROUP_FILTER_ATTRIBUTES, USER_FILTER_ATTRIBUTES, formatEqualityFilter, parseEqualityFilter } from './filter';
import { ScimError } from './scim-error';

const attributeSpelling = (attribute: string) =>
  fc
    .array(fc.boolean(), { minLength: attribute.length, maxLength: attribute.length })
    .map((upper) => [...attribute].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

describe('SCIM filters (RFC 7644 §3.4.2.2)', () => {
  it('reads back any value it formats, whatever the value holds (quotes, backslashes, "and", unicode)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...USER_FILTER_ATTRIBUTES), fc.string({ maxLength: 200, unit: 'grapheme' }), (attribute, value) => {
        expect(parseEqualityFilter(formatEqualityFilter({ attribute, value }), USER_FILTER_ATTRIBUTES)).toEqual({ attribute, value });
      }),
    );
  });

  it('matches attribute names and the operator without case, as the RFC says', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...GROUP_FILTER_ATTRIBUTES).chain((a) => fc.tuple(fc.constant(a), attributeSpelling(a))),
        attributeSpelling('eq'),
        ([attribute, spelled], eq) => {
          expect(parseEqualityFilter(`${spelled} ${eq} "Sales"`, GROUP_FILTER_ATTRIBUTES)).toEqual({ attribute, value: 'Sales' });
        },
      ),
    );
  });

  it('refuses anything else with invalidFilter, never another error', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        try {
          const parsed = parseEqualityFilter(text, USER_FILTER_ATTRIBUTES);
          expect(USER_FILTER_ATTRIBUTES).toContain(parsed.attribute);
        } catch (error) {
          expect(error).toBeInstanceOf(ScimError);
          expect((error as ScimError).scimType).toBe('invalidFilter');
          expect((error as ScimError).status).toBe(400);
        }
      }),
    );
  });

  it.each([
    ['userName eq "bjensen@example.com"', { attribute: 'userName', value: 'bjensen@example.com' }],
    ['externalId eq "00ujl29u0le5T6Aj10h7"', { attribute: 'externalId', value: '00ujl29u0le5T6Aj10h7' }],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a"', { attribute: 'userName', value: 'a' }],
    ['userName eq "say \\"hi\\""', { attribute: 'userName', value: 'say "hi"' }],
  ])('reads %s', (filter, expected) => {
    expect(parseEqualityFilter(filter, USER_FILTER_ATTRIBUTES)).toEqual(expected);
  });

  it.each([
    'userName sw "a"',
    'userName eq "a" and active eq true',
    'active eq true',
    'displayName eq "a"',
    'userName eq a',
    'userName eq 5',
    'userName eq "unterminated',
    '(userName eq "a")',
    'emails[type eq "work"].value eq "a@b.c"',
    '',
  ])('refuses %j with invalidFilter', (filter) => {
    expect(() => parseEqualityFilter(filter, USER_FILTER_ATTRIBUTES)).toThrow(expect.objectContaining({ scimType: 'invalidFilter', status: 400 }));
  });
});
