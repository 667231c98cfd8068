export type { Instant } from './instant';
export { resolveEffectivePolicy, mostSpecificSource, ruleSpecificity, type ConversationRef, type EffectivePolicy } from './resolve-effective-policy';
export {
  decideRecall,
  isBlankReason,
  type RecallActor,
  type RecallAllowed,
  type RecallDecision,
  type RecallDecisionInput,
  type RecallDenied,
  type RecallMessage,
  type RecentRecalls,
} from './decide-recall';
export {
  decideBatch,
  checkBatchGate,
  type BatchAccepted,
  type BatchDecision,
  type BatchGateCode,
  type BatchInvalid,
  type BatchRecallInput,
  type BatchRefused,
} from './decide-batch';
export { decideReEdit, type ReEditDecision, type ReEditDenialReason, type ReEditInput } from './decide-re-edit';
export { simulatePolicy, replayAttempt, type RecordedAttempt } from './simulate-policy';
export { diffPolicies } from './diff-policies';
export { mergePolicySettings } from './merge-settings';
export { planRetentionChange, effectiveRetentionDays, type RetentionChangePlan, type RetentionChangeInput } from './retention-change';
export { externalSentAt, type ExternalSentAt, type ExternalSentAtInput } from './external-sent-at';
