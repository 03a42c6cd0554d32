import { describe, expect, it } from 'vitest';
import { hubAddress } from './hub-address.ts';

describe('the hub address branch IT types', () => {
  it('gets a scheme and the hub port when left out', () => {
    expect(hubAddress('192.168.1.10')).toBe('http://192.168.1.10:8300');
    expect(hubAddress(' 192.168.1.10:9000 ')).toBe('http://192.168.1.10:9000');
    expect(hubAddress('http://hub.local:80')).toBe('http://hub.local');
    expect(hubAddress('https://hub.bank.cn')).toBe('https://hub.bank.cn');
    expect(hubAddress('http://h:8300/some/path')).toBeNull();
    expect(hubAddress('::::')).toBeNull();
  });
});
