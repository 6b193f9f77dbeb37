import { createContext, useContext } from 'react';
import type { EventReporter } from '../utils/event-reporter';

export const EventReporterContext = createContext<EventReporter | null>(null);

export function useEventReporter(): EventReporter | null {
  return useContext(EventReporterContext);
}
