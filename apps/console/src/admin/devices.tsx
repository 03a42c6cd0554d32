import type { DeviceInfo } from '@nextup/protocol';
import { type FormEvent, Fragment, useCallback, useEffect, useState } from 'react';
import { HealthLine } from '../device-health.tsx';
import { hhmm, localDate, minutesSince } from '../format.ts';
import { hub } from '../hub.ts';
import { useT } from '../i18n.tsx';
import { Badge, Btn, Field, useLive, useTick } from '../ui.tsx';
import { FormStatus, useFormErrors } from './admin.tsx';
import { DeviceSettingsForm } from './device-form.tsx';
import { settingsSummary } from './device-settings.ts';

/**
 * Devices: pair a new box with a short code, see every box's health and settings at a glance, edit a
 * box's settings, revoke one.
 */
export function DevicesAdmin() {
  const { t, lang } = useT();
  const { view } = useLive();
  useTick(10_000);
  const [devices, setDevices] = useState<DeviceInfo[]>([]);
  const reload = useCallback(() => void hub.devices().then((r) => r.ok && setDevices(r.value.devices)), []);
  // The live view's device list changes with every pairing, health report and connection change.
  const live = view?.hub.devices;
  useEffect(() => {
    void live;
    reload();
  }, [live, reload]);
  const tz = view?.state.config.branch.timeZone ?? 'Asia/Shanghai';
  const now = hub.now();
  const [showRevoked, setShowRevoked] = useState(false);
  const list = devices.filter((d) => showRevoked || !d.revoked);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [renamingId, setRenamingId] = useState<string | null>(null);
  // The form edits the settings the device had when it was opened; the list shows what the hub holds.
  const editing = devices.find((d) => d.deviceId === editingId && !d.revoked) ?? null;
  const config = view?.state.config ?? null;
  const joinList = (items: string[]) => items.join(lang === 'zh' ? '、' : ', ');
  return (
    <div className="admin-split">
      <section className="panel">
        <div className="section-head">
          <h1>{t('admin.devices.title')}</h1>
          <label className="check">
            <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} />
            {t('admin.devices.showRevoked')}
          </label>
        </div>
        {list.length === 0 ? <p className="muted">{t('admin.devices.none')}</p> : null}
        <ul className="device-list" data-testid="device-list">
          {list.map((d) => (
            <li
              key={d.deviceId}
              className={`device${d.revoked ? ' device-revoked' : ''}${d.deviceId === editing?.deviceId ? ' device-editing' : ''}`}
              data-device={d.deviceId}
            >
              <div className="device-head">
                <div className="device-title">
                  {renamingId === d.deviceId ? (
                    <RenameForm
                      device={d}
                      onDone={() => {
                        setRenamingId(null);
                        reload();
                      }}
                    />
                  ) : (
                    <strong data-testid="device-name">{d.name}</strong>
                  )}
                  <span className="muted">{t(`device.kind.${d.kind}` as const)}</span>
                  {d.revoked ? (
                    <Badge tone="grey">{t('device.revoked')}</Badge>
                  ) : d.online ? (
                    <Badge tone="green">{t('device.online')}</Badge>
                  ) : (
                    <Badge tone="red">
                      {d.lastSeen
                        ? t('device.offlineSince', {
                            time: hhmm(d.lastSeen, tz),
                            minutes: minutesSince(d.lastSeen, now),
                          })
                        : t('device.neverSeen')}
                    </Badge>
                  )}
                </div>
                {!d.revoked ? (
                  <span className="device-actions">
                    <Btn onClick={() => setRenamingId(d.deviceId)} disabled={renamingId === d.deviceId}>
                      {t('admin.devices.rename')}
                    </Btn>
                    <Btn
                      aria-pressed={d.deviceId === editing?.deviceId}
                      onClick={() => setEditingId(d.deviceId)}
                    >
                      {t('admin.devices.editSettings')}
                    </Btn>
                    <Btn
                      variant="danger"
                      onClick={async () => {
                        if (!window.confirm(t('admin.devices.confirmRevoke', { name: d.name }))) return;
                        await hub.revokeDevice(d.deviceId);
                        reload();
                      }}
                    >
                      {t('admin.devices.revoke')}
                    </Btn>
                  </span>
                ) : null}
              </div>
              <div className="device-settings" data-testid="device-settings">
                {settingsSummary(d.settings, config, t, joinList, d.health).map((part, i) => (
                  // Each part wraps as a whole (a long URL may still break inside).
                  <Fragment key={part}>
                    {i > 0 ? ' · ' : null}
                    <span className="summary-part">{part}</span>
                  </Fragment>
                ))}
              </div>
              {d.health && !d.revoked ? (
                <ul className="health">
                  {d.health.components.map((c) => (
                    <HealthLine key={`${c.component}-${c.address ?? ''}`} c={c} tz={tz} now={now} />
                  ))}
                </ul>
              ) : null}
              <div className="muted small">
                {/* The branch's date (the hub's clock, its time zone), not UTC's. */}
                {t('admin.devices.paired', { time: localDate(d.pairedAt, tz) })}
                {d.health ? ` · v${d.health.version}` : ''} · <span className="mono">{d.deviceId}</span>
              </div>
            </li>
          ))}
        </ul>
      </section>
      {editing ? (
        <DeviceSettingsForm
          key={editing.deviceId}
          device={editing}
          onSaved={reload}
          onDone={() => setEditingId(null)}
        />
      ) : (
        <PairingPanel onCreated={reload} />
      )}
    </div>
  );
}

/** The device's name as a field, in place: Enter saves, Escape leaves it as it was. */
function RenameForm({ device, onDone }: { device: DeviceInfo; onDone: () => void }) {
  const { t } = useT();
  const [name, setName] = useState(device.name);
  const errors = useFormErrors([{ field: 'name', path: /name$/ }]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!errors.local(name.trim() ? {} : { name: t('admin.err.required') })) return;
    if (name.trim() === device.name) return onDone();
    const r = await errors.run(
      hub.renameDevice(device.deviceId, name.trim()),
      t('admin.devices.renamed', { name: name.trim() }),
    );
    if (r) onDone();
  };
  return (
    <form className="rename-form" onSubmit={submit} noValidate data-testid="rename-form">
      <input
        name="rename"
        aria-label={t('admin.devices.newName')}
        value={name}
        maxLength={64}
        // biome-ignore lint/a11y/noAutofocus: the field appears where the admin just clicked
        autoFocus
        aria-invalid={Boolean(errors.fields.name)}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onDone();
        }}
      />
      <button type="submit" className="btn btn-primary">
        {t('save')}
      </button>
      <Btn variant="quiet" onClick={onDone}>
        {t('cancel')}
      </Btn>
      {errors.fields.name ? <span className="field-error">{errors.fields.name}</span> : null}
      <FormStatus form={errors.form} saved={null} />
    </form>
  );
}

function PairingPanel({ onCreated }: { onCreated: () => void }) {
  const { t } = useT();
  const [kind, setKind] = useState<DeviceInfo['kind']>('kiosk');
  const [name, setName] = useState('');
  // The code's lifetime is a duration counted on this PC from the hub's answer: the hub's clock and
  // the PC's need not agree.
  const [code, setCode] = useState<{ code: string; validUntilLocal: number; name: string } | null>(null);
  useTick(1000);
  const errors = useFormErrors([{ field: 'name', path: /name$/ }]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!errors.local(name.trim() ? {} : { name: t('admin.err.required') })) return;
    const r = await errors.run(hub.createPairingCode(kind, name.trim()), t('admin.devices.codeMade'));
    if (r) {
      setCode({ code: r.code, validUntilLocal: Date.now() + r.validForSeconds * 1000, name: r.name });
      onCreated();
    }
  };
  return (
    <section className="panel form-panel">
      <h2>{t('admin.devices.pairTitle')}</h2>
      <p className="muted">{t('admin.devices.pairIntro')}</p>
      <form onSubmit={submit} className="form-grid" noValidate>
        <Field label={t('admin.devices.kind')}>
          {({ id }) => (
            <select id={id} value={kind} onChange={(e) => setKind(e.target.value as DeviceInfo['kind'])}>
              {(['kiosk', 'display', 'counterTablet'] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`device.kind.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('admin.devices.name')} error={errors.fields.name} hint={t('admin.devices.nameHint')}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="deviceName"
              value={name}
              maxLength={64}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <FormStatus form={errors.form} saved={null} />
        <div className="form-actions field-wide">
          <button type="submit" className="btn btn-primary">
            {t('admin.devices.makeCode')}
          </button>
        </div>
      </form>
      {code ? (
        <div className="pairing-code" data-testid="pairing-code" aria-live="polite">
          <div className="muted">{code.name}</div>
          <div className="code-digits">{code.code}</div>
          <PairingCodeLifetime msLeft={code.validUntilLocal - Date.now()} />
        </div>
      ) : null}
    </section>
  );
}

/** "valid for another 9 min 30 s, once", or "expired" once the duration has run out. */
function PairingCodeLifetime({ msLeft }: { msLeft: number }) {
  const { t } = useT();
  if (msLeft <= 0)
    return (
      <div className="muted" data-testid="pairing-code-lifetime">
        {t('admin.devices.codeExpired')}
      </div>
    );
  const s = Math.ceil(msLeft / 1000);
  return (
    <div className="muted" data-testid="pairing-code-lifetime">
      {t('admin.devices.codeValidFor', { min: Math.floor(s / 60), sec: String(s % 60).padStart(2, '0') })}
    </div>
  );
}
