import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppController } from '../state/controller.js';
import type { Clock } from '../state/engine.js';
import type { AppState } from '../state/store.js';

export interface AppContextValue {
  controller: AppController;
  clock: Clock;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useAppContext(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('the app needs <Root> around it');
  return value;
}

/** Reads the store; select primitives or stable references so a component re-renders only when they change. */
export function useAppState<T>(selector: (state: AppState) => T): T {
  return useStore(useAppContext().controller.store, selector);
}
