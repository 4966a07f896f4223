import { LOG_LEVELS, STRUCTURED_EVENTS } from "@mina-local/engine";
import { lineClassifier } from "./classify.js";
import type { LineClassifier } from "./classify.js";

/**
 * The levels the event parser turns into Log_error events (Mina's Warn and Faulty_peer
 * are soft errors, Error and Fatal hard ones: `errorSeverity` in @mina-local/event-parser,
 * which must stay in step with this list).
 */
export const EVENT_LEVELS = ["Warn", "Faulty_peer", "Error", "Fatal"] as const;

/**
 * The classifier for Mina's lines as the event parser reads them: its levels, the levels
 * that are events, and every structured event's message template (events are also known
 * by template when a daemon's event ids differ).
 */
export function minaLineClassifier(): LineClassifier {
  return lineClassifier({ levels: LOG_LEVELS, eventLevels: EVENT_LEVELS, templates: Object.values(STRUCTURED_EVENTS).map((event) => event.message) });
}
