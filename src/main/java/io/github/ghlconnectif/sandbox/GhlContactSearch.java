package io.github.ghlconnectif.sandbox;

import static io.github.ghlconnectif.sandbox.GhlAnswers.error;
import static io.github.ghlconnectif.sandbox.GhlAnswers.unprocessable;
import static io.github.ghlconnectif.sandbox.GhlAnswers.wrongLocation;
import static io.github.ghlconnectif.sandbox.GhlData.millis;
import static io.github.ghlconnectif.sandbox.GhlData.name;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.ghlconnectif.sandbox.SimulatorServer.Answer;

/**
 * Finding the simulated GHL's contacts: {@code GET /contacts/} (and of a business), {@code POST /contacts/search}
 * (what reconciliation and backfill page through) and {@code GET /contacts/search/duplicate}.
 */
final class GhlContactSearch {

    private final GhlData data;

    GhlContactSearch(GhlData data) {
        this.data = data;
    }

    /** {@code GET /contacts/} and {@code GET /contacts/business/{businessId}}: {@code {contacts, count}}, oldest first. */
    Answer list(String locationId, Map<String, String> query, String businessId) {
        Answer wrong = wrongLocation(locationId, query.get("locationId"));
        if (wrong != null) {
            return wrong;
        }
        int limit;
        int skip;
        try {
            limit = query.get("limit") == null ? 20 : Integer.parseInt(query.get("limit"));
            skip = query.get("skip") == null ? 0 : Integer.parseInt(query.get("skip"));
        } catch (NumberFormatException e) {
            return unprocessable("limit and skip must be numbers");
        }
        if (limit < 1 || limit > 100 || skip < 0) {
            return unprocessable("limit must not be greater than 100");
        }
        String text = query.get("query") == null ? null : query.get("query").toLowerCase(Locale.ROOT);
        List<Map<String, Object>> matching = data.contacts.values().stream()
                .filter(contact -> locationId.equals(contact.get("locationId")))
                .filter(contact -> businessId == null || businessId.equals(contact.get("businessId")))
                .filter(contact -> text == null || (name(contact) + " " + contact.get("email")).toLowerCase(Locale.ROOT)
                        .contains(text))
                .toList();
        int from = skip;
        if (query.get("startAfterId") != null) {
            for (int i = 0; i < matching.size(); i++) {
                if (matching.get(i).get("id").equals(query.get("startAfterId"))) {
                    from = i + 1;
                }
            }
        }
        List<Map<String, Object>> page = matching.subList(Math.min(from, matching.size()),
                Math.min(from + limit, matching.size())).stream().map(GhlContactSearch::listItem).toList();
        return Answer.json(200, Map.of("contacts", page, "count", matching.size()));
    }

    /** A contact as GHL lists it: the slim {@code ContactsSearchSchema} (names and phone are left out). */
    private static Map<String, Object> listItem(Map<String, Object> contact) {
        Map<String, Object> item = new LinkedHashMap<>();
        for (String field : List.of("id", "locationId", "email", "timezone", "country", "source", "dateAdded", "customFields",
                "tags", "businessId", "followers")) {
            if (contact.get(field) != null) {
                item.put(field, contact.get(field) instanceof List<?> list ? new ArrayList<>(list) : contact.get(field));
            }
        }
        return item;
    }

    Answer duplicate(String locationId, Map<String, String> query) {
        Answer wrong = wrongLocation(locationId, query.get("locationId"));
        if (wrong != null) {
            return wrong;
        }
        Map<String, Object> found = data.findByEmail(locationId, query.get("email"));
        if (found == null && query.get("number") != null) {
            found = data.findByPhone(locationId, query.get("number"));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("contact", found == null ? null : data.copy(found));
        return Answer.json(200, answer);
    }

    /** {@code POST /contacts/search}: filters on dateUpdated/dateAdded ranges and email, sort, page or searchAfter. */
    Answer search(String locationId, Map<String, Object> body) {
        if (body.get("locationId") == null || !(body.get("pageLimit") instanceof Number)) {
            List<String> messages = new ArrayList<>();
            if (body.get("locationId") == null) {
                messages.add("locationId should not be empty");
            }
            if (!(body.get("pageLimit") instanceof Number)) {
                messages.add("pageLimit must be a number conforming to the specified constraints");
            }
            return unprocessable(messages.toArray(String[]::new));
        }
        if (!locationId.equals(body.get("locationId"))) {
            return error(403, "The token does not have access to this location.", "Forbidden");
        }
        int pageLimit = ((Number) body.get("pageLimit")).intValue();
        if (pageLimit < 1 || pageLimit > 500) {
            return unprocessable("pageLimit must not be greater than 500");
        }
        String sortField = "dateAdded";
        boolean ascending = false;
        if (body.get("sort") instanceof List<?> sort && !sort.isEmpty() && sort.get(0) instanceof Map<?, ?> first) {
            sortField = String.valueOf(first.get("field"));
            ascending = "asc".equalsIgnoreCase(String.valueOf(first.get("direction")));
        }
        String field = sortField;
        Comparator<Map<String, Object>> order = Comparator.comparing((Map<String, Object> contact) -> millis(contact.get(field)))
                .thenComparing(contact -> String.valueOf(contact.get("id")));
        if (!ascending) {
            order = order.reversed();
        }
        List<Map<String, Object>> matching = data.contacts.values().stream()
                .filter(contact -> locationId.equals(contact.get("locationId")) && matches(contact, body.get("filters")))
                .sorted(order).toList();
        int from = 0;
        if (body.get("searchAfter") instanceof List<?> after && after.size() == 2) {
            long afterMillis = ((Number) after.get(0)).longValue();
            String afterId = String.valueOf(after.get(1));
            from = matching.size();
            for (int i = 0; i < matching.size(); i++) {
                long value = millis(matching.get(i).get(field));
                int compare = value != afterMillis ? Long.compare(value, afterMillis)
                        : String.valueOf(matching.get(i).get("id")).compareTo(afterId);
                if (ascending ? compare > 0 : compare < 0) {
                    from = i;
                    break;
                }
            }
        } else if (body.get("page") instanceof Number page) {
            from = (page.intValue() - 1) * pageLimit;
            if (from + pageLimit > 10_000) {
                return error(400, "page and pageLimit reach past 10,000 results: use searchAfter", "Bad Request");
            }
        }
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = Math.max(0, from); i < Math.min(matching.size(), from + pageLimit); i++) {
            Map<String, Object> item = data.copy(matching.get(i));
            item.put("searchAfter", List.of(millis(item.get(field)), item.get("id")));
            page.add(item);
        }
        return Answer.json(200, Map.of("contacts", page, "total", matching.size()));
    }

    private boolean matches(Map<String, Object> contact, Object filters) {
        if (!(filters instanceof List<?> list)) {
            return true;
        }
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> filter)) {
                continue;
            }
            String field = String.valueOf(filter.get("field"));
            Object value = filter.get("value");
            if ("range".equals(filter.get("operator")) && value instanceof Map<?, ?> range) {
                long actual = millis(contact.get(field));
                if (range.get("gte") != null && actual < millis(range.get("gte")) || range.get("gt") != null && actual <= millis(range.get("gt"))
                        || range.get("lte") != null && actual > millis(range.get("lte")) || range.get("lt") != null && actual >= millis(range.get("lt"))) {
                    return false;
                }
            } else if ("eq".equals(filter.get("operator")) && value != null
                    && !String.valueOf(value).equalsIgnoreCase(String.valueOf(contact.get(field)))) {
                return false;
            }
        }
        return true;
    }
}
