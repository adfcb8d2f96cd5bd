import type { AppController } from '../state/controller.js';
import type { Clock } from '../state/engine.js';
import { App } from './App.js';
import { AppContext } from './context.js';

export interface RootProps {
  controller: AppController;
  clock: Clock;
}

export function Root({ controller, clock }: RootProps) {
  return (
    <AppContext.Provider value={{ controller, clock }}>
      <App />
    </AppContext.Provider>
  );
}
