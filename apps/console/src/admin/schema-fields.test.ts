import { createStaffRequest, updateStaffRequest } from '@nextup/protocol';
import { describe, expect, it } from 'vitest';
import { fieldErrorsOf } from './schema-fields.ts';

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
