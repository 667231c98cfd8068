export * from './roles';
export * from './problem';
export * from './auth';
export * from './users';
export * from './audit';
export * from './policy';
export * from './tenants';
