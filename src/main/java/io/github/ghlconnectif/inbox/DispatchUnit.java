package io.github.ghlconnectif.inbox;

import java.util.List;
import java.util.Map;

/**
 * Events of one contact handed to the flows as one: coalesced rows, the last of which leads.
 *
 * @param rows   the inbox rows, in arrival order
 * @param events their parsed payloads, in the same order
 */
public record DispatchUnit(List<InboxRow> rows, List<Map<String, Object>> events) {

    public InboxRow lead() {
        return rows.get(rows.size() - 1);
    }

    public Map<String, Object> leadEvent() {
        return events.get(events.size() - 1);
    }

    /** The type of every event, in arrival order. */
    public List<String> types() {
        return rows.stream().map(row -> row.event().type()).toList();
    }

    public List<Long> ids() {
        return rows.stream().map(InboxRow::id).toList();
    }
}
