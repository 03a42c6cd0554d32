/**
 * Durations in milliseconds, the unit of every instant in Nextup (epoch ms). `DAY` is 24 hours of
 * elapsed time, not a calendar day: a local date can be 23 or 25 hours long where the zone has DST.
 */
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
