import { LOG_LEVELS } from "@mina-local/engine";
import { lineClassifier } from "./classify.js";
import type { LineClassifier } from "./classify.js";

/**
 * The levels the event parser turns into Log_error events (Mina's Warn and Faulty_peer
 * are soft errors, Error and Fatal hard ones: `errorSeverity` in @mina-local/event-parser,
 * which must stay in step with this list).
 */
export const EVENT_LEVELS = ["Warn", "Faulty_peer", "Error", "Fatal"] as const;

/**
 * The classifier for Mina's lines as the event parser reads them: its levels and the levels
 * that are events. The parser knows events by their event_id only (a real daemon's messages
 * repeat across events), so any line with an event_id is handed over, whatever the table.
 */
export function minaLineClassifier(): LineClassifier {
  return lineClassifier({ levels: LOG_LEVELS, eventLevels: EVENT_LEVELS });
}
