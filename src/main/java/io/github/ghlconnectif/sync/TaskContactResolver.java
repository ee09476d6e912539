package io.github.ghlconnectif.sync;

import static io.github.ghlconnectif.sync.SyncVariables.map;
import static io.github.ghlconnectif.sync.SyncVariables.text;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.ghlconnectif.ghl.GhlCatalog;
import io.github.ghlconnectif.ghl.GhlClient;
import io.github.ghlconnectif.ghl.Priority;
import io.github.ghlconnectif.inbox.FlowHeaders;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the contact of a task event that GHL sent without {@code contactId} (a known GHL defect). Tasks are reachable
 * only under their contact, so the tasks of the contacts changed most recently in the location are looked through,
 * up to {@code sync.task-resolve.contacts} of them; a task is mostly added to a contact someone is working on. When
 * it is not found there, the task is picked up at its contact's next tasks sync.
 */
public final class TaskContactResolver {

    private static final Logger LOG = LoggerFactory.getLogger(TaskContactResolver.class);

    private final GhlClient ghl;
    private final int contacts;

    public TaskContactResolver(GhlClient ghl, int contacts) {
        this.ghl = ghl;
        this.contacts = contacts;
    }

    /** Body: the task event; sets header {@code contactId} when the task is found. */
    public void resolve(Exchange exchange) {
        String taskId = text(map(exchange.getMessage().getBody()), "id");
        String locationId = exchange.getMessage().getHeader(FlowHeaders.LOCATION_ID, String.class);
        if (taskId == null || locationId == null || contacts <= 0) {
            return;
        }
        Map<String, Object> search = new LinkedHashMap<>();
        search.put("locationId", locationId);
        search.put("pageLimit", contacts);
        search.put("sort", List.of(Map.of("field", "dateUpdated", "direction", "desc")));
        Object found = ghl.call(GhlCatalog.get("search-contacts"), locationId, Map.of(), search, Priority.LIVE);
        List<?> recent = map(found).get("contacts") instanceof List<?> list ? list : List.of();
        for (Object contact : recent) {
            String contactId = text(map(contact), "id");
            if (contactId != null && hasTask(locationId, contactId, taskId)) {
                LOG.info("Task {} came without its contact; found under contact {}", taskId, contactId);
                exchange.getMessage().setHeader(FlowHeaders.CONTACT_ID, contactId);
                return;
            }
        }
    }

    private boolean hasTask(String locationId, String contactId, String taskId) {
        Object answer = ghl.call(GhlCatalog.get("list-tasks"), locationId, Map.of("contactId", contactId), null, Priority.LIVE);
        return map(answer).get("tasks") instanceof List<?> tasks
                && tasks.stream().anyMatch(task -> taskId.equals(text(map(task), "id")));
    }
}
