/** Injection tokens of the two pools (apart from the module, so the module's providers can use them without an import cycle). */
export const DB = Symbol('DB');
export const SQL_POOL = Symbol('SQL_POOL');
