import {
  type ButtonHTMLAttributes,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useSyncExternalStore,
} from 'react';
import { type HubError, hub, type LiveState } from './hub.ts';
import { useT } from './i18n.tsx';

/** The live branch view (snapshot + events over the WebSocket). */
export function useLive(): LiveState {
  return useSyncExternalStore(hub.subscribe, hub.getLive);
}

/** Re-renders every `ms` so that "since when" figures move on. */
export function useTick(ms = 15_000): number {
  return useSyncExternalStore(
    (cb) => {
      const t = setInterval(cb, ms);
      return () => clearInterval(t);
    },
    () => Math.floor(Date.now() / ms),
  );
}

type Variant = 'primary' | 'plain' | 'danger' | 'quiet';

/** A button with its keyboard shortcut shown on it. */
export function Btn({
  kbd,
  variant = 'plain',
  big,
  children,
  className,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { kbd?: string; variant?: Variant; big?: boolean }) {
  return (
    <button
      type="button"
      className={`btn btn-${variant}${big ? ' btn-big' : ''}${className ? ` ${className}` : ''}`}
      aria-keyshortcuts={kbd}
      {...rest}
    >
      <span className="btn-label">{children}</span>
      {kbd ? <kbd>{kbd}</kbd> : null}
    </button>
  );
}

/** A form field: label, control, and the error for this field right under it. */
export function Field({
  label,
  error,
  hint,
  children,
  wide,
}: {
  label: string;
  error?: string | null;
  hint?: string;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
  wide?: boolean;
}) {
  const id = useId();
  const errId = `${id}-err`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}${wide ? ' field-wide' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, describedBy, invalid: Boolean(error) })}
      {hint ? (
        <div className="field-hint" id={hintId}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <div className="field-error" id={errId} role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}

/** A hub error in the reader's language. */
export function ErrorNote({ error }: { error: HubError | string | null | undefined }) {
  const { b } = useT();
  if (!error) return null;
  return (
    <div className="note note-error" role="alert">
      {typeof error === 'string' ? error : b(error.message)}
    </div>
  );
}

export function Badge({ tone = 'grey', children }: { tone?: string; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** A modal dialog: focus goes in, Escape closes, the page behind does not react to keys. */
export function Dialog({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    const el = ref.current;
    // In this order of preference, not document order: a list of choices gets focus on the one that
    // is chosen (so the focus ring and the selection agree, and Enter confirms what is shown).
    const first = ['[data-autofocus]', 'input:checked', 'input, select, textarea, button']
      .map((selector) => el?.querySelector<HTMLElement>(selector))
      .find((x) => x);
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onClose();
        return;
      }
      // Keyboard alone: Enter on a list or a choice confirms the dialog, as it does in a text field.
      const target = e.target as HTMLElement | null;
      if (e.key === 'Enter' && target && el?.contains(target)) {
        const choice = target.tagName === 'SELECT' || (target as HTMLInputElement).type === 'radio';
        const form = target.closest('form');
        if (choice && form) {
          e.preventDefault();
          form.requestSubmit();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="overlay" role="presentation">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} ref={ref} data-dialog>
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** Whether a key press belongs to a text field or a dialog rather than to the page's shortcuts. */
export function isTypingTarget(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  if (t.closest('[data-dialog]')) return true;
  const tag = t.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable;
}
