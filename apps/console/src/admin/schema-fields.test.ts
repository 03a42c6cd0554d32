import { clientCommand, createStaffRequest, updateStaffRequest } from '@nextup/protocol';
import { describe, expect, it } from 'vitest';
import { translate } from '../i18n.tsx';
import { fieldByRules, fieldErrorsOf, numberWords, rangeWords } from './schema-fields.ts';

const words = ({ field, code }: { field: string; code: string }) =>
  field === 'username'
    ? 'username rule'
    : field === 'password' && code === 'too_small'
      ? 'password rule'
      : null;

const account = {
  username: 'li.na',
  displayName: '李娜',
  role: 'teller',
  password: 'long enough pw',
  counterIds: [],
};

describe('fieldErrorsOf', () => {
  it('passes a request the schema takes', () => {
    expect(fieldErrorsOf(createStaffRequest, account, words)).toEqual({});
  });

  it('gives each field its own message for the schema’s problem with it', () => {
    expect(
      fieldErrorsOf(createStaffRequest, { ...account, username: 'Li Na', password: 'short' }, words),
    ).toEqual({
      username: 'username rule',
      password: 'password rule',
    });
  });

  it('leaves a problem the form has no words for to the hub', () => {
    expect(fieldErrorsOf(updateStaffRequest, { displayName: '' }, words)).toEqual({});
  });
});

describe('fieldErrorsOf with a command and the form’s field rules', () => {
  const service = {
    id: 'cash',
    prefix: 'A',
    name: { zh: '现金', en: 'Cash' },
    expectedMinutes: 4,
    dailyLimit: null,
    hours: [],
    hint: null,
    selfServiceSuggested: false,
    appointments: { slotMinutes: 30, capacity: 2 },
    enabled: true,
  };
  const upsert = (over: Record<string, unknown>) => ({
    type: 'UpsertService',
    data: { service: { ...service, ...over } },
  });
  const rules = fieldByRules([
    { field: 'expectedMinutes', path: /expectedMinutes$/ },
    { field: 'dailyLimit', path: /dailyLimit$/ },
    { field: 'slotMinutes', path: /slotMinutes$/ },
  ]);
  const zh = numberWords((k, p) => translate('zh', k, p));

  it('passes a command the schema takes', () => {
    expect(fieldErrorsOf(clientCommand, upsert({}), zh, rules)).toEqual({});
  });

  it('places each problem on its field, in words with the schema’s own bounds', () => {
    expect(
      fieldErrorsOf(
        clientCommand,
        upsert({ expectedMinutes: 0, dailyLimit: 2.5, appointments: { slotMinutes: 3, capacity: 2 } }),
        zh,
        rules,
      ),
    ).toEqual({
      expectedMinutes: '须大于 0，且不超过 240',
      dailyLimit: '请填写整数',
      slotMinutes: '须为 5–240 之间的整数',
    });
    expect(fieldErrorsOf(clientCommand, upsert({ expectedMinutes: Number.NaN }), zh, rules)).toEqual({
      expectedMinutes: '请填写数字',
    });
  });

  it('leaves a problem on no field of the form to the hub', () => {
    expect(fieldErrorsOf(clientCommand, upsert({ prefix: 'ab' }), zh, rules)).toEqual({});
  });
});

describe('rangeWords', () => {
  const issue = (bounds: Parameters<typeof rangeWords>[0]['bounds'], code = 'too_big') => ({
    field: 'x',
    code,
    path: ['x'],
    bounds,
  });
  const b = { min: 0, minExclusive: false, max: 100, maxExclusive: false, integer: true };

  it('says a whole number’s range with the least and greatest whole numbers allowed', () => {
    expect(rangeWords(issue(b))).toEqual({ key: 'admin.devices.err.range', params: { min: 0, max: 100 } });
    expect(rangeWords(issue({ ...b, minExclusive: true }, 'too_small'))).toEqual({
      key: 'admin.devices.err.range',
      params: { min: 1, max: 100 },
    });
  });

  it('says a fractional range as it is, an exclusive minimum included', () => {
    expect(rangeWords(issue({ ...b, integer: false }))).toEqual({
      key: 'admin.err.range',
      params: { min: 0, max: 100 },
    });
    expect(rangeWords(issue({ ...b, integer: false, minExclusive: true }))).toEqual({
      key: 'admin.err.rangeAbove',
      params: { min: 0, max: 100 },
    });
  });

  it('has nothing to say without both bounds, or for another problem', () => {
    expect(rangeWords(issue({ ...b, max: null }))).toBeNull();
    expect(rangeWords(issue(null))).toBeNull();
    expect(rangeWords(issue(b, 'invalid_format'))).toBeNull();
  });
});
