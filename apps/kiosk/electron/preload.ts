/**
 * The kiosk window's preload: tells the UI it runs in the Electron shell, and nothing else. The UI
 * talks to its agent over HTTP and WebSocket exactly as in a browser, so no Node or IPC is exposed.
 */
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('nextupShell', {
  kind: 'electron' as const,
  electron: process.versions.electron ?? null,
});
