import { useEffect, useState, type ReactNode } from 'react';
import { postEvents } from '../api/post-events';
import { EventReporterContext } from '../hooks/event-reporter-context';
import { createEventReporter, type EventSender } from '../utils/event-reporter';

type Props = { children: ReactNode; send?: EventSender; flushMs?: number };

export function EventReporterProvider({ children, send = postEvents, flushMs }: Props) {
  // Created once: the set of already reported impressions must survive re-renders.
  const [reporter] = useState(() => createEventReporter({ send, flushMs }));
  useEffect(() => reporter.attach(), [reporter]);
  return <EventReporterContext.Provider value={reporter}>{children}</EventReporterContext.Provider>;
}
