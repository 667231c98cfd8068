export * from './attributes';
export * from './discovery';
export * from './filter';
export * from './pagination';
export * from './patch';
export * from './resources';
export * from './scim-error';
export * from './scim-schemas';
