/** The kiosk's screens, one file each; `parts.tsx` holds what they share. */
export { KeypadScreen } from './keypad.tsx';
export { AgentLostScreen, OfflineScreen } from './offline.tsx';
export { PairingScreen } from './pairing.tsx';
export { StartScreen } from './start.tsx';
export { TicketScreen } from './ticket.tsx';
