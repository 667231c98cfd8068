export * from './abilities';
export * from './navigation';
export * from './group-roles';
