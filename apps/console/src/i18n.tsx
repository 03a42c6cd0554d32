import { type Bilingual, fill } from '@nextup/core';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { STRINGS, type StringKey } from './strings.ts';

export type Lang = 'zh' | 'en';
export type { StringKey };

const STORAGE = 'nextup.lang';

/** `{name}` placeholders filled from params (core's `fill`); a missing one is left empty rather than shown raw. */
export function translate(lang: Lang, key: StringKey, params: Record<string, string | number> = {}): string {
  const template: string = STRINGS[key][lang];
  return fill(template, params, lang);
}

/** Whether a key built at run time (`health.${code}`) is one of the consoles' words. */
export const isStringKey = (key: string): key is StringKey => key in STRINGS;

interface LangValue {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: (key: StringKey, params?: Record<string, string | number>) => string;
  /** The text of a bilingual value (service names, hub messages) in the current language. */
  b: (x: Bilingual | null | undefined) => string;
}

const LangContext = createContext<LangValue | null>(null);

function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE);
    if (stored === 'en' || stored === 'zh') return stored;
  } catch {
    /* storage blocked */
  }
  // Chinese first: English only when asked for (?lang=en or the switch).
  return new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'zh';
}

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE, l);
    } catch {
      /* storage blocked */
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const value = useMemo<LangValue>(
    () => ({
      lang,
      setLang,
      t: (key, params) => translate(lang, key, params),
      b: (x) => (x ? x[lang] : ''),
    }),
    [lang, setLang],
  );
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useT(): LangValue {
  const v = useContext(LangContext);
  if (!v) throw new Error('useT outside LangProvider');
  return v;
}
