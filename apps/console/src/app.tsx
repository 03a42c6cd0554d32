import type { SessionInfo } from '@nextup/protocol';
import { type ReactNode, useEffect, useState } from 'react';
import { AdminPage } from './admin/admin.tsx';
import { hub } from './hub.ts';
import { useT } from './i18n.tsx';
import { BookingPage } from './pages/booking.tsx';
import { CounterPage } from './pages/counter.tsx';
import { DeskPage } from './pages/desk.tsx';
import { LoginPage } from './pages/login.tsx';
import { ManagerPage } from './pages/manager.tsx';
import { RatingPage } from './pages/rating.tsx';
import { ReportPage } from './pages/report.tsx';
import { Link, navigate, usePath } from './router.tsx';
import { useLive } from './ui.tsx';

type Role = SessionInfo['role'];

/** Where each role lands after signing in. */
function home(role: Role): string {
  return role === 'admin' ? '/admin' : role === 'manager' ? '/manager' : '/counter';
}

export function App() {
  const path = usePath();
  const [session, setSession] = useState<SessionInfo | null | 'loading'>('loading');

  useEffect(() => {
    hub.onSignedOut = () => {
      setSession(null);
      navigate('/login', true);
    };
    // The rating tablet signs in as a device, not as staff.
    if (location.pathname.startsWith('/rating')) {
      setSession(null);
      return;
    }
    void hub.restore().then((s) => setSession(s));
  }, []);

  if (path.startsWith('/rating')) return <RatingPage />;
  if (session === 'loading') return <div className="loading" aria-busy="true" />;
  if (!session) {
    if (!path.startsWith('/login')) {
      // Nothing of the queue is shown without a session: straight to sign-in.
      queueMicrotask(() => navigate(`/login?next=${encodeURIComponent(path)}`, true));
      return null;
    }
    return (
      <LoginPage
        onSignedIn={(s) => {
          setSession(s);
          const next = new URLSearchParams(location.search).get('next');
          navigate(next?.startsWith('/') && !next.startsWith('/login') ? next : home(s.role), true);
        }}
      />
    );
  }
  if (path.startsWith('/login') || path === '/' || path === '') {
    queueMicrotask(() => navigate(home(session.role), true));
    return null;
  }
  return (
    <Shell session={session} onSignOut={() => setSession(null)}>
      <Route path={path} session={session} />
    </Shell>
  );
}

function Route({ path, session }: { path: string; session: SessionInfo }) {
  const p = path.split('?')[0]!;
  const role = session.role;
  if (p === '/counter' || p.startsWith('/counter/')) return <CounterPage session={session} />;
  if (p === '/booking') return <BookingPage session={session} />;
  if (p === '/desk') return <DeskPage />;
  if (p === '/manager') return role === 'teller' ? <Forbidden /> : <ManagerPage session={session} />;
  if (p === '/report') return role === 'teller' ? <Forbidden /> : <ReportPage />;
  if (p === '/admin' || p.startsWith('/admin/')) return role === 'admin' ? <AdminPage /> : <Forbidden />;
  return <NotFound />;
}

function Forbidden() {
  const { t } = useT();
  return (
    <section className="panel empty-state" data-testid="forbidden">
      <h1>{t('forbidden.title')}</h1>
      <p>{t('forbidden.body')}</p>
    </section>
  );
}

function NotFound() {
  const { t } = useT();
  return (
    <section className="panel empty-state">
      <h1>{t('notFound.title')}</h1>
    </section>
  );
}

function Shell({
  session,
  onSignOut,
  children,
}: {
  session: SessionInfo;
  onSignOut: () => void;
  children: ReactNode;
}) {
  const { t, b, lang, setLang } = useT();
  const { view, connected } = useLive();
  const path = usePath();
  const links: { to: string; label: string; roles: Role[] }[] = [
    { to: '/counter', label: t('nav.counter'), roles: ['teller', 'manager', 'admin'] },
    { to: '/desk', label: t('nav.desk'), roles: ['teller', 'manager', 'admin'] },
    { to: '/booking', label: t('nav.booking'), roles: ['teller', 'manager', 'admin'] },
    { to: '/manager', label: t('nav.manager'), roles: ['manager', 'admin'] },
    { to: '/report', label: t('nav.report'), roles: ['manager', 'admin'] },
    { to: '/admin', label: t('nav.admin'), roles: ['admin'] },
  ];
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark">Nextup</span>
          <span className="brand-branch">{view ? b(view.state.config.branch.name) : ''}</span>
        </div>
        <nav aria-label={t('nav.label')}>
          {links
            .filter((l) => l.roles.includes(session.role))
            .map((l) => (
              <Link
                key={l.to}
                to={l.to}
                className={path.startsWith(l.to) ? 'nav-link active' : 'nav-link'}
                aria-current={path.startsWith(l.to) ? 'page' : undefined}
              >
                {l.label}
              </Link>
            ))}
        </nav>
        <div className="topbar-right">
          <span className={connected ? 'live live-on' : 'live live-off'} role="status">
            {connected ? t('live.on') : t('live.off')}
          </span>
          <span className="who">
            {session.displayName} · {t(`role.${session.role}`)}
          </span>
          <button
            type="button"
            className="btn btn-quiet lang-switch"
            onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
            lang={lang === 'zh' ? 'en' : 'zh'}
          >
            {lang === 'zh' ? 'English' : '中文'}
          </button>
          <button
            type="button"
            className="btn btn-quiet"
            onClick={async () => {
              await hub.logout();
              onSignOut();
              navigate('/login', true);
            }}
          >
            {t('signOut')}
          </button>
        </div>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
