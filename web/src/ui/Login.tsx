import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from '../router.tsx';
import { useSessionActions } from '../session.tsx';
import { ProblemMessage } from './problem.tsx';

export function Login() {
  const { t, i18n } = useTranslation();
  const { login } = useSessionActions();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email, password);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card narrow" onSubmit={submit}>
      <h1>{t('login.title')}</h1>
      <label>
        {t('login.email')}
        <input
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <label>
        {t('login.password')}
        <input
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <ProblemMessage error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {t('login.submit')}
      </button>
      <p>
        <Link to="/report">{t('public.link')}</Link>
      </p>
      <p>
        {/* The public report is a page of the server, not of the console. */}
        <a href={`/transparency?lang=${i18n.language}`}>{t('login.transparency')}</a>
      </p>
    </form>
  );
}
