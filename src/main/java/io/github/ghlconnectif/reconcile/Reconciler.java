package io.github.ghlconnectif.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.ghl.GhlCatalog;
import io.github.ghlconnectif.ghl.GhlClient;
import io.github.ghlconnectif.ghl.Priority;
import io.github.ghlconnectif.inbox.Inbox;
import io.github.ghlconnectif.inbox.InboxEvent;
import io.github.ghlconnectif.sync.SyncStateStore;
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

    /** What a run did: contacts enqueued, and how many GHL said match in all (-1 when unknown). */
    public record Progress(int enqueued, long total, boolean complete) {
    }

    private final String kind;
    private final GhlClient ghl;
    private final Inbox inbox;
    private final Watermarks watermarks;
    private final ObjectMapper mapper;
    private final int pageLimit;
    private final int maxPages;
    private final IntConsumer onEnqueued;
    private SyncStateStore taskPolls;
    private int taskPollLimit;

    /** The synthetic event type of a task poll, routed to the tasks flow. */
    public static final String TASK_POLL = "TaskPoll";

    /**
     * @param kind {@code reconcile} (changes since the last run) or {@code backfill} (every contact, from its own
     *             cursor); each keeps its own watermark
     */
    public Reconciler(String kind, GhlClient ghl, Inbox inbox, Watermarks watermarks, ObjectMapper mapper, int pageLimit,
            int maxPages, IntConsumer onEnqueued) {
        this.kind = kind;
        this.ghl = ghl;
        this.inbox = inbox;
        this.watermarks = watermarks;
        this.mapper = mapper;
        this.pageLimit = pageLimit;
        this.maxPages = maxPages;
        this.onEnqueued = onEnqueued;
    }

    /** Also polls the tasks of up to {@code limit} contacts with open tasks per run. */
    public Reconciler pollingOpenTasks(SyncStateStore states, int limit) {
        this.taskPolls = states;
        this.taskPollLimit = limit;
        return this;
    }

    /** One run for a location, at most {@code maxPages} pages; returns the contacts enqueued. */
    public int run(String locationId) {
        int enqueued = run(locationId, () -> false, progress -> { }).enqueued();
        enqueued += pollOpenTasks(locationId);
        if (enqueued > 0) {
            LOG.info("{} of location {}: {} changed contacts enqueued", kind, locationId, enqueued);
        }
        return enqueued;
    }

    /**
     * Pages through a location's contacts until the end, {@code maxPages}, or {@code stop} says so (checked before each
     * page), reporting after each page.
     */
    public Progress run(String locationId, BooleanSupplier stop, Consumer<Progress> report) {
        String key = kind.equals("reconcile") ? locationId : kind + ":" + locationId;
        Watermarks.Watermark mark = watermarks.find(key).orElse(new Watermarks.Watermark(EPOCH, null));
        int enqueued = 0;
        long total = -1;
        for (int page = 0; page < maxPages; page++) {
            if (stop.getAsBoolean()) {
                return new Progress(enqueued, total, false);
            }
            Map<?, ?> answer = search(locationId, mark);
            List<Map<String, Object>> contacts = contacts(answer);
            if (answer.get("total") instanceof Number number) {
                total = number.longValue();
            }
            if (contacts.isEmpty()) {
                return new Progress(enqueued, total, true);
            }
            List<InboxEvent> events = new ArrayList<>();
            for (Map<String, Object> contact : contacts) {
                events.add(event(locationId, contact));
            }
            int stored = 0;
            for (boolean accepted : inbox.accept(events)) {
                stored += accepted ? 1 : 0;
            }
            enqueued += stored;
            Map<String, Object> last = contacts.get(contacts.size() - 1);
            mark = new Watermarks.Watermark(String.valueOf(last.getOrDefault("dateUpdated", mark.dateUpdated())),
                    last.get("searchAfter") == null ? null : json(last.get("searchAfter")));
            watermarks.save(key, mark);
            onEnqueued.accept(stored);
            report.accept(new Progress(enqueued, total, false));
            if (contacts.size() < pageLimit) {
                return new Progress(enqueued, total, true);
            }
        }
        return new Progress(enqueued, total, false);
    }

    /** Enqueues a task poll for the contacts with open tasks polled longest ago, at most {@code taskPolls} a run. */
    private int pollOpenTasks(String locationId) {
        if (taskPolls == null || taskPollLimit <= 0) {
            return 0;
        }
        List<InboxEvent> polls = new ArrayList<>();
        String slot = Instant.now().toString();
        for (String contactId : taskPolls.takeContactsWithOpenTasks(locationId, taskPollLimit)) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("type", TASK_POLL);
            payload.put("locationId", locationId);
            payload.put("contactId", contactId);
            payload.put("background", true);
            polls.add(new InboxEvent("taskpoll:" + contactId + ":" + slot, GhlEventReader.SOURCE, TASK_POLL, locationId,
                    contactId, json(payload)));
        }
        int stored = 0;
        if (!polls.isEmpty()) {
            for (boolean accepted : inbox.accept(polls)) {
                stored += accepted ? 1 : 0;
            }
            onEnqueued.accept(stored);
        }
        return stored;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> contacts(Map<?, ?> answer) {
        return answer.get("contacts") instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    private Map<?, ?> search(String locationId, Watermarks.Watermark mark) {
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
        return answer instanceof Map<?, ?> map ? map : Map.of();
    }

    private InboxEvent event(String locationId, Map<String, Object> contact) {
        String id = String.valueOf(contact.get("id"));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "ContactUpdate");
        payload.put("locationId", locationId);
        payload.put("id", id);
        payload.put("dateUpdated", contact.get("dateUpdated"));
        payload.put("background", true);
        if (kind.equals("backfill")) {
            payload.put("backfill", true);
        }
        return new InboxEvent(kind + ":" + id + ":" + contact.get("dateUpdated"), GhlEventReader.SOURCE, "ContactUpdate",
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
