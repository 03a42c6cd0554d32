import { describe, expect, it } from 'vitest';
import { errorText, fieldOfError } from './field-errors.ts';

const rules = [
  { field: 'prefix', en: /prefix/i, path: /\.prefix$/ },
  { field: 'expectedMinutes', en: /expected minutes/i, path: /expectedMinutes$/ },
];

describe('fieldOfError', () => {
  it('finds the field of a domain refusal by its reason', () => {
    const e = {
      kind: 'domain' as const,
      code: 'INVALID_CONFIG',
      messageKey: 'error.INVALID_CONFIG',
      params: { reason: { zh: '前缀 A 已被“现金”使用', en: 'prefix A is already used by "Cash"' } },
      message: {
        zh: '配置无效：前缀 A 已被“现金”使用',
        en: 'Invalid configuration: prefix A is already used',
      },
    };
    expect(fieldOfError(e, rules)).toBe('prefix');
  });

  it('finds the field of a schema error by its path', () => {
    const e = {
      kind: 'input' as const,
      code: 'INVALID_MESSAGE',
      message: { zh: '消息内容无效', en: '✖ Too big: expected number to be <=240' },
      detail: '✖ Too big: expected number to be <=240\n  → at command.data.service.expectedMinutes',
    };
    expect(fieldOfError(e, rules)).toBe('expectedMinutes');
    expect(errorText(e, 'zh')).toBe('消息内容无效：Too big: expected number to be <=240');
  });

  it('gives null when no rule fits', () => {
    expect(
      fieldOfError(
        { kind: 'forbidden', code: 'FORBIDDEN', message: { zh: '无权访问', en: 'Not allowed' } },
        rules,
      ),
    ).toBeNull();
  });
});
