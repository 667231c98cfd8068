import { Global, Module } from '@nestjs/common';
import { CONFIG, masterKeks, type Config } from '../../config/config';
import { CaseBundle } from '../cases/case-bundle';
import { CaseTimeline } from '../cases/case-timeline';
import { CasesController } from '../cases/cases.controller';
import { ErasureController } from '../erasure/erasure.controller';
import { Erasure } from '../erasure/erasure.service';
import { LegalHoldsController } from '../legal-holds/legal-holds.controller';
import { PeopleController } from '../people/people.controller';
import { PeopleDirectory } from '../people/people-directory';
import { LegalHolds } from '../legal-holds/legal-holds.service';
import { AuditController } from './audit.controller';
import { AuditEntries } from './audit-entries.service';
import { AuditExport } from './audit-export';
import { AuditJobs } from './audit-jobs';
import { AuditLog } from './audit-log';
import { AuditSequencer } from './audit-sequencer';
import { CheckpointSigner } from './checkpoint-signer';
import { AuditProofs } from './audit-proofs';
import { AuditVerification } from './audit-verification';
import { Checkpoints } from './checkpoints';
import { ContentVault } from './content-vault';
import { KEK, LocalKeyring } from './key-encryption';
import { SigningKeys } from './signing-keys';

/**
 * The audit log: its write path (available to every module that records what it did), the
 * compliance read side (cases, and the people directory they start from), legal holds and erasure, and the checkpoint and retention jobs.
 */
@Global()
@Module({
  controllers: [AuditController, CasesController, PeopleController, LegalHoldsController, ErasureController],
  providers: [
    { provide: KEK, inject: [CONFIG], useFactory: (config: Config) => new LocalKeyring(config.AUDIT_KEK_ID, masterKeks(config)) },
    ContentVault,
    AuditSequencer,
    AuditLog,
    SigningKeys,
    Checkpoints,
    CheckpointSigner,
    AuditEntries,
    AuditExport,
    AuditProofs,
    AuditVerification,
    AuditJobs,
    LegalHolds,
    Erasure,
    CaseTimeline,
    CaseBundle,
    PeopleDirectory,
  ],
  exports: [KEK, ContentVault, AuditSequencer, AuditLog, SigningKeys, Checkpoints, CheckpointSigner, AuditJobs],
})
export class AuditModule {}
