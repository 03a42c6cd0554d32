import { z } from 'zod';
import { bilingualLabel, id, label, shortText } from './common.ts';

export const staffRole = z.enum(['teller', 'manager', 'admin']);
export type StaffRole = z.infer<typeof staffRole>;

const username = z
  .string()
  .min(2)
  .max(32)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits and . _ -');
const password = z.string().min(10, 'at least 10 characters').max(200);

/** First run: the one-time setup token from the hub's log creates the first admin. */
export const setupRequest = z.strictObject({
  token: z.string().min(16).max(128),
  username,
  displayName: label().min(1),
  password,
});

export const loginRequest = z.strictObject({
  username: z.string().min(1).max(32),
  password: z.string().min(1).max(200),
});

export const sessionInfo = z.object({
  staffId: id,
  username: shortText,
  displayName: shortText,
  role: staffRole,
  counterIds: z.array(id),
  /** Sent back in the `x-csrf-token` header on every state-changing request. */
  csrfToken: z.string(),
});
export type SessionInfo = z.infer<typeof sessionInfo>;

/** `PUT /api/v1/notice`: the line every screen shows under the numbers, or null to clear it. */
export const noticeRequest = z.strictObject({ notice: bilingualLabel.nullable() });

export const createStaffRequest = z.strictObject({
  username,
  displayName: label().min(1),
  role: staffRole,
  password,
  counterIds: z.array(id).max(32).default([]),
});

export const updateStaffRequest = z.strictObject({
  displayName: label().min(1).optional(),
  role: staffRole.optional(),
  counterIds: z.array(id).max(32).optional(),
  disabled: z.boolean().optional(),
  password: password.optional(),
});
