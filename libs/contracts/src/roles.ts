import { z } from 'zod';

export const ROLES = ['ADMIN', 'COMPLIANCE', 'EMPLOYEE'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const LOCALES = ['en', 'zh-CN', 'ja'] as const;
export const LocaleSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof LocaleSchema>;
