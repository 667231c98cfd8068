import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { PolicySettings } from '@retract/contracts';
import { en } from '../../../i18n/en';
import {
  addOverrideField,
  bestUnit,
  convertDraft,
  diffPathLabel,
  diffValue,
  draftOf,
  draftSeconds,
  humanDuration,
  overrideFields,
  setField,
  setReasonRule,
  shownDraft,
  validatePolicy,
  type DurationDraft,
} from './policy-model';

const t = en.policy;
const defaults: PolicySettings = {
  windowSeconds: 120,
  graceSeconds: 5,
  editAfterRecall: true,
  reEditWindowSeconds: 300,
  recallableTypes: ['TEXT', 'IMAGE', 'VIDEO', 'FILE', 'VOICE', 'LOCATION'],
  batchRecall: { enabled: true, maxBatch: 20 },
  requireReason: 'NEVER',
  maxRecallsPerHour: 0,
  auditRetentionDays: 2555,
};

describe('validatePolicy', () => {
  it('accepts the defaults and the 24-hour edge', () => {
    expect(validatePolicy(defaults, [], t)).toEqual({});
    expect(validatePolicy({ ...defaults, windowSeconds: 86_400 }, [], t)).toEqual({});
  });

  it('names the field and the range like the API does', () => {
    const errors = validatePolicy({ ...defaults, windowSeconds: 86_401, graceSeconds: 31 }, [], t);
    expect(errors['settings.windowSeconds']).toBe('Must be between 0 and 86400 seconds.');
    expect(errors['settings.graceSeconds']).toBe('Must be between 0 and 30 seconds.');
  });

  it('says a duration error in the unit the field shows', () => {
    const inHours = validatePolicy({ ...defaults, windowSeconds: 25 * 3600 }, [], t, () => 'hours');
    expect(inHours['settings.windowSeconds']).toBe('Must be between 0 and 24 hours.');
    const inMinutes = validatePolicy({ ...defaults, reEditWindowSeconds: 2000 * 60 }, [], t, () => 'minutes');
    expect(inMinutes['settings.reEditWindowSeconds']).toBe('Must be between 0 and 1440 minutes.');
    const fraction = validatePolicy({ ...defaults, windowSeconds: 0.6 }, [], t, () => 'minutes');
    expect(fraction['settings.windowSeconds']).toBe('Must come to whole seconds: 0.01 minutes is 0.6 seconds.');
    expect(validatePolicy({ ...defaults, windowSeconds: Number.NaN }, [], t)['settings.windowSeconds']).toBe('Enter a number.');
  });

  it('checks overrides, empty overrides and duplicate targets', () => {
    const group = { target: { kind: 'CONVERSATION_KIND' as const, conversationKind: 'GROUP' as const }, settings: { windowSeconds: 90_000 } };
    const errors = validatePolicy(defaults, [group, { ...group, settings: {} }], t);
    expect(errors['overrides.0.settings.windowSeconds']).toBeDefined();
    expect(errors['overrides.1.settings']).toBe(t.noFields);
    expect(errors['overrides.1.target']).toBe(t.duplicateTarget);
  });

  it('requires reasonAfterSeconds with AFTER_SECONDS', () => {
    expect(validatePolicy({ ...defaults, requireReason: 'AFTER_SECONDS' }, [], t)['settings.reasonAfterSeconds']).toBeDefined();
    expect(validatePolicy({ ...defaults, requireReason: 'AFTER_SECONDS', reasonAfterSeconds: 60 }, [], t)).toEqual({});
  });
});

describe('durations', () => {
  it('picks the largest exact unit', () => {
    expect(bestUnit(120)).toBe('minutes');
    expect(bestUnit(86_400)).toBe('hours');
    expect(bestUnit(90)).toBe('seconds');
    expect(bestUnit(0)).toBe('seconds');
  });
  it('says durations in words', () => {
    expect(humanDuration('en', 120)).toBe('2 minutes');
    expect(humanDuration('en', 5400)).toBe('1 hour 30 minutes');
    expect(humanDuration('en', 0)).toBe('0 seconds');
  });
});

describe('duration drafts', () => {
  const units = fc.constantFrom<DurationDraft['unit']>('seconds', 'minutes', 'hours');
  const draft = fc.record({ text: fc.oneof(fc.integer({ min: 0, max: 100_000 }).map(String), fc.string({ maxLength: 6 })), unit: units });

  it('shows a saved duration as the number and unit that stand for it exactly', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 86_400 }), (seconds) => expect(draftSeconds(draftOf(seconds))).toBe(seconds)));
    expect(draftOf(14_400)).toEqual({ text: '4', unit: 'hours' });
  });

  it('never shows one duration while the form holds another', () => {
    const value = fc.oneof(fc.integer({ min: 0, max: 86_400 }), fc.constant(Number.NaN));
    fc.assert(fc.property(fc.option(draft, { nil: undefined }), value, (typed, seconds) => expect(draftSeconds(shownDraft(typed, seconds))).toBe(seconds)));
  });

  it('keeps the duration when the unit changes: 2 minutes become 120 seconds or 1/30 hour, never 2 hours', () => {
    expect(convertDraft({ text: '2', unit: 'minutes' }, 'seconds')).toEqual({ text: '120', unit: 'seconds' });
    expect(convertDraft({ text: '2', unit: 'hours' }, 'minutes')).toEqual({ text: '120', unit: 'minutes' });
    expect(convertDraft({ text: 'abc', unit: 'hours' }, 'minutes')).toEqual({ text: 'abc', unit: 'minutes' });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_400 }), units, units, (seconds, from, to) => {
        const converted = convertDraft(convertDraft(draftOf(seconds), from), to);
        expect(converted.unit).toBe(to);
        expect(draftSeconds(converted)).toBe(seconds);
      }),
    );
  });

  it('keeps what is typed while it stands for the value (a unit change, a trailing dot)', () => {
    const typed = { text: '4', unit: 'hours' as const };
    expect(shownDraft(typed, 14_400)).toBe(typed);
    // Discard: the value went back to the saved 2 minutes; "4 hours" is no longer shown.
    expect(shownDraft(typed, 120)).toEqual({ text: '2', unit: 'minutes' });
  });
});

describe('override editing', () => {
  it('adds a field from the defaults and removes it again', () => {
    const withWindow = addOverrideField({}, 'windowSeconds', defaults);
    expect(withWindow).toEqual({ windowSeconds: 120 });
    const withBatch = addOverrideField(withWindow, 'batchRecall.maxBatch', defaults);
    expect(withBatch).toEqual({ windowSeconds: 120, batchRecall: { maxBatch: 20 } });
    expect(overrideFields(withBatch)).toEqual(['windowSeconds', 'batchRecall.maxBatch']);
    expect(setField(withBatch, 'batchRecall.maxBatch', undefined)).toEqual({ windowSeconds: 120 });
  });
  it('drops reasonAfterSeconds when the reason rule changes', () => {
    expect(setField({ requireReason: 'AFTER_SECONDS', reasonAfterSeconds: 60 }, 'requireReason', 'ALWAYS')).toEqual({ requireReason: 'ALWAYS' });
  });
  it('sets a reason rule with its delay only when the rule waits', () => {
    expect(setReasonRule({ windowSeconds: 120 }, 'AFTER_SECONDS', 90)).toEqual({ windowSeconds: 120, requireReason: 'AFTER_SECONDS', reasonAfterSeconds: 90 });
    expect(setReasonRule({ requireReason: 'AFTER_SECONDS', reasonAfterSeconds: 60 }, 'NEVER', 90)).toEqual({ requireReason: 'NEVER' });
  });
});

describe('diffs in words', () => {
  it('labels paths and values', () => {
    expect(diffPathLabel('windowSeconds', t)).toBe('Recall window');
    expect(diffPathLabel('overrides[CONVERSATION_KIND:GROUP].windowSeconds', t)).toBe('Override for Group conversations · Recall window');
    expect(diffValue('windowSeconds', 600, 'en', t)).toBe('10 minutes');
    expect(diffValue('maxRecallsPerHour', 0, 'en', t)).toBe('unlimited');
    expect(diffValue('recallableTypes', ['TEXT', 'IMAGE'], 'en', t)).toBe('Text, Image');
    expect(diffValue('requireReason', 'ALWAYS', 'en', t)).toBe('Always required');
    expect(diffValue('windowSeconds', null, 'en', t)).toBe('not set');
  });
});
