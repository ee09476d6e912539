package io.github.ghlconnectif.ghl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.ghlconnectif.ghl.GhlOperation.Body;

/** Every GHL operation the connector can call, keyed by its fixed operation id. */
public final class GhlCatalog {

    private static final String READ = "contacts.readonly";
    private static final String WRITE = "contacts.write";

    private static final List<GhlOperation> OPERATIONS = List.of(
            read("get-contact", "GET", "/contacts/{contactId}", "Get a contact by id"),
            query("list-contacts", "/contacts/", List.of("locationId", "query", "limit", "startAfterId", "startAfter"),
                    List.of("locationId"), "List contacts (deprecated by GHL; prefer search-contacts)"),
            new GhlOperation("search-contacts", "POST", "/contacts/search", List.of(), List.of(), Body.OPTIONAL, true, READ,
                    "Search contacts: filters, sort, pageLimit, and searchAfter paging past 10,000 results"),
            query("list-business-contacts", "/contacts/business/{businessId}",
                    List.of("locationId", "limit", "skip", "query"), List.of("locationId"), "List the contacts of a business"),
            query("find-duplicate-contact", "/contacts/search/duplicate", List.of("locationId", "email", "number"),
                    List.of("locationId"), "Find the contact a new one would duplicate, by email or phone number"),
            write("create-contact", "POST", "/contacts/", Body.REQUIRED, true, "Create a contact"),
            write("upsert-contact", "POST", "/contacts/upsert", Body.REQUIRED, true,
                    "Create or update a contact, matched by the location's duplicate rules"),
            write("update-contact", "PUT", "/contacts/{contactId}", Body.REQUIRED, false,
                    "Update a contact (tags given here replace all tags)"),
            write("delete-contact", "DELETE", "/contacts/{contactId}", Body.NONE, false, "Delete a contact"),
            read("list-tasks", "GET", "/contacts/{contactId}/tasks", "List the tasks of a contact"),
            read("get-task", "GET", "/contacts/{contactId}/tasks/{taskId}", "Get one task"),
            write("create-task", "POST", "/contacts/{contactId}/tasks", Body.REQUIRED, false,
                    "Create a task (title, dueDate and completed are required)"),
            write("update-task", "PUT", "/contacts/{contactId}/tasks/{taskId}", Body.REQUIRED, false, "Update a task"),
            write("complete-task", "PUT", "/contacts/{contactId}/tasks/{taskId}/completed", Body.REQUIRED, false,
                    "Mark a task completed or not: {\"completed\": true}"),
            write("delete-task", "DELETE", "/contacts/{contactId}/tasks/{taskId}", Body.NONE, false, "Delete a task"),
            read("list-notes", "GET", "/contacts/{contactId}/notes", "List the notes of a contact"),
            read("get-note", "GET", "/contacts/{contactId}/notes/{noteId}", "Get one note"),
            write("create-note", "POST", "/contacts/{contactId}/notes", Body.REQUIRED, false, "Add a note (body is required)"),
            write("update-note", "PUT", "/contacts/{contactId}/notes/{noteId}", Body.REQUIRED, false, "Update a note"),
            write("delete-note", "DELETE", "/contacts/{contactId}/notes/{noteId}", Body.NONE, false, "Delete a note"),
            read("list-appointments", "GET", "/contacts/{contactId}/appointments",
                    "List the appointments of a contact (times without zone)"),
            write("add-tags", "POST", "/contacts/{contactId}/tags", Body.REQUIRED, false, "Add tags: {\"tags\": [...]}"),
            write("remove-tags", "DELETE", "/contacts/{contactId}/tags", Body.REQUIRED, false,
                    "Remove tags: {\"tags\": [...]} (a DELETE with a JSON body)"),
            write("bulk-update-tags", "POST", "/contacts/bulk/tags/update/{type}", Body.REQUIRED, true,
                    "Add or remove tags on many contacts; type is add or remove"),
            write("bulk-update-business", "POST", "/contacts/bulk/business", Body.REQUIRED, true,
                    "Add contacts to a business, or remove them with businessId null"),
            write("add-followers", "POST", "/contacts/{contactId}/followers", Body.REQUIRED, false,
                    "Add followers: {\"followers\": [userId...]}"),
            write("remove-followers", "DELETE", "/contacts/{contactId}/followers", Body.REQUIRED, false,
                    "Remove followers: {\"followers\": [userId...]}"),
            write("add-to-campaign", "POST", "/contacts/{contactId}/campaigns/{campaignId}", Body.OPTIONAL, false,
                    "Add the contact to a campaign"),
            write("remove-from-campaign", "DELETE", "/contacts/{contactId}/campaigns/{campaignId}", Body.NONE, false,
                    "Remove the contact from a campaign"),
            write("remove-from-all-campaigns", "DELETE", "/contacts/{contactId}/campaigns/removeAll", Body.NONE, false,
                    "Remove the contact from every campaign"),
            write("add-to-workflow", "POST", "/contacts/{contactId}/workflow/{workflowId}", Body.OPTIONAL, false,
                    "Add the contact to a workflow, optionally from eventStartTime"),
            write("remove-from-workflow", "DELETE", "/contacts/{contactId}/workflow/{workflowId}", Body.OPTIONAL, false,
                    "Remove the contact from a workflow"),
            new GhlOperation("get-business", "GET", "/businesses/{businessId}", List.of(), List.of(), Body.NONE, false,
                    "businesses.readonly", "Get a business by id"));

    private static final Map<String, GhlOperation> BY_ID = new LinkedHashMap<>();

    static {
        OPERATIONS.forEach(operation -> BY_ID.put(operation.id(), operation));
    }

    private GhlCatalog() {
    }

    public static List<GhlOperation> operations() {
        return OPERATIONS;
    }

    public static Optional<GhlOperation> find(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    public static GhlOperation get(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException(
                "Unknown GHL operation '" + id + "'; run the catalog command for the list"));
    }

    private static GhlOperation read(String id, String method, String path, String summary) {
        return new GhlOperation(id, method, path, List.of(), List.of(), Body.NONE, false, READ, summary);
    }

    private static GhlOperation query(String id, String path, List<String> params, List<String> required, String summary) {
        return new GhlOperation(id, "GET", path, params, required, Body.NONE, false, READ, summary);
    }

    private static GhlOperation write(String id, String method, String path, Body body, boolean bodyHasLocation,
            String summary) {
        return new GhlOperation(id, method, path, List.of(), List.of(), body, bodyHasLocation, WRITE, summary);
    }
}
