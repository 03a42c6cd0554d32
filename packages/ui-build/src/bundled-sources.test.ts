import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledWorkspaceSources, viteUi } from './index.ts';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..', '..');

describe('the workspace packages a UI bundles', () => {
  it('are read from its imports and followed through their production dependencies', () => {
    // The console imports core, protocol, hub-client and hub-view (the fold moved there: a list
    // written by hand missed it, and a change to the fold left the console's bundle stale).
    const console = bundledWorkspaceSources(ROOT, [join(ROOT, 'apps', 'console', 'src')]);
    for (const name of ['core', 'protocol', 'hub-client', 'hub-view'])
      expect(console).toContain(join(ROOT, 'packages', name, 'src'));
    // The kiosk's screen imports protocol and hub-client's reconnecting socket (which brings
    // hub-client's own dependencies): its agent's printer is not its bundle.
    const kiosk = bundledWorkspaceSources(ROOT, [join(ROOT, 'apps', 'kiosk', 'ui', 'src')]);
    expect(kiosk).toEqual(
      ['core', 'hub-client', 'hub-view', 'protocol'].map((name) => join(ROOT, 'packages', name, 'src')),
    );
    expect(kiosk).not.toContain(join(ROOT, 'packages', 'printer', 'src'));
  });
});

describe("an app's UI build (viteUi)", () => {
  it("reads the UI's sources and index.html, the app's Vite config and package.json, and what it bundles", () => {
    const app = join(ROOT, 'apps', 'kiosk');
    const ui = viteUi({
      appRoot: app,
      uiRoot: join(app, 'ui'),
      distDir: join(app, 'ui', 'dist'),
      label: 'kiosk UI',
    });
    expect(ui.options).toMatchObject({ appRoot: app, distDir: join(app, 'ui', 'dist'), label: 'kiosk UI' });
    expect(ui.options.sources).toEqual([
      join(app, 'ui', 'src'),
      join(app, 'ui', 'index.html'),
      join(app, 'vite.config.ts'),
      join(app, 'package.json'),
      ...['core', 'hub-client', 'hub-view', 'protocol'].map((name) => join(ROOT, 'packages', name, 'src')),
    ]);
  });
});
