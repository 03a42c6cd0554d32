/**
 * The only thing the screen learns from the shell: that it runs in the Electron window (the same
 * page runs in plain Chromium too). No Node, no IPC: the screen talks to its agent over HTTP and
 * WebSocket like any browser.
 */
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('nextupShell', { kind: 'electron', app: 'display' });
