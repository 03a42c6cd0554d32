import { describe, expect, it } from 'vitest';
import { ConfigError, loadHubConfig } from '../config.ts';
import { Shipper } from './shipper.ts';

describe('central shipping configuration', () => {
  it('is off by default', () => {
    const c = loadHubConfig([], {});
    expect(c.centralUrl).toBeNull();
    expect(c.branchId).toBeNull();
  });

  it('reads NEXTUP_CENTRAL_URL and NEXTUP_BRANCH_ID, and the same as flags', () => {
    const env = {
      NEXTUP_CENTRAL_URL: 'postgres://hub:secret@central.bank:5432/nextup',
      NEXTUP_BRANCH_ID: 'SH-001',
    };
    expect(loadHubConfig([], env)).toMatchObject({ centralUrl: env.NEXTUP_CENTRAL_URL, branchId: 'SH-001' });
    expect(
      loadHubConfig(['--central-url', 'postgresql://central/nextup', '--branch-id', 'BJ.07'], {}),
    ).toMatchObject({ centralUrl: 'postgresql://central/nextup', branchId: 'BJ.07' });
  });

  it('refuses one without the other, a URL that is not PostgreSQL, and a bad branch id', () => {
    expect(() => loadHubConfig([], { NEXTUP_BRANCH_ID: 'SH-001' })).toThrow(ConfigError);
    expect(() => loadHubConfig([], { NEXTUP_BRANCH_ID: 'SH-001' })).toThrow(/go together/);
    expect(() => loadHubConfig([], { NEXTUP_CENTRAL_URL: 'http://x', NEXTUP_BRANCH_ID: 'SH-001' })).toThrow(
      /postgres:\/\//,
    );
    expect(() =>
      loadHubConfig([], { NEXTUP_CENTRAL_URL: 'postgres://x/db', NEXTUP_BRANCH_ID: 'has space' }),
    ).toThrow(/branchId/);
  });

  it('names the bad option when the shipper is built by hand, without echoing the password', () => {
    const hub = {} as ConstructorParameters<typeof Shipper>[0]['hub'];
    expect(() => new Shipper({ hub, centralUrl: 'mysql://u:pw@x/db', branchId: 'A' })).toThrow(TypeError);
    expect(() => new Shipper({ hub, centralUrl: 'mysql://u:pw@x/db', branchId: 'A' })).not.toThrow(/pw/);
    expect(() => new Shipper({ hub, centralUrl: 'postgres://x/db', branchId: 'A', batchSize: 0 })).toThrow(
      /batchSize/,
    );
  });
});
