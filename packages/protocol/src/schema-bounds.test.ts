import { describe, expect, it } from 'vitest';
import { clientCommand } from './commands.ts';
import { deviceSettingsRequest } from './devices.ts';
import { serviceConfig } from './domain.ts';
import { numberBoundsAt } from './schema-bounds.ts';

describe('numberBoundsAt', () => {
  it('reads a number’s bounds, whether it takes fractions, and an exclusive minimum', () => {
    expect(numberBoundsAt(serviceConfig, ['expectedMinutes'])).toEqual({
      min: 0,
      minExclusive: true,
      max: 240,
      maxExclusive: false,
      integer: false,
    });
    expect(numberBoundsAt(serviceConfig, ['dailyLimit'])).toMatchObject({
      min: 0,
      minExclusive: true,
      integer: true,
    });
  });

  it('follows a command’s path through the union, nullable objects and arrays', () => {
    expect(numberBoundsAt(clientCommand, ['data', 'service', 'appointments', 'slotMinutes'])).toMatchObject({
      min: 5,
      max: 240,
      integer: true,
    });
    expect(numberBoundsAt(clientCommand, ['data', 'counter', 'ledAddress'])).toMatchObject({
      min: 1,
      max: 247,
    });
    expect(numberBoundsAt(deviceSettingsRequest, ['settings', 'mainBoards', 3])).toMatchObject({
      min: 1,
      max: 247,
    });
    expect(numberBoundsAt(deviceSettingsRequest, ['settings', 'bus', 'brightness'])).toMatchObject({
      min: 0,
      max: 100,
    });
  });

  it('is null where no number is', () => {
    expect(numberBoundsAt(serviceConfig, ['prefix'])).toBeNull();
    expect(numberBoundsAt(serviceConfig, ['nothing'])).toBeNull();
    expect(numberBoundsAt(serviceConfig, ['constructor'])).toBeNull();
    expect(numberBoundsAt(clientCommand, ['data', 'service'])).toBeNull();
  });
});
