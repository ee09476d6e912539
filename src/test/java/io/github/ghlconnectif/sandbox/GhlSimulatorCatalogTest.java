package io.github.ghlconnectif.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.CircuitBreaker;
import io.github.ghlconnectif.auth.PrivateTokenProvider;
import io.github.ghlconnectif.ghl.GhlCatalog;
import io.github.ghlconnectif.ghl.GhlClient;
import io.github.ghlconnectif.ghl.GhlOperation;
import io.github.ghlconnectif.ghl.OpenApiContract;
import io.github.ghlconnectif.ghl.Priority;
import io.github.ghlconnectif.ghl.RateBudgets;
import io.github.ghlconnectif.metrics.ApiCalls;
import org.junit.jupiter.api.Test;

/**
 * The GHL simulator answers every catalogue operation, called through the real client, in GHL's shapes (checked
 * against GHL's OpenAPI files when they are there), and keeps what a later call or the story can see.
 */
class GhlSimulatorCatalogTest {

    private final List<String> called = new ArrayList<>();
    private GhlClient client;
    private String location;

    @Test
    @SuppressWarnings("unchecked")
    void everyCatalogueOperationIsAnsweredAndItsEffectIsVisible() {
        try (GhlSimulator ghl = new GhlSimulator(line -> { })) {
            location = ghl.seedLocation("Catalogue", Sandbox.LOCATION_ZONE);
            client = new GhlClient(ghl.baseUrl(), GhlSimulator.API_VERSION, new PrivateTokenProvider(location,
                    ghl.privateToken(location), Set.of()), new RateBudgets(), HttpClient.newHttpClient(), Duration.ofSeconds(5),
                    3, new ObjectMapper(), new CircuitBreaker("GHL", 5, Duration.ofSeconds(30)), new ApiCalls());
            String business = (String) ghl.seedBusiness(location, "Analytical Engines Ltd").get("id");
            String ada = (String) ghl.createContact(location, Map.of("firstName", "Ada", "email", "ada@example.org")).get("id");
            String grace = (String) ghl.createContact(location, Map.of("firstName", "Grace", "phone", "+14155550123")).get("id");
            ghl.bookAppointment(ada, "Demo", LocalDateTime.now().plusDays(1), Duration.ofMinutes(30));

            Map<String, Object> contact = call("get-contact", Map.of("contactId", ada), null);
            assertEquals("Ada", ((Map<String, Object>) contact.get("contact")).get("firstName"));
            assertEquals(2, call("list-contacts", Map.of("limit", "10"), null).get("count"));
            assertEquals(1, ((List<?>) call("search-contacts", Map.of(), Map.of("pageLimit", 10, "filters",
                    List.of(Map.of("field", "email", "operator", "eq", "value", "ada@example.org")))).get("contacts")).size());
            assertEquals(grace, ((Map<String, Object>) call("find-duplicate-contact", Map.of("number", "+14155550123"), null)
                    .get("contact")).get("id"));
            String edsger = (String) ((Map<String, Object>) call("create-contact", Map.of(), Map.of("firstName", "Edsger",
                    "email", "edsger@example.org")).get("contact")).get("id");
            assertEquals(false, call("upsert-contact", Map.of(), Map.of("email", "edsger@example.org", "lastName", "Dijkstra"))
                    .get("new"));
            call("update-contact", Map.of("contactId", edsger), Map.of("city", "Nuenen"));
            assertEquals("Nuenen", ghl.contact(edsger).get("city"));

            String task = (String) ((Map<String, Object>) call("create-task", Map.of("contactId", ada), Map.of("title",
                    "Call back", "dueDate", "2026-12-24T10:00:00Z", "completed", false)).get("task")).get("id");
            call("list-tasks", Map.of("contactId", ada), null);
            call("get-task", Map.of("contactId", ada, "taskId", task), null);
            call("update-task", Map.of("contactId", ada, "taskId", task), Map.of("title", "Call back soon"));
            call("complete-task", Map.of("contactId", ada, "taskId", task), Map.of("completed", true));
            assertEquals(true, ghl.tasks(ada).get(0).get("completed"));
            String note = (String) ((Map<String, Object>) call("create-note", Map.of("contactId", ada), Map.of("body", "Hi"))
                    .get("note")).get("id");
            call("list-notes", Map.of("contactId", ada), null);
            call("get-note", Map.of("contactId", ada, "noteId", note), null);
            call("update-note", Map.of("contactId", ada, "noteId", note), Map.of("body", "Hello"));
            assertEquals(1, ((List<?>) call("list-appointments", Map.of("contactId", ada), null).get("events")).size());

            call("add-tags", Map.of("contactId", ada), Map.of("tags", List.of("vip")));
            call("remove-tags", Map.of("contactId", ada), Map.of("tags", List.of("vip")));
            Map<String, Object> bulk = call("bulk-update-tags", Map.of("type", "add"), Map.of("contacts", List.of(ada, grace),
                    "tags", List.of("renewal")));
            assertEquals(0, bulk.get("errorCount"));
            assertEquals(List.of("renewal"), ghl.contact(grace).get("tags"));
            call("bulk-update-business", Map.of(), Map.of("ids", List.of(ada), "businessId", business));
            assertEquals(1, call("list-business-contacts", Map.of("businessId", business), null).get("count"));
            assertEquals("Analytical Engines Ltd", ((Map<String, Object>) call("get-business", Map.of("businessId", business),
                    null).get("business")).get("name"));

            call("add-followers", Map.of("contactId", ada), Map.of("followers", List.of("user-1", "user-2")));
            call("remove-followers", Map.of("contactId", ada), Map.of("followers", List.of("user-1")));
            assertEquals(List.of("user-2"), ghl.contact(ada).get("followers"));
            call("add-to-campaign", Map.of("contactId", ada, "campaignId", "camp-1"), null);
            call("add-to-campaign", Map.of("contactId", ada, "campaignId", "camp-2"), null);
            call("remove-from-campaign", Map.of("contactId", ada, "campaignId", "camp-1"), null);
            assertEquals(Set.of("camp-2"), ghl.campaigns(ada));
            call("remove-from-all-campaigns", Map.of("contactId", ada), null);
            assertEquals(Set.of(), ghl.campaigns(ada));
            call("add-to-workflow", Map.of("contactId", ada, "workflowId", "wf-1"), Map.of());
            call("add-to-workflow", Map.of("contactId", ada, "workflowId", "wf-2"), Map.of());
            call("remove-from-workflow", Map.of("contactId", ada, "workflowId", "wf-1"), Map.of());
            assertEquals(Set.of("wf-2"), ghl.workflows(ada));

            call("delete-task", Map.of("contactId", ada, "taskId", task), null);
            call("delete-note", Map.of("contactId", ada, "noteId", note), null);
            call("delete-contact", Map.of("contactId", edsger), null);
            assertEquals(null, ghl.contact(edsger));

            Set<String> every = new LinkedHashSet<>(GhlCatalog.operations().stream().map(GhlOperation::id).toList());
            every.removeAll(called);
            assertEquals(Set.of(), every, "catalogue operations this test did not call");
            assertEquals(33, GhlCatalog.operations().size());
            checkAgainstGhlSpec(ghl);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> call(String operation, Map<String, String> params, Object body) {
        called.add(operation);
        Object answer = client.call(GhlCatalog.get(operation), location, params, body, Priority.LIVE);
        return answer instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static void checkAgainstGhlSpec(GhlSimulator ghl) {
        if (OpenApiContract.missing().isPresent()) {
            System.out.println("Simulator answers not checked against GHL's spec: " + OpenApiContract.missing().get()
                    + OpenApiContract.howToRun());
            return;
        }
        List<String> errors = GhlSpecCheck.errors(OpenApiContract.load(), ghl.exchanges(), new int[1]);
        assertTrue(errors.isEmpty(), String.join("\n", errors));
    }
}
