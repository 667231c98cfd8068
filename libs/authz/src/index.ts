export * from './abilities';
export * from './navigation';
