import type { Bilingual as Bi } from '@nextup/core';
import type { KioskProblem, KioskState } from '@nextup/protocol';
import type { ReactNode } from 'react';
import { type Lang, other, t } from '../strings.ts';

/** Pieces every kiosk screen uses: the bilingual line, the header, the problem banner. */
/** A problem in both languages: the customer's first, large; the other beneath. */
export function Bilingual({ text, lang, className }: { text: Bi; lang: Lang; className?: string }) {
  return (
    <div className={`bilingual ${className ?? ''}`}>
      <p className="first" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
        {text[lang]}
      </p>
      <p className="second" lang={lang === 'zh' ? 'en' : 'zh-CN'}>
        {text[other(lang)]}
      </p>
    </div>
  );
}

export function Header({ state, lang, onLang }: { state: KioskState; lang: Lang; onLang?: () => void }) {
  const branch = state.branch;
  return (
    <header className="header">
      <div className="branch">
        <div className="branch-name">{branch ? branch[lang] : 'Nextup'}</div>
        {branch && <div className="branch-second">{branch[other(lang)]}</div>}
      </div>
      {onLang && (
        <button type="button" className="lang-toggle" onClick={onLang} lang={lang === 'zh' ? 'en' : 'zh-CN'}>
          {t('switchLang', lang)}
        </button>
      )}
    </header>
  );
}

export function ProblemBanner({ problem, lang }: { problem: KioskProblem; lang: Lang }) {
  return (
    <div className="problem-banner" role="alert" data-problem={problem.code}>
      <Bilingual text={problem.message} lang={lang} />
    </div>
  );
}

/** A wait's figure ("20–50 分钟", "20–50 min") never breaks across lines; the words around it may. */
export function keepFigures(text: string): ReactNode {
  return text.split(/(\d+(?:–\d+)?\s*(?:分钟以上|分钟|min))/).map((part, i) =>
    i % 2 === 1 ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string
      <span key={i} className="nowrap">
        {part}
      </span>
    ) : (
      part
    ),
  );
}
