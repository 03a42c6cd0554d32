import type { Bilingual as Bi } from '@nextup/core';
import type { KioskProblem, KioskState } from '@nextup/protocol';
import { type Lang, other, t } from '../strings.ts';
import { Bilingual } from './parts.tsx';

export function OfflineScreen({ state, lang }: { state: KioskState; lang: Lang }) {
  const p = state.blocked!;
  const connecting = p.code === 'CONNECTING';
  const title = connecting ? 'connecting' : 'paused';
  return (
    <main
      className="screen screen-offline"
      data-screen="offline"
      data-problem={p.code}
      lang={lang === 'zh' ? 'zh-CN' : 'en'}
    >
      {state.branch && <div className="offline-branch">{state.branch[lang]}</div>}
      <h1 className="offline-title">
        <span>{t(title, lang)}</span>
        <span className="offline-title-en">{t(title, other(lang))}</span>
      </h1>
      {!connecting && (
        <>
          <Bilingual text={OFFLINE_WORDS[p.code] ?? p.message} lang={lang} className="offline-message" />
          <Bilingual text={ISSUED_STAY_VALID} lang={lang} className="small offline-valid" />
        </>
      )}
      <p className="offline-retry">
        <span className="pulse" aria-hidden />
        {t('reconnecting', lang)} · {t('reconnecting', other(lang))}
      </p>
    </main>
  );
}

/** The offline screen's own words: its title already says tickets are paused. */
const OFFLINE_WORDS: Partial<Record<KioskProblem['code'], Bi>> = {
  HUB_OFFLINE: {
    zh: '与网点服务器的连接中断，正在自动恢复。需要取号请联系工作人员。',
    en: 'The connection to the branch server is down and coming back by itself. Please ask staff for a ticket.',
  },
  NOT_PAIRED: {
    zh: '本取号机尚未加入网点。请联系工作人员。',
    en: 'This kiosk has not joined the branch yet. Please ask staff.',
  },
};

const ISSUED_STAY_VALID: Bi = {
  zh: '已经取到的号仍然有效，请留意叫号。',
  en: 'Tickets already issued stay valid: listen for your number.',
};

export function AgentLostScreen({ lang, starting }: { lang: Lang; starting: boolean }) {
  return (
    <main className="screen screen-offline" data-screen="agent-lost">
      <h1 className="offline-title">
        <span>{starting ? t('connecting', lang) : t('agentLost', lang)}</span>
        <span className="offline-title-en">
          {starting ? t('connecting', other(lang)) : t('agentLost', other(lang))}
        </span>
      </h1>
    </main>
  );
}
