package io.github.ghlconnectif.inbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.ghlconnectif.ghl.GhlEventTypes;

/**
 * Merges the pending events of one contact into as few flow runs as keep their meaning. Consecutive contact changes
 * (create, update, tags, DND: the types {@link GhlEventTypes} marks {@code CONTACT_CHANGE}) become one, since the flow
 * fetches the contact anyway: a burst of 20 ContactUpdates is one fetch. Other consecutive events merge only when they
 * are the same type for the same entity (five NoteUpdates of one note). Nothing merges across a different event, so
 * the order of what happened is kept. Rule runs never merge.
 */
public final class Coalescer {

    private Coalescer() {
    }

    /** @param rows the rows of one contact in arrival order; {@code events} their parsed payloads */
    public static List<DispatchUnit> units(List<InboxRow> rows, List<Map<String, Object>> events) {
        List<DispatchUnit> units = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= rows.size(); i++) {
            if (i == rows.size() || !mergeClass(rows.get(i), events.get(i)).equals(mergeClass(rows.get(start), events.get(start)))) {
                units.add(new DispatchUnit(List.copyOf(rows.subList(start, i)), List.copyOf(events.subList(start, i))));
                start = i;
            }
        }
        return units;
    }

    private static String mergeClass(InboxRow row, Map<String, Object> event) {
        String type = row.event().type();
        if (Dispatcher.RULE_SOURCE.equals(row.event().source())) {
            // each rule run carries the facts of its own sync run
            return "rule:" + row.id();
        }
        Optional<GhlEventTypes.EventType> known = GhlEventTypes.find(type);
        if (known.isPresent() && known.get().coalescing() == GhlEventTypes.Coalescing.CONTACT_CHANGE) {
            return "contact-change";
        }
        Object entity = known.isPresent() ? known.get().entity().of(event).get("id") : event.get("id");
        return row.event().source() + ":" + type + ":" + entity;
    }
}
