/**
 * @nextup/protocol — every message that crosses a process boundary (device ↔ hub, console ↔ hub,
 * kiosk/display UI ↔ their agent) as a zod schema with its TypeScript type inferred from it, and the
 * `DeviceError` family the device drivers fail with.
 */
export * from './admin.ts';
export * from './booking.ts';
export * from './central.ts';
export * from './commands.ts';
export * from './common.ts';
export * from './desk.ts';
export * from './device-error.ts';
export * from './devices.ts';
export * from './display.ts';
export * from './domain.ts';
export * from './events.ts';
export * from './follow.ts';
export * from './kiosk.ts';
export * from './local.ts';
export * from './printer-url.ts';
export * from './report.ts';
export * from './schema-bounds.ts';
export * from './staff.ts';
export * from './ws.ts';
