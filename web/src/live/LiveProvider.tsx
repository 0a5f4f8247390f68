import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useAuth } from '../auth/AuthContext';
import { openLiveStream, type LiveEvent } from './stream';

interface LiveState {
  status: 'connecting' | 'open' | 'closed';
  lastEvent?: LiveEvent;
  /** Listen to every event (returns the unsubscribe function). */
  subscribe(listener: (event: LiveEvent) => void): () => void;
}

const LiveContext = createContext<LiveState>({ status: 'closed', subscribe: () => () => {} });

/**
 * One live stream per logged-in tab. Every committed change refreshes the queries on screen
 * (batched: a burst of events costs one refetch), so numbers change without reloading.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const { token } = useAuth();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveState['status']>('connecting');
  const [lastEvent, setLastEvent] = useState<LiveEvent>();
  const listeners = useRef(new Set<(event: LiveEvent) => void>());

  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    void openLiveStream({
      signal: controller.signal,
      onStatus: setStatus,
      onEvent: (event) => {
        setLastEvent(event);
        for (const l of listeners.current) l(event);
        if (timer === undefined) {
          timer = setTimeout(() => {
            timer = undefined;
            void queryClient.invalidateQueries();
          }, 300);
        }
      },
    });
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [token, queryClient]);

  const value: LiveState = {
    status,
    lastEvent,
    subscribe: (listener) => {
      listeners.current.add(listener);
      return () => listeners.current.delete(listener);
    },
  };
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveState {
  return useContext(LiveContext);
}
