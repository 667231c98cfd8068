import {
  POLICY_FIELDS,
  policyRuleName,
  type ConversationKind,
  type PolicyDocument,
  type PolicyField,
  type PolicyRuleName,
  type PolicySettings,
  type PolicySettingsOverride,
} from '@retract/contracts';

export interface ConversationRef {
  id: string;
  kind: ConversationKind;
}

export interface EffectivePolicy {
  /** The merged settings for this conversation. */
  settings: PolicySettings;
  /** The most specific rule that applied at all: TENANT_DEFAULT when no override did. */
  rule: PolicyRuleName;
  /** The rule each field's value came from (`requireReason` covers `reasonAfterSeconds`). */
  sources: Record<PolicyField, PolicyRuleName>;
  /** Every rule that applied, least specific first (always starts with TENANT_DEFAULT). */
  layers: PolicyRuleName[];
}

/** How specific a rule is: conversation > conversation kind > tenant default. */
export const ruleSpecificity = (rule: PolicyRuleName): number => (rule === 'TENANT_DEFAULT' ? 0 : rule.startsWith('CONVERSATION_KIND:') ? 1 : 2);

/** The most specific of the rules that set the given fields. */
export const mostSpecificSource = (effective: EffectivePolicy, fields: readonly PolicyField[]): PolicyRuleName =>
  fields
    .map((field) => effective.sources[field])
    .reduce<PolicyRuleName>((best, rule) => (ruleSpecificity(rule) > ruleSpecificity(best) ? rule : best), 'TENANT_DEFAULT');

const cloneSettings = (settings: PolicySettings): PolicySettings => ({
  ...settings,
  recallableTypes: [...settings.recallableTypes],
  batchRecall: { ...settings.batchRecall },
});

/** Applies one override on top of `settings`, field by field; returns whether it set anything. */
const applyOverride = (
  settings: PolicySettings,
  sources: Record<PolicyField, PolicyRuleName>,
  override: PolicySettingsOverride,
  rule: PolicyRuleName,
): boolean => {
  let applied = false;
  const set = (field: PolicyField, write: () => void) => {
    write();
    sources[field] = rule;
    applied = true;
  };
  const o = override;
  if (o.windowSeconds !== undefined) set('windowSeconds', () => (settings.windowSeconds = o.windowSeconds!));
  if (o.graceSeconds !== undefined) set('graceSeconds', () => (settings.graceSeconds = o.graceSeconds!));
  if (o.editAfterRecall !== undefined) set('editAfterRecall', () => (settings.editAfterRecall = o.editAfterRecall!));
  if (o.reEditWindowSeconds !== undefined) set('reEditWindowSeconds', () => (settings.reEditWindowSeconds = o.reEditWindowSeconds!));
  if (o.recallableTypes !== undefined) set('recallableTypes', () => (settings.recallableTypes = [...o.recallableTypes!]));
  if (o.batchRecall?.enabled !== undefined) set('batchRecall.enabled', () => (settings.batchRecall.enabled = o.batchRecall!.enabled!));
  if (o.batchRecall?.maxBatch !== undefined) set('batchRecall.maxBatch', () => (settings.batchRecall.maxBatch = o.batchRecall!.maxBatch!));
  if (o.requireReason !== undefined) {
    // requireReason and reasonAfterSeconds are one setting: both come from the same rule.
    set('requireReason', () => {
      settings.requireReason = o.requireReason!;
      if (o.requireReason === 'AFTER_SECONDS') settings.reasonAfterSeconds = o.reasonAfterSeconds;
      else delete settings.reasonAfterSeconds;
    });
  }
  if (o.maxRecallsPerHour !== undefined) set('maxRecallsPerHour', () => (settings.maxRecallsPerHour = o.maxRecallsPerHour!));
  if (o.auditRetentionDays !== undefined) set('auditRetentionDays', () => (settings.auditRetentionDays = o.auditRetentionDays!));
  return applied;
};

/**
 * The policy in force for one conversation: the tenant default, then the override for
 * the conversation's kind, then the override for the conversation itself, merged field
 * by field (a more specific override replaces only the fields it sets).
 */
export function resolveEffectivePolicy(document: PolicyDocument, conversation: ConversationRef): EffectivePolicy {
  const settings = cloneSettings(document.settings);
  const sources = Object.fromEntries(POLICY_FIELDS.map((field) => [field, 'TENANT_DEFAULT'])) as Record<PolicyField, PolicyRuleName>;
  const layers: PolicyRuleName[] = ['TENANT_DEFAULT'];
  const wanted: PolicyRuleName[] = [`CONVERSATION_KIND:${conversation.kind}`, `CONVERSATION:${conversation.id.toLowerCase()}`];
  for (const rule of wanted) {
    const override = document.overrides.find((candidate) => policyRuleName(candidate.target) === rule);
    if (override && applyOverride(settings, sources, override.settings, rule)) layers.push(rule);
  }
  return { settings, rule: layers[layers.length - 1], sources, layers };
}
