import { type BranchConfig, has } from '@nextup/core';
import { type DeviceInfo, LED_DIALECTS } from '@nextup/protocol';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { hub } from '../hub.ts';
import { type StringKey, useT } from '../i18n.tsx';
import { Btn, Field, useLive } from '../ui.tsx';
import { FormStatus, useFormErrors } from './admin.tsx';
import {
  COMMON_BAUDS,
  type DisplayDraft,
  draftOf,
  type KioskDraft,
  OTHER_DIALECT,
  SETTINGS_RULES,
  type SettingsDraft,
  settingsOf,
  type TabletDraft,
  VOICE_CHOICES,
  type VoiceChoice,
} from './device-settings.ts';

const VOICE_LABEL: Record<VoiceChoice, StringKey> = {
  'zh,en': 'admin.devices.voice.zhEn',
  'en,zh': 'admin.devices.voice.enZh',
  zh: 'admin.devices.voice.zh',
  en: 'admin.devices.voice.en',
  '': 'admin.devices.voice.none',
};

type Errors = Record<string, string>;

/**
 * One device's settings (`PUT /api/v1/admin/devices/:id/settings`), with the controls its kind
 * needs, prefilled from what the hub holds now. Checked here first (field by field), then by the hub.
 */
export function DeviceSettingsForm({
  device,
  onSaved,
  onDone,
}: {
  device: DeviceInfo;
  onSaved: () => void;
  onDone: () => void;
}) {
  const { t } = useT();
  const { view } = useLive();
  const config = view?.state.config ?? null;
  const [d, setD] = useState<SettingsDraft>(() => draftOf(device.settings));
  const errors = useFormErrors(SETTINGS_RULES);
  const ref = useRef<HTMLElement>(null);
  // Below 1200 px the form sits under the device list: bring its top into view when it opens (and
  // only then, so that beside the list the page does not jump). Braces: newer Chromium's
  // scrollIntoView returns a promise, which React would take for the effect's cleanup.
  useEffect(() => {
    const el = ref.current;
    const top = el?.getBoundingClientRect().top ?? 0;
    if (el && (top < 0 || top > window.innerHeight - 120)) el.scrollIntoView({ block: 'start' });
  }, []);
  const patch = (p: Partial<SettingsDraft>) => setD((x) => ({ ...x, ...p }) as SettingsDraft);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!config) return;
    const r = settingsOf(d, config);
    if (!r.ok) {
      errors.local(Object.fromEntries(Object.entries(r.errors).map(([k, v]) => [k, t(v.key, v.params)])));
      return;
    }
    const ok = await errors.run(
      hub.setDeviceSettings(device.deviceId, r.settings),
      t('admin.devices.settingsSaved'),
    );
    if (ok) onSaved();
  };

  return (
    <section className="panel form-panel" ref={ref} data-testid="device-settings-form">
      <div className="section-head">
        <h2>{t('admin.devices.settingsTitle', { name: device.name })}</h2>
        <span className="muted">{t(`device.kind.${device.kind}` as const)}</span>
      </div>
      <p className="muted small">{t('admin.devices.settingsIntro')}</p>
      <form onSubmit={submit} className="form-grid" noValidate>
        {d.kind === 'kiosk' && config ? (
          <KioskFields d={d} patch={patch} errors={errors.fields} config={config} />
        ) : null}
        {d.kind === 'display' && config ? (
          <DisplayFields d={d} patch={patch} errors={errors.fields} config={config} />
        ) : null}
        {d.kind === 'counterTablet' && config ? (
          <TabletFields d={d} patch={patch} errors={errors.fields} config={config} />
        ) : null}
        <FormStatus form={errors.form} saved={errors.saved} />
        <div className="form-actions field-wide">
          <button type="submit" className="btn btn-primary">
            {t('save')}
          </button>
          <Btn variant="quiet" onClick={onDone}>
            {t('close')}
          </Btn>
        </div>
      </form>
    </section>
  );
}

interface FieldsProps<D> {
  d: D;
  patch: (p: Partial<D>) => void;
  errors: Errors;
  config: BranchConfig;
}

function KioskFields({ d, patch, errors, config }: FieldsProps<KioskDraft>) {
  const { t, b } = useT();
  const off = !d.printerOn;
  return (
    <>
      <fieldset className="field-wide settings-group">
        <legend>{t('admin.devices.printer')}</legend>
        <label className="check">
          <input
            type="checkbox"
            name="printerOn"
            checked={d.printerOn}
            onChange={(e) => patch({ printerOn: e.target.checked })}
          />
          {t('admin.devices.printerOn')}
        </label>
        <div className="form-grid">
          <Field
            label={t('admin.devices.printerUrl')}
            error={errors.printerUrl}
            hint={t('admin.devices.printerUrlHint')}
            wide
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                name="printerUrl"
                className="mono"
                value={d.printerUrl}
                disabled={off}
                maxLength={200}
                spellCheck={false}
                autoComplete="off"
                placeholder="tcp://10.0.0.9:9100"
                aria-invalid={invalid}
                aria-describedby={describedBy}
                onChange={(e) => patch({ printerUrl: e.target.value })}
              />
            )}
          </Field>
          <Field label={t('admin.devices.paperWidth')}>
            {({ id }) => (
              <select
                id={id}
                name="paperWidth"
                value={d.paperWidth}
                disabled={off}
                onChange={(e) => patch({ paperWidth: Number(e.target.value) as 58 | 80 })}
              >
                <option value={80}>80 mm</option>
                <option value={58}>58 mm</option>
              </select>
            )}
          </Field>
          <Field label={t('admin.devices.qr')}>
            {({ id }) => (
              <select
                id={id}
                name="qr"
                value={d.qr}
                disabled={off}
                onChange={(e) => patch({ qr: e.target.value as KioskDraft['qr'] })}
              >
                <option value="native">{t('admin.devices.qr.native')}</option>
                <option value="raster">{t('admin.devices.qr.raster')}</option>
              </select>
            )}
          </Field>
          <Field label={t('admin.devices.chinese')} hint={t('admin.devices.chineseHint')} wide>
            {({ id, describedBy }) => (
              <select
                id={id}
                name="chinese"
                className="select-auto"
                value={d.chinese}
                disabled={off}
                aria-describedby={describedBy}
                onChange={(e) => patch({ chinese: e.target.value as KioskDraft['chinese'] })}
              >
                <option value="native">{t('admin.devices.chinese.native')}</option>
                <option value="raster">{t('admin.devices.chinese.raster')}</option>
              </select>
            )}
          </Field>
        </div>
      </fieldset>
      <Field
        label={t('admin.devices.idleSeconds')}
        error={errors.idleSeconds}
        hint={t('admin.devices.idleHint')}
      >
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            name="idleSeconds"
            className="input-narrow"
            inputMode="numeric"
            value={d.idleSeconds}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            onChange={(e) => patch({ idleSeconds: e.target.value })}
          />
        )}
      </Field>
      <CheckList
        name="services"
        legend={t('admin.devices.services')}
        hint={t('admin.devices.servicesHint')}
        error={errors.services}
        items={config.serviceOrder.flatMap((id) => {
          const s = config.services[id];
          if (!s) return [];
          const label = `${s.prefix} · ${b(s.name)}`;
          return [{ id, label: s.enabled ? label : `${label}（${t('admin.services.disabled')}）` }];
        })}
        checked={d.services}
        onChange={(services) => patch({ services })}
      />
    </>
  );
}

function DisplayFields({ d, patch, errors, config }: FieldsProps<DisplayDraft>) {
  const { t, b } = useT();
  const off = !d.busOn;
  const bauds: number[] = (COMMON_BAUDS as readonly number[]).includes(d.busBaud)
    ? [...COMMON_BAUDS]
    : [...COMMON_BAUDS, d.busBaud].sort((x, y) => x - y);
  const other = d.busDialect === OTHER_DIALECT;
  return (
    <>
      <fieldset className="field-wide settings-group">
        <legend>{t('admin.devices.bus')}</legend>
        <label className="check">
          <input
            type="checkbox"
            name="busOn"
            checked={d.busOn}
            onChange={(e) => patch({ busOn: e.target.checked })}
          />
          {t('admin.devices.busOn')}
        </label>
        <div className="form-grid">
          <Field
            label={t('admin.devices.busPort')}
            error={errors.busPort}
            hint={t('admin.devices.busPortHint')}
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                name="busPort"
                className="mono"
                value={d.busPort}
                disabled={off}
                maxLength={200}
                spellCheck={false}
                autoComplete="off"
                placeholder="/dev/ttyUSB0"
                aria-invalid={invalid}
                aria-describedby={describedBy}
                onChange={(e) => patch({ busPort: e.target.value })}
              />
            )}
          </Field>
          <Field label={t('admin.devices.busBaud')} error={errors.busBaud}>
            {({ id, describedBy }) => (
              <select
                id={id}
                name="busBaud"
                value={d.busBaud}
                disabled={off}
                aria-describedby={describedBy}
                onChange={(e) => patch({ busBaud: Number(e.target.value) })}
              >
                {bauds.map((baud) => (
                  <option key={baud} value={baud}>
                    {baud}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('admin.devices.busDialect')} error={other ? null : errors.busDialect}>
            {({ id, describedBy }) => (
              <select
                id={id}
                name="busDialect"
                value={d.busDialect}
                disabled={off}
                aria-describedby={describedBy}
                onChange={(e) => patch({ busDialect: e.target.value })}
              >
                {LED_DIALECTS.map((k) => (
                  <option key={k} value={k}>
                    {t(`admin.devices.dialect.${k}`)}
                  </option>
                ))}
                <option value={OTHER_DIALECT}>{t('admin.devices.dialect.other')}</option>
              </select>
            )}
          </Field>
          {other ? (
            <Field label={t('admin.devices.busDialectOther')} error={errors.busDialect}>
              {({ id, describedBy, invalid }) => (
                <input
                  id={id}
                  name="busDialectOther"
                  className="mono"
                  value={d.busDialectOther}
                  disabled={off}
                  maxLength={32}
                  spellCheck={false}
                  aria-invalid={invalid}
                  aria-describedby={describedBy}
                  onChange={(e) => patch({ busDialectOther: e.target.value })}
                />
              )}
            </Field>
          ) : null}
          <Field
            label={t('admin.devices.busBrightness')}
            error={errors.busBrightness}
            hint={t('admin.devices.busBrightnessHint')}
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                name="busBrightness"
                type="number"
                inputMode="numeric"
                min={0}
                max={100}
                step={10}
                value={d.busBrightness}
                disabled={off}
                aria-invalid={invalid}
                aria-describedby={describedBy}
                onChange={(e) => patch({ busBrightness: e.target.value })}
              />
            )}
          </Field>
        </div>
      </fieldset>
      <Field
        label={t('admin.devices.mainBoards')}
        error={errors.mainBoards}
        hint={t('admin.devices.mainBoardsHint')}
      >
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            name="mainBoards"
            value={d.mainBoards}
            placeholder="200, 201"
            autoComplete="off"
            aria-invalid={invalid}
            aria-describedby={describedBy}
            onChange={(e) => patch({ mainBoards: e.target.value })}
          />
        )}
      </Field>
      <fieldset className="field-wide settings-group">
        <legend>{t('admin.devices.voice')}</legend>
        <div className="form-grid">
          <Field label={t('admin.devices.voiceLanguages')} error={errors.voice}>
            {({ id, describedBy }) => (
              <select
                id={id}
                name="voiceLanguages"
                value={d.voice}
                aria-describedby={describedBy}
                onChange={(e) => patch({ voice: e.target.value as VoiceChoice })}
              >
                {VOICE_CHOICES.map((v) => (
                  <option key={v} value={v}>
                    {t(VOICE_LABEL[v])}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('admin.devices.repeat')}>
            {({ id }) => (
              <select
                id={id}
                name="voiceRepeat"
                value={d.repeat}
                disabled={d.voice === ''}
                onChange={(e) => patch({ repeat: Number(e.target.value) })}
              >
                {[1, 2, 3].map((n) => (
                  <option key={n} value={n}>
                    {t('admin.devices.repeatN', { n })}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </fieldset>
      <CheckList
        name="counters"
        legend={t('admin.devices.counters')}
        hint={t('admin.devices.countersHint')}
        error={errors.counters}
        items={config.counterOrder.flatMap((id) => {
          const c = config.counters[id];
          return c ? [{ id, label: b(c.name) }] : [];
        })}
        checked={d.counters}
        onChange={(counters) => patch({ counters })}
      />
    </>
  );
}

function TabletFields({ d, patch, errors, config }: FieldsProps<TabletDraft>) {
  const { t, b } = useT();
  return (
    <Field label={t('admin.devices.counterId')} error={errors.counterId} wide>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          name="counterId"
          className="select-auto"
          value={d.counterId}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => patch({ counterId: e.target.value })}
        >
          <option value="">{t('admin.devices.noCounter')}</option>
          {config.counterOrder.map((cid) => {
            const c = config.counters[cid];
            return c ? (
              <option key={cid} value={cid}>
                {b(c.name)}
              </option>
            ) : null;
          })}
          {/* A counter removed since: still shown, so the form does not silently change it. */}
          {d.counterId && !has(config.counters, d.counterId) ? (
            <option value={d.counterId}>{d.counterId}</option>
          ) : null}
        </select>
      )}
    </Field>
  );
}

/** Ticks in the branch's order; none ticked means all (the device's own rule). */
function CheckList({
  name,
  legend,
  hint,
  error,
  items,
  checked,
  onChange,
}: {
  name: string;
  legend: string;
  hint: string;
  error: string | undefined;
  items: { id: string; label: ReactNode }[];
  checked: string[];
  onChange: (ids: string[]) => void;
}) {
  return (
    <fieldset className={`field-wide check-grid${error ? ' field-invalid' : ''}`} data-field={name}>
      <legend>{legend}</legend>
      <p className="muted small">{hint}</p>
      {items.map((it) => (
        <label key={it.id} className="check">
          <input
            type="checkbox"
            name={name}
            value={it.id}
            checked={checked.includes(it.id)}
            onChange={(e) =>
              onChange(e.target.checked ? [...checked, it.id] : checked.filter((x) => x !== it.id))
            }
          />
          {it.label}
        </label>
      ))}
      {error ? (
        <div className="field-error" role="alert">
          {error}
        </div>
      ) : null}
    </fieldset>
  );
}
