import { Global, Module } from '@nestjs/common';
import { CONFIG, type Config } from '../../config/config';
import { AuditLog } from './audit-log';
import { Checkpoints } from './checkpoints';
import { ContentVault } from './content-vault';
import { KEK, LocalKeyEncryptionKey } from './key-encryption';
import { SigningKeys } from './signing-keys';

/** The audit log's write side, available to every module that records what it did. */
@Global()
@Module({
  providers: [
    { provide: KEK, inject: [CONFIG], useFactory: (config: Config) => new LocalKeyEncryptionKey(config.AUDIT_KEK_ID, config.AUDIT_KEK) },
    ContentVault,
    AuditLog,
    SigningKeys,
    Checkpoints,
  ],
  exports: [KEK, ContentVault, AuditLog, SigningKeys, Checkpoints],
})
export class AuditModule {}
