package io.github.ghlconnectif.writeback;

import static io.github.ghlconnectif.connectif.ConnectifModel.NOTE;
import static io.github.ghlconnectif.connectif.ConnectifModel.TAG_ADDED;
import static io.github.ghlconnectif.connectif.ConnectifModel.TAG_REMOVED;
import static io.github.ghlconnectif.connectif.ConnectifModel.TASK_COMPLETED;
import static io.github.ghlconnectif.connectif.ConnectifModel.TASK_CREATED;
import static io.github.ghlconnectif.connectif.ConnectifModel.TASK_DELETED;
import static io.github.ghlconnectif.connectif.ConnectifModel.TASK_UPDATED;

import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.ghlconnectif.ghl.GhlCatalog;
import io.github.ghlconnectif.ghl.GhlClient;
import io.github.ghlconnectif.ghl.Priority;
import io.github.ghlconnectif.inbox.FlowHeaders;
import io.github.ghlconnectif.sync.FieldMapping;
import io.github.ghlconnectif.sync.Times;
import org.apache.camel.Exchange;

/**
 * The decisions of the write-back flow ({@code routes/connectif-actions.camel.yaml}): which GHL contact an action is for
 * (by {@code ghlContactId}, else by email through GHL's duplicate lookup, else created where the action allows), the
 * GHL operation and body, and the marks that keep the resulting webhooks from being echoed back.
 */
public final class WriteBack {

    /** Header naming the GHL operation the flow calls. */
    public static final String OPERATION = "ghlOperation";
    static final String REQUEST = "writeRequest";

    private final GhlClient ghl;
    private final FieldMapping mapping;
    private final OwnWrites ownWrites;

    public WriteBack(GhlClient ghl, FieldMapping mapping, OwnWrites ownWrites) {
        this.ghl = ghl;
        this.mapping = mapping;
        this.ownWrites = ownWrites;
    }

    /** Body in: the stored request. Body out: the GHL body; headers contactId, taskId and ghlOperation set. */
    public void prepare(Exchange exchange) {
        Map<String, Object> request = map(exchange.getMessage().getBody());
        exchange.setVariable(REQUEST, request);
        WriteAction action = WriteAction.find(text(request, "action")).orElseThrow(() ->
                new IllegalArgumentException("unknown action " + request.get("action")));
        String locationId = exchange.getMessage().getHeader(FlowHeaders.LOCATION_ID, String.class);
        String contactId = contactId(action, request, locationId);
        exchange.getMessage().setHeader(FlowHeaders.CONTACT_ID, contactId);
        if (request.get("taskId") != null) {
            exchange.getMessage().setHeader("taskId", text(request, "taskId"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        String operation = switch (action) {
            case UPSERT_CONTACT, UPDATE_CONTACT -> {
                body.putAll(contactFields(request));
                yield "update-contact";
            }
            case DELETE_CONTACT -> "delete-contact";
            case ADD_TAGS, REMOVE_TAGS -> {
                body.put("tags", tags(request.get("tags")));
                yield action == WriteAction.ADD_TAGS ? "add-tags" : "remove-tags";
            }
            case CREATE_TASK -> {
                body.put("title", text(request, "title"));
                putIfPresent(body, "body", text(request, "body"));
                body.put("dueDate", utc(text(request, "dueDate"), "dueDate"));
                body.put("completed", false);
                yield "create-task";
            }
            case UPDATE_TASK -> {
                putIfPresent(body, "title", text(request, "title"));
                putIfPresent(body, "body", text(request, "body"));
                if (request.get("dueDate") != null) {
                    body.put("dueDate", utc(text(request, "dueDate"), "dueDate"));
                }
                if (request.get("completed") != null) {
                    body.put("completed", Boolean.parseBoolean(String.valueOf(request.get("completed"))));
                }
                yield "update-task";
            }
            case COMPLETE_TASK -> {
                body.put("completed", true);
                yield "complete-task";
            }
            case DELETE_TASK -> "delete-task";
            case ADD_NOTE -> {
                body.put("body", text(request, "body"));
                yield "create-note";
            }
        };
        exchange.getMessage().setHeader(OPERATION, operation);
        exchange.getMessage().setBody(body);
    }

    /** After GHL accepted the write: remembers the events its webhooks will cause, so that they are not sent back. */
    public void remember(Exchange exchange) {
        Map<String, Object> request = exchange.getVariable(REQUEST, Map.class);
        Map<String, Object> answer = map(exchange.getMessage().getBody());
        String contactId = exchange.getMessage().getHeader(FlowHeaders.CONTACT_ID, String.class);
        String taskId = exchange.getMessage().getHeader("taskId", String.class);
        List<String> marks = new ArrayList<>();
        switch (exchange.getMessage().getHeader(OPERATION, String.class)) {
            case "add-tags" -> tags(request.get("tags")).forEach(tag -> marks.add(OwnWrites.marker(TAG_ADDED, OwnWrites.tagId(contactId, tag))));
            case "remove-tags" -> tags(request.get("tags")).forEach(tag -> marks.add(OwnWrites.marker(TAG_REMOVED, OwnWrites.tagId(contactId, tag))));
            case "create-task" -> marks.add(OwnWrites.marker(TASK_CREATED, map(answer.get("task")).get("id")));
            case "update-task" -> {
                marks.add(OwnWrites.marker(TASK_UPDATED, taskId));
                if (Boolean.parseBoolean(String.valueOf(request.get("completed")))) {
                    marks.add(OwnWrites.marker(TASK_COMPLETED, taskId));
                }
            }
            case "complete-task" -> marks.add(OwnWrites.marker(TASK_COMPLETED, taskId));
            case "delete-task" -> marks.add(OwnWrites.marker(TASK_DELETED, taskId));
            case "create-note" -> marks.add(OwnWrites.marker(NOTE, "created:" + map(answer.get("note")).get("id")));
            default -> { }
        }
        ownWrites.remember(marks);
    }

    private String contactId(WriteAction action, Map<String, Object> request, String locationId) {
        String contactId = text(request, "ghlContactId");
        if (contactId != null) {
            return contactId;
        }
        String email = text(request, "email");
        Object found = ghl.call(GhlCatalog.get("find-duplicate-contact"), locationId, Map.of("email", email), null,
                Priority.LIVE);
        String id = text(map(map(found).get("contact")), "id");
        if (id != null) {
            return id;
        }
        if (!action.mayCreateContact()) {
            throw new IllegalArgumentException("GHL has no contact with email " + email + " for " + action.id());
        }
        Map<String, Object> contact = new LinkedHashMap<>(contactFields(request));
        contact.put("email", email);
        Object created = ghl.call(GhlCatalog.get("upsert-contact"), locationId, Map.of(), contact, Priority.LIVE);
        return text(map(map(created).get("contact")), "id");
    }

    /** Connectif field ids in the request mapped back to GHL fields through mapping.yaml. */
    private Map<String, Object> contactFields(Map<String, Object> request) {
        Map<String, Object> fields = new LinkedHashMap<>();
        List<Map<String, Object>> custom = new ArrayList<>();
        for (FieldMapping.Rule rule : mapping.rules()) {
            Object value = request.get(rule.connectif());
            if (value == null || rule.type().equals("consent")) {
                continue;
            }
            if (rule.ghl().startsWith("customField.")) {
                custom.add(Map.of("id", rule.ghl().substring("customField.".length()), "field_value", value));
            } else if (!rule.ghl().contains(".")) {
                fields.put(rule.ghl(), value);
            }
        }
        if (!custom.isEmpty()) {
            fields.put("customFields", custom);
        }
        return fields;
    }

    static String utc(String time, String field) {
        try {
            return Times.toUtc(time.length() == 10 ? time + "T00:00:00Z" : time);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("field " + field + " is not an ISO-8601 date-time with a zone: " + time);
        }
    }

    static List<String> tags(Object value) {
        List<String> tags = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(tag -> tags.add(String.valueOf(tag).trim()));
        } else if (value != null) {
            for (String tag : String.valueOf(value).split("\\|")) {
                tags.add(tag.trim());
            }
        }
        tags.removeIf(String::isEmpty);
        return tags;
    }

    private static void putIfPresent(Map<String, Object> body, String field, Object value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static String text(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value);
    }
}
