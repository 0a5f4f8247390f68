import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { QueryClient, QueryClientProvider, onlineManager } from '@tanstack/react-query';
import { AuthProvider } from './auth/AuthContext';
import { ApiError } from './api/client';
import { AntdProvider } from './i18n/AntdProvider';
import { App } from './App';
import { keepPhoneReadsOffline } from './offline/readCache';
import { registerServiceWorker } from './offline/serviceWorker';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      refetchOnWindowFocus: false,
      // 4xx answers do not get better by asking again.
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
});

// TanStack Query assumes online until an `offline` event: a page opened with no network would
// spend its retries and show errors instead of pausing its queries until the connection is back.
onlineManager.setOnline(navigator.onLine);
keepPhoneReadsOffline(queryClient);
registerServiceWorker();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AuthProvider>
        <AntdProvider>
          <BrowserRouter>
            <App />
          </BrowserRouter>
        </AntdProvider>
      </AuthProvider>
    </QueryClientProvider>
  </StrictMode>,
);
