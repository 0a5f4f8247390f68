import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useAuth } from './auth/AuthContext';
import { PageLoading } from './components/PageLoading';

const LoginPage = lazy(() => import('./pages/LoginPage'));
const DesktopApp = lazy(() => import('./desktop/DesktopApp'));
// The phone screens (scanning, labels) live in web/src/mobile and load only on /m/*.
const MobileApp = lazy(() => import('./mobile/MobileApp'));

function RequireLogin({ children }: { children: React.ReactNode }) {
  const { session } = useAuth();
  const location = useLocation();
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

export function App() {
  return (
    <Suspense fallback={<PageLoading />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/m/*" element={<RequireLogin><MobileApp /></RequireLogin>} />
        <Route path="/*" element={<RequireLogin><DesktopApp /></RequireLogin>} />
      </Routes>
    </Suspense>
  );
}
