package io.github.ghlconnectif.reconcile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.ghl.GhlCatalog;
import io.github.ghlconnectif.ghl.GhlClient;
import io.github.ghlconnectif.ghl.Priority;
import io.github.ghlconnectif.inbox.Inbox;
import io.github.ghlconnectif.inbox.InboxEvent;
import io.github.ghlconnectif.webhook.GhlEventReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catches what webhooks missed (the connector was down, GHL lost one): searches a location's contacts by
 * {@code dateUpdated}, oldest first, from a persisted watermark, paging with {@code searchAfter}, and enqueues each
 * contact found as a ContactUpdate through the same inbox and dispatcher as live events (its key makes a repeat a
 * duplicate; a pending event of the same contact coalesces with it). The watermark moves only after a page is stored.
 * Its GHL calls are background work: live events go first.
 */
public final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final String EPOCH = "1970-01-01T00:00:00.000Z";

    private final GhlClient ghl;
    private final Inbox inbox;
    private final Watermarks watermarks;
    private final ObjectMapper mapper;
    private final int pageLimit;
    private final int maxPages;
    private final IntConsumer onEnqueued;

    public Reconciler(GhlClient ghl, Inbox inbox, Watermarks watermarks, ObjectMapper mapper, int pageLimit, int maxPages,
            IntConsumer onEnqueued) {
        this.ghl = ghl;
        this.inbox = inbox;
        this.watermarks = watermarks;
        this.mapper = mapper;
        this.pageLimit = pageLimit;
        this.maxPages = maxPages;
        this.onEnqueued = onEnqueued;
    }

    /** One run for a location, at most {@code maxPages} pages; returns the contacts enqueued. */
    public int run(String locationId) {
        Watermarks.Watermark mark = watermarks.find(locationId).orElse(new Watermarks.Watermark(EPOCH, null));
        int enqueued = 0;
        for (int page = 0; page < maxPages; page++) {
            List<Map<String, Object>> contacts = search(locationId, mark);
            if (contacts.isEmpty()) {
                break;
            }
            List<InboxEvent> events = new ArrayList<>();
            for (Map<String, Object> contact : contacts) {
                events.add(event(locationId, contact));
            }
            for (boolean stored : inbox.accept(events)) {
                enqueued += stored ? 1 : 0;
            }
            Map<String, Object> last = contacts.get(contacts.size() - 1);
            mark = new Watermarks.Watermark(String.valueOf(last.getOrDefault("dateUpdated", mark.dateUpdated())),
                    last.get("searchAfter") == null ? null : json(last.get("searchAfter")));
            watermarks.save(locationId, mark);
            if (contacts.size() < pageLimit) {
                break;
            }
        }
        onEnqueued.accept(enqueued);
        if (enqueued > 0) {
            LOG.info("Reconciliation of location {}: {} contacts changed since the last run were enqueued", locationId, enqueued);
        }
        return enqueued;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> search(String locationId, Watermarks.Watermark mark) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("locationId", locationId);
        body.put("pageLimit", pageLimit);
        body.put("filters", List.of(Map.of("field", "dateUpdated", "operator", "range",
                "value", Map.of("gte", mark.dateUpdated()))));
        body.put("sort", List.of(Map.of("field", "dateUpdated", "direction", "asc")));
        if (mark.searchAfter() != null) {
            body.put("searchAfter", read(mark.searchAfter()));
        }
        Object answer = ghl.call(GhlCatalog.get("search-contacts"), locationId, Map.of(), body, Priority.BACKGROUND);
        Object contacts = answer instanceof Map<?, ?> map ? map.get("contacts") : null;
        return contacts instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    private InboxEvent event(String locationId, Map<String, Object> contact) {
        String id = String.valueOf(contact.get("id"));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "ContactUpdate");
        payload.put("locationId", locationId);
        payload.put("id", id);
        payload.put("dateUpdated", contact.get("dateUpdated"));
        payload.put("reconciled", true);
        return new InboxEvent("reconcile:" + id + ":" + contact.get("dateUpdated"), GhlEventReader.SOURCE, "ContactUpdate",
                locationId, id, json(payload));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object read(String json) {
        try {
            return mapper.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
