package io.github.ghlconnectif.sandbox;

import static io.github.ghlconnectif.sandbox.GhlAnswers.error;
import static io.github.ghlconnectif.sandbox.GhlAnswers.notFound;
import static io.github.ghlconnectif.sandbox.GhlAnswers.unprocessable;
import static io.github.ghlconnectif.sandbox.GhlAnswers.wrongLocation;
import static io.github.ghlconnectif.sandbox.GhlData.event;
import static io.github.ghlconnectif.sandbox.GhlData.name;
import static io.github.ghlconnectif.sandbox.GhlData.phone;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.github.ghlconnectif.sandbox.SimulatorServer.Answer;
import io.github.ghlconnectif.sandbox.SimulatorServer.Request;

/**
 * The simulated GHL's contacts: create, upsert, read, update, delete, tags, followers, workflows, campaigns and
 * businesses, with ContactCreate, ContactUpdate, ContactTagUpdate and ContactDelete; a contact's tasks, notes and
 * appointments go to their own resources.
 */
final class GhlContacts {

    private static final Set<String> CONTACT_INPUT = Set.of("firstName", "lastName", "name", "email", "phone", "tags",
            "dnd", "dndSettings", "customFields", "source", "address1", "city", "state", "postalCode", "website",
            "timezone", "country", "companyName", "dateOfBirth", "assignedTo", "gender");

    private final GhlData data;
    private final GhlContactSearch lookup;
    private final GhlTasks tasksApi;
    private final GhlNotes notesApi;
    private final GhlAppointments appointmentsApi;

    GhlContacts(GhlData data, GhlTasks tasksApi, GhlNotes notesApi, GhlAppointments appointmentsApi) {
        this.data = data;
        this.lookup = new GhlContactSearch(data);
        this.tasksApi = tasksApi;
        this.notesApi = notesApi;
        this.appointmentsApi = appointmentsApi;
    }

    /** {@code /contacts/...} and {@code /businesses/{businessId}}, for the token's location. */
    Answer answer(Request request, List<String> path, String locationId) throws Exception {
        String method = request.method();
        if (path.size() == 2 && path.get(0).equals("businesses") && method.equals("GET")) {
            Map<String, Object> business = data.businesses.get(path.get(1));
            return business == null || !locationId.equals(business.get("locationId"))
                    ? error(400, "Business not found", "Bad Request") : Answer.json(200, Map.of("business", data.copy(business)));
        }
        if (path.isEmpty() || !path.get(0).equals("contacts")) {
            return notFound(request);
        }
        Map<String, Object> body = request.body().isBlank() ? new LinkedHashMap<>() : data.json(request.body());
        if (path.size() == 1 && method.equals("POST")) {
            return createContactByApi(locationId, body);
        }
        if (path.size() == 1 && method.equals("GET")) {
            return lookup.list(locationId, request.query(), null);
        }
        if (path.size() == 3 && path.get(1).equals("business") && method.equals("GET")) {
            return lookup.list(locationId, request.query(), path.get(2));
        }
        if (path.size() == 5 && path.subList(1, 4).equals(List.of("bulk", "tags", "update")) && method.equals("POST")) {
            return bulkTags(locationId, path.get(4), body);
        }
        if (path.size() == 3 && path.get(1).equals("bulk") && path.get(2).equals("business") && method.equals("POST")) {
            return bulkBusiness(locationId, body);
        }
        if (path.size() == 2 && path.get(1).equals("upsert") && method.equals("POST")) {
            return upsertContactByApi(locationId, body);
        }
        if (path.size() == 2 && path.get(1).equals("search") && method.equals("POST")) {
            return lookup.search(locationId, body);
        }
        if (path.size() == 3 && path.get(1).equals("search") && path.get(2).equals("duplicate") && method.equals("GET")) {
            return lookup.duplicate(locationId, request.query());
        }
        if (path.size() < 2) {
            return notFound(request);
        }
        Map<String, Object> contact = data.contacts.get(path.get(1));
        if (contact == null || !locationId.equals(contact.get("locationId"))) {
            return error(400, "Contact not found", "Bad Request");
        }
        String contactId = path.get(1);
        if (path.size() == 2) {
            return switch (method) {
                case "GET" -> Answer.json(200, Map.of("contact", data.copy(contact)));
                case "PUT" -> body.containsKey("locationId")
                        ? unprocessable("property locationId should not exist")
                        : Answer.json(200, Map.of("succeded", true, "contact", data.copy(changeContact(contact, body, true))));
                case "DELETE" -> {
                    removeContact(contact, true);
                    yield Answer.json(200, Map.of("succeded", true));
                }
                default -> notFound(request);
            };
        }
        String collection = path.get(2);
        if (collection.equals("tags") && path.size() == 3 && (method.equals("POST") || method.equals("DELETE"))) {
            if (!(body.get("tags") instanceof List<?> list) || list.isEmpty()) {
                return unprocessable("tags must be an array", "tags should not be empty");
            }
            List<String> tags = list.stream().map(String::valueOf).toList();
            boolean add = method.equals("POST");
            return Answer.json(add ? 201 : 200, Map.of("tags", changeTags(contact, tags, add, true)));
        }
        if (collection.equals("followers") && path.size() == 3 && (method.equals("POST") || method.equals("DELETE"))) {
            return followers(contact, body, method.equals("POST"));
        }
        if (collection.equals("workflow") && path.size() == 4 && (method.equals("POST") || method.equals("DELETE"))) {
            boolean add = method.equals("POST");
            Set<String> in = data.workflows.computeIfAbsent(contactId, id -> new LinkedHashSet<>());
            boolean changed = add ? in.add(path.get(3)) : in.remove(path.get(3));
            data.api((add ? "added " : "removed ") + name(contact) + (add ? " to" : " from") + " workflow " + path.get(3)
                    + (changed ? "" : (add ? " (already in it)" : " (not in it)")));
            return Answer.json(200, Map.of("succeded", true));
        }
        if (collection.equals("campaigns") && path.size() == 4 && path.get(3).equals("removeAll") && method.equals("DELETE")) {
            data.campaigns.remove(contactId);
            data.api("removed " + name(contact) + " from every campaign");
            return Answer.json(200, Map.of("succeded", true));
        }
        if (collection.equals("campaigns") && path.size() == 4 && (method.equals("POST") || method.equals("DELETE"))) {
            boolean add = method.equals("POST");
            Set<String> in = data.campaigns.computeIfAbsent(contactId, id -> new LinkedHashSet<>());
            if (add) {
                in.add(path.get(3));
            } else {
                in.remove(path.get(3));
            }
            data.api((add ? "added " : "removed ") + name(contact) + (add ? " to" : " from") + " campaign " + path.get(3));
            return Answer.json(add ? 201 : 200, Map.of("succeded", true));
        }
        if (collection.equals("appointments") && path.size() == 3 && method.equals("GET")) {
            return appointmentsApi.list(contactId);
        }
        if (collection.equals("tasks")) {
            return tasksApi.answer(request, path, contact, body);
        }
        if (collection.equals("notes")) {
            return notesApi.answer(request, path, contact, body);
        }
        return notFound(request);
    }

    /** {@code POST /contacts/bulk/tags/update/{add|remove}}: per contact, its old tags and what changed. */
    @SuppressWarnings("unchecked")
    private Answer bulkTags(String locationId, String type, Map<String, Object> body) {
        if (!type.equals("add") && !type.equals("remove")) {
            return unprocessable("type must be one of the following values: add, remove");
        }
        if (!(body.get("contacts") instanceof List<?> ids) || !(body.get("tags") instanceof List<?> tags) || tags.isEmpty()) {
            return unprocessable("contacts must be an array", "tags must be an array");
        }
        Answer wrong = wrongLocation(locationId, body.get("locationId"));
        if (wrong != null) {
            return wrong;
        }
        List<String> wanted = tags.stream().map(tag -> String.valueOf(tag).trim().toLowerCase(Locale.ROOT)).toList();
        List<Map<String, Object>> responses = new ArrayList<>();
        int errors = 0;
        for (Object id : ids) {
            Map<String, Object> contact = data.contacts.get(String.valueOf(id));
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("contactId", String.valueOf(id));
            if (contact == null || !locationId.equals(contact.get("locationId"))) {
                errors++;
                response.put("message", "contact not found");
                response.put("type", "error");
            } else {
                List<String> old = List.copyOf((List<String>) contact.get("tags"));
                List<String> now = changeTags(contact, wanted, type.equals("add"), true);
                response.put("message", "Tags updated");
                response.put("type", "success");
                response.put("oldTags", old);
                response.put("tagsAdded", now.stream().filter(tag -> !old.contains(tag)).toList());
                response.put("tagsRemoved", old.stream().filter(tag -> !now.contains(tag)).toList());
            }
            responses.add(response);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("succeded", errors < ids.size() || ids.isEmpty());
        answer.put("errorCount", errors);
        answer.put("responses", responses);
        return Answer.json(201, answer);
    }

    /** {@code POST /contacts/bulk/business}: sets (or, with businessId null, clears) the business of data.contacts. */
    private Answer bulkBusiness(String locationId, Map<String, Object> body) {
        if (!(body.get("ids") instanceof List<?> ids) || !body.containsKey("businessId")) {
            return unprocessable("ids must be an array", "businessId must be a string or null");
        }
        Answer wrong = wrongLocation(locationId, body.get("locationId"));
        if (wrong != null) {
            return wrong;
        }
        Object businessId = body.get("businessId");
        if (businessId != null && !data.businesses.containsKey(String.valueOf(businessId))) {
            return error(400, "Business not found", "Bad Request");
        }
        List<String> changed = new ArrayList<>();
        for (Object id : ids) {
            Map<String, Object> contact = data.contacts.get(String.valueOf(id));
            if (contact != null && locationId.equals(contact.get("locationId"))) {
                if (businessId == null) {
                    contact.remove("businessId");
                } else {
                    contact.put("businessId", String.valueOf(businessId));
                }
                contact.put("dateUpdated", data.now());
                changed.add(String.valueOf(id));
            }
        }
        data.api((businessId == null ? "removed " + changed.size() + " contacts from their business"
                : "added " + changed.size() + " contacts to business " + businessId));
        return Answer.json(200, Map.of("success", true, "ids", changed));
    }

    /** {@code POST|DELETE /contacts/{contactId}/followers}: the followers now, and those added or removed. */
    @SuppressWarnings("unchecked")
    private Answer followers(Map<String, Object> contact, Map<String, Object> body, boolean add) {
        if (!(body.get("followers") instanceof List<?> list)) {
            return unprocessable("followers must be an array");
        }
        List<String> current = new ArrayList<>((List<String>) contact.getOrDefault("followers", List.of()));
        List<String> changed = new ArrayList<>();
        for (Object item : list) {
            String user = String.valueOf(item);
            if (add ? !current.contains(user) && current.add(user) : current.remove(user)) {
                changed.add(user);
            }
        }
        contact.put("followers", current);
        data.api((add ? "added followers " : "removed followers ") + changed + (add ? " to " : " from ") + name(contact));
        return Answer.json(add ? 201 : 200, Map.of("followers", current, add ? "followersAdded" : "followersRemoved", changed));
    }

    private Answer createContactByApi(String locationId, Map<String, Object> body) {
        Answer wrong = wrongLocation(locationId, body.get("locationId"));
        if (wrong != null) {
            return wrong;
        }
        Map<String, Object> existing = data.findByEmail(locationId, (String) body.get("email"));
        if (existing != null) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("statusCode", 400);
            answer.put("message", "This location does not allow duplicated contacts.");
            answer.put("meta", Map.of("contactName", name(existing), "contactId", existing.get("id"), "matchingField", "email"));
            answer.put("traceId", UUID.randomUUID().toString());
            return Answer.json(400, answer);
        }
        Map<String, Object> created = data.copy(insertContact(locationId, body, true));
        created.remove("name");
        return Answer.json(201, Map.of("contact", created));
    }

    private Answer upsertContactByApi(String locationId, Map<String, Object> body) {
        Answer wrong = wrongLocation(locationId, body.get("locationId"));
        if (wrong != null) {
            return wrong;
        }
        Map<String, Object> existing = data.findByEmail(locationId, (String) body.get("email"));
        if (existing == null && body.get("phone") != null) {
            existing = data.findByPhone(locationId, String.valueOf(body.get("phone")));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("new", existing == null);
        answer.put("contact", data.copy(existing == null ? insertContact(locationId, body, true) : changeContact(existing, body, true)));
        return Answer.json(200, answer);
    }

    Map<String, Object> insertContact(String locationId, Map<String, Object> fields, boolean byApi) {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("id", data.newId());
        contact.put("locationId", locationId);
        contact.put("type", "lead");
        contact.put("tags", new ArrayList<String>());
        contact.put("customFields", new ArrayList<>());
        contact.put("dnd", false);
        String now = data.now();
        contact.put("dateAdded", now);
        apply(contact, fields);
        contact.put("dateUpdated", now);
        data.contacts.put((String) contact.get("id"), contact);
        if (byApi) {
            data.api("created contact " + name(contact));
        }
        data.emit(contactEvent("ContactCreate", contact));
        return contact;
    }

    Map<String, Object> changeContact(Map<String, Object> contact, Map<String, Object> fields, boolean byApi) {
        apply(contact, fields);
        contact.put("dateUpdated", data.now());
        if (byApi) {
            data.api("updated contact " + name(contact) + " (" + String.join(", ", fields.keySet()) + ")");
        }
        data.emit(contactEvent("ContactUpdate", contact));
        return contact;
    }

    void removeContact(Map<String, Object> contact, boolean byApi) {
        String id = (String) contact.get("id");
        data.contacts.remove(id);
        data.workflows.remove(id);
        data.campaigns.remove(id);
        data.tasks.remove(id);
        data.notes.remove(id);
        data.appointments.remove(id);
        if (byApi) {
            data.api("deleted contact " + name(contact));
        }
        data.emit(contactEvent("ContactDelete", contact));
    }

    @SuppressWarnings("unchecked")
    List<String> changeTags(Map<String, Object> contact, List<String> tags, boolean add, boolean byApi) {
        Set<String> current = new LinkedHashSet<>((List<String>) contact.get("tags"));
        for (String tag : tags) {
            String normalised = tag.trim().toLowerCase(Locale.ROOT);
            if (add) {
                current.add(normalised);
            } else {
                current.remove(normalised);
            }
        }
        contact.put("tags", new ArrayList<>(current));
        contact.put("dateUpdated", data.now());
        if (byApi) {
            data.api((add ? "added" : "removed") + " tags " + tags + (add ? " to " : " from ") + name(contact));
        }
        data.emit(contactEvent("ContactTagUpdate", contact));
        return new ArrayList<>(current);
    }

    private void apply(Map<String, Object> contact, Map<String, Object> fields) {
        fields.forEach((key, value) -> {
            if (CONTACT_INPUT.contains(key)) {
                contact.put(key, key.equals("phone") && value != null ? phone(String.valueOf(value))
                        : key.equals("email") && value != null ? String.valueOf(value).trim().toLowerCase(Locale.ROOT)
                        : key.equals("customFields") ? customFields(value) : value);
            }
        });
        String name = ((contact.get("firstName") == null ? "" : contact.get("firstName")) + " "
                + (contact.get("lastName") == null ? "" : contact.get("lastName"))).trim();
        contact.put("name", name.isEmpty() ? null : name);
    }

    /** Written as {@code {id, field_value}} (or {@code value}), read back as {@code {id, value}}. */
    private static List<Map<String, Object>> customFields(Object value) {
        List<Map<String, Object>> fields = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> field && field.get("id") != null) {
                    Object fieldValue = field.containsKey("field_value") ? field.get("field_value") : field.get("value");
                    fields.add(new LinkedHashMap<>(Map.of("id", field.get("id"), "value", fieldValue == null ? "" : fieldValue)));
                }
            }
        }
        return fields;
    }

    private Map<String, Object> contactEvent(String type, Map<String, Object> contact) {
        Map<String, Object> event = event(type, (String) contact.get("locationId"));
        for (String field : List.of("id", "address1", "city", "state", "companyName", "country", "source", "dateAdded",
                "dateOfBirth", "dnd", "email", "name", "firstName", "lastName", "phone", "postalCode", "tags", "website",
                "assignedTo", "customFields")) {
            if (contact.get(field) != null) {
                event.put(field, contact.get(field));
            }
        }
        if (type.equals("ContactDndUpdate") && contact.get("dndSettings") != null) {
            event.put("dndSettings", contact.get("dndSettings"));
        }
        return event;
    }
}
