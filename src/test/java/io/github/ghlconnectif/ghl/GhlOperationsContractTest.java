package io.github.ghlconnectif.ghl;

import io.github.ghlconnectif.metrics.ApiCalls;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.ghlconnectif.CircuitBreaker;
import io.github.ghlconnectif.auth.PrivateTokenProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Calls every catalog operation through the real {@link GhlClient} against WireMock and validates each request it
 * sent against GHL's own OpenAPI files. Skipped when those files are not there (see {@link OpenApiContract}).
 */
class GhlOperationsContractTest {

    private static final String VERSION = "2021-07-28";
    private static final String TOKEN = "pit-3f6b2c1e-8d4a-4b7e-9c2f-1a5d7e9b0c3d";
    private static final String LOCATION = "Lq7ZpW3kVn9XaB2cDe4F";
    private static final String CONTACT = "ocQHyuzHvysMo5N5VsXc";
    private static final String OTHER_CONTACT = "Wq3eR5tY7uI9oP1aS2dF";
    private static final String TASK = "tK8mR2pQ5sV9wX3yZ1aB";
    private static final String NOTE = "nT4bC6dE8fG0hJ2kL3mN";
    private static final String USER = "uS5rT7vW9xY1zA3bC5dE";
    private static final String CAMPAIGN = "cP9qR1sT3uV5wX7yZ0aB";
    private static final String WORKFLOW = "7c1e2f4a-9b3d-4e8f-a6c2-5d0b1e3f7a94";
    private static final String BUSINESS = "65f1c2a9e4b0d3f7a1c8e2b4";
    private static final String FIELD = "kX2vB7nQ4pL9sD1fG6hJ";
    private static final String VALUE_FIELD = "Rt6yU8iO0pA2sD4fG6hJ";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String CONTACT_JSON = """
            {"id": "$contact", "locationId": "$location", "firstName": "Marta", "lastName": "Quintana",
             "email": "marta.quintana@example.com", "phone": "+14155550123", "tags": ["newsletter", "vip"],
             "type": "lead", "source": "connectif", "dateAdded": "2025-03-04T09:15:27.311Z",
             "dateUpdated": "2025-06-11T16:02:48.905Z", "customFields": [{"id": "$field", "value": "Gold"}]}""";
    private static final String TASK_JSON = """
            {"id": "$task", "title": "Call back about the renewal", "body": "Asked for a quote on the annual plan",
             "assignedTo": "$user", "dueDate": "2025-07-01T15:00:00.000Z", "completed": false, "contactId": "$contact"}""";
    private static final String NOTE_JSON = """
            {"id": "$note", "body": "Prefers email over phone calls", "userId": "$user",
             "dateAdded": "2025-06-11T16:05:12.004Z", "contactId": "$contact"}""";
    private static final String SUCCEDED = "{\"succeded\": true}";

    private static final Map<String, Case> CASES = Map.ofEntries(
            entry("get-contact", Map.of("contactId", CONTACT), null, 200, "{\"contact\": " + CONTACT_JSON + "}"),
            entry("list-contacts", Map.of("query", "marta", "limit", "20", "startAfterId", OTHER_CONTACT,
                    "startAfter", "1718035200000"), null, 200,
                    "{\"contacts\": [" + CONTACT_JSON + "], \"count\": 1}"),
            entry("search-contacts", Map.of(), """
                    {"pageLimit": 100, "searchAfter": [1718035200000, "$other"],
                     "filters": [{"field": "dateUpdated", "operator": "range", "value": {"gte": "2025-06-01T00:00:00.000Z"}}],
                     "sort": [{"field": "dateUpdated", "direction": "asc"}]}""", 200,
                    "{\"contacts\": [" + CONTACT_JSON + "], \"total\": 1}"),
            entry("list-business-contacts", Map.of("businessId", BUSINESS, "limit", "50", "skip", "0"), null, 200,
                    "{\"contacts\": [" + CONTACT_JSON + "], \"count\": 1}"),
            entry("find-duplicate-contact", Map.of("number", "+14155550123"), null, 200,
                    "{\"contact\": " + CONTACT_JSON + "}"),
            entry("create-contact", Map.of(), """
                    {"firstName": "Marta", "lastName": "Quintana", "email": "marta.quintana@example.com",
                     "phone": "+1 415-555-0123", "dateOfBirth": "1990-09-25", "tags": ["newsletter"], "source": "connectif",
                     "customFields": [{"id": "$field", "field_value": "Gold"}]}""", 201,
                    "{\"contact\": " + CONTACT_JSON + "}"),
            entry("upsert-contact", Map.of(), """
                    {"email": "marta.quintana@example.com", "firstName": "Marta", "phone": "+1 415-555-0123",
                     "dateOfBirth": "1990/09/25", "dndSettings": {"Email": {"status": "active"}},
                     "createNewIfDuplicateAllowed": false}""", 200,
                    "{\"new\": false, \"contact\": " + CONTACT_JSON + ", \"traceId\": \"0b6f2a4e-3c1d-4f5e-9a7b-8c2d1e0f3a6b\"}"),
            entry("update-contact", Map.of("contactId", CONTACT), """
                    {"lastName": "Quintana Ruiz", "dateOfBirth": "09-25-1990", "timezone": "Europe/Madrid",
                     "customFields": [{"id": "$field", "field_value": "Platinum"},
                                      {"id": "$valuefield", "key": "lifetime_value", "field_value": 1250.5}]}""", 200,
                    "{\"succeded\": true, \"contact\": " + CONTACT_JSON + "}"),
            entry("delete-contact", Map.of("contactId", CONTACT), null, 200, SUCCEDED),
            entry("list-tasks", Map.of("contactId", CONTACT), null, 200, "{\"tasks\": [" + TASK_JSON + "]}"),
            entry("get-task", Map.of("contactId", CONTACT, "taskId", TASK), null, 200, "{\"task\": " + TASK_JSON + "}"),
            entry("create-task", Map.of("contactId", CONTACT), """
                    {"title": "Call back about the renewal", "body": "Asked for a quote on the annual plan",
                     "dueDate": "2025-07-01T15:00:00Z", "completed": false, "assignedTo": "$user"}""", 201,
                    "{\"task\": " + TASK_JSON + "}"),
            entry("update-task", Map.of("contactId", CONTACT, "taskId", TASK), """
                    {"title": "Call back about the renewal", "dueDate": "2025-07-03T09:30:00Z"}""", 200,
                    "{\"task\": " + TASK_JSON + "}"),
            entry("complete-task", Map.of("contactId", CONTACT, "taskId", TASK), "{\"completed\": true}", 200,
                    "{\"task\": " + TASK_JSON.replace("\"completed\": false", "\"completed\": true") + "}"),
            entry("delete-task", Map.of("contactId", CONTACT, "taskId", TASK), null, 200, SUCCEDED),
            entry("list-notes", Map.of("contactId", CONTACT), null, 200, "{\"notes\": [" + NOTE_JSON + "]}"),
            entry("get-note", Map.of("contactId", CONTACT, "noteId", NOTE), null, 200, "{\"note\": " + NOTE_JSON + "}"),
            entry("create-note", Map.of("contactId", CONTACT), """
                    {"body": "Prefers email over phone calls", "userId": "$user"}""", 201, "{\"note\": " + NOTE_JSON + "}"),
            entry("update-note", Map.of("contactId", CONTACT, "noteId", NOTE), """
                    {"body": "Prefers email; no calls before 10:00", "pinned": true}""", 200,
                    "{\"note\": " + NOTE_JSON + "}"),
            entry("delete-note", Map.of("contactId", CONTACT, "noteId", NOTE), null, 200, SUCCEDED),
            entry("list-appointments", Map.of("contactId", CONTACT), null, 200, """
                    {"events": [{"id": "aP3sD5fG7hJ9kL1zX3cV", "calendarId": "cA2lE4nD6aR8bC0dE2fG",
                     "status": "booked", "appointmentStatus": "booked", "title": "Renewal call",
                     "assignedUserId": "$user", "notes": "", "startTime": "2025-07-02 10:00:00",
                     "endTime": "2025-07-02 10:30:00", "locationId": "$location", "contactId": "$contact",
                     "dateAdded": "2025-06-11T16:10:41.217Z", "dateUpdated": "2025-06-11T16:10:41.217Z"}]}"""),
            entry("add-tags", Map.of("contactId", CONTACT), "{\"tags\": [\"vip\", \"renewal-2025\"]}", 201,
                    "{\"tags\": [\"newsletter\", \"vip\", \"renewal-2025\"]}"),
            entry("remove-tags", Map.of("contactId", CONTACT), "{\"tags\": [\"renewal-2025\"]}", 200,
                    "{\"tags\": [\"newsletter\", \"vip\"]}"),
            entry("bulk-update-tags", Map.of("type", "add"), """
                    {"contacts": ["$contact", "$other"], "tags": ["renewal-2025"]}""", 201, """
                    {"succeded": true, "errorCount": 0, "responses": [
                      {"contactId": "$contact", "type": "add", "message": "Tags updated"},
                      {"contactId": "$other", "type": "add", "message": "Tags updated"}]}"""),
            entry("bulk-update-business", Map.of(), """
                    {"ids": ["$contact", "$other"], "businessId": "$business"}""", 200,
                    "{\"success\": true, \"ids\": [\"$contact\", \"$other\"]}"),
            entry("add-followers", Map.of("contactId", CONTACT), "{\"followers\": [\"$user\"]}", 201,
                    "{\"followers\": [\"$user\"], \"followersAdded\": [\"$user\"]}"),
            entry("remove-followers", Map.of("contactId", CONTACT), "{\"followers\": [\"$user\"]}", 200,
                    "{\"followers\": [], \"followersRemoved\": [\"$user\"]}"),
            entry("add-to-campaign", Map.of("contactId", CONTACT, "campaignId", CAMPAIGN), null, 201, SUCCEDED),
            entry("remove-from-campaign", Map.of("contactId", CONTACT, "campaignId", CAMPAIGN), null, 200, SUCCEDED),
            entry("remove-from-all-campaigns", Map.of("contactId", CONTACT), null, 200, SUCCEDED),
            entry("add-to-workflow", Map.of("contactId", CONTACT, "workflowId", WORKFLOW),
                    "{\"eventStartTime\": \"2025-07-01T09:00:00+02:00\"}", 200, SUCCEDED),
            entry("remove-from-workflow", Map.of("contactId", CONTACT, "workflowId", WORKFLOW), null, 200, SUCCEDED),
            entry("get-business", Map.of("businessId", BUSINESS), null, 200, """
                    {"business": {"id": "$business", "name": "Quintana Estudio", "phone": "+34911234567",
                     "email": "hola@quintana-estudio.example", "website": "https://quintana-estudio.example",
                     "city": "Madrid", "country": "ES", "locationId": "$location", "createdBy": "$user",
                     "createdAt": "2024-11-20T08:41:03.512Z", "updatedAt": "2025-05-02T12:13:44.090Z"}}"""));

    /** One operation call: its parameters, the body we send (JSON text, null for none) and GHL's answer. */
    record Case(Map<String, String> params, String body, int status, String answer) {
    }

    private static OpenApiContract spec;
    private static WireMockServer wireMock;
    private static GhlClient client;

    @BeforeAll
    static void start() {
        if (OpenApiContract.missing().isPresent()) {
            System.err.println("WARNING " + skipReason());
            return;
        }
        spec = OpenApiContract.load();
        wireMock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wireMock.start();
        client = new GhlClient("http://127.0.0.1:" + wireMock.port(), VERSION,
                new PrivateTokenProvider(LOCATION, TOKEN, Set.of("contacts.readonly", "contacts.write", "businesses.readonly")),
                new RateBudgets(), HttpClient.newHttpClient(), Duration.ofSeconds(5), 3, MAPPER,
                new CircuitBreaker("GHL", 5, Duration.ofSeconds(30)), new ApiCalls());
    }

    @AfterAll
    static void stop() {
        if (wireMock != null) {
            wireMock.stop();
        }
    }

    @BeforeEach
    void reset() {
        // checked per test rather than in @BeforeAll so that surefire reports each test as skipped, with the reason
        assumeTrue(spec != null, GhlOperationsContractTest::skipReason);
        wireMock.resetAll();
    }

    private static String skipReason() {
        return "GHL contract tests skipped: " + OpenApiContract.missing().orElse("") + OpenApiContract.howToRun();
    }

    static Stream<String> operationIds() {
        return GhlCatalog.operations().stream().map(GhlOperation::id);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operationIds")
    void requestMatchesGhlSpec(String id) throws Exception {
        GhlOperation operation = GhlCatalog.get(id);
        Case call = CASES.get(id);
        Object answer = run(id);

        LoggedRequest sent = onlyRequest(id);
        List<String> errors = OpenApiContract.errors(spec.validate(toOpenApi(sent)));
        assertTrue(errors.isEmpty(), () -> id + ": " + sent.getMethod() + " " + sent.getUrl()
                + " does not match GHL's OpenAPI file:\n  " + String.join("\n  ", errors));
        for (String header : List.of("Version", "Authorization")) {
            assertFalse(OpenApiContract.errors(spec.validate(toOpenApi(sent, header))).isEmpty(),
                    () -> id + ": the spec check must reject the request without its " + header + " header");
        }

        assertEquals(operation.method(), sent.getMethod().getName(), id);
        assertEquals(expectedPath(operation, call.params()), path(sent), id);
        assertEquals(expectedQuery(operation, call.params()), query(sent), id);
        assertEquals(expectedBody(operation, call.body()), receivedBody(sent), id);
        assertEquals(MAPPER.readValue(call.answer(), Object.class), answer, id);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"remove-tags", "remove-followers"})
    void deleteWithJsonBodyReachesTheServer(String id) {
        run(id);
        wireMock.verify(1, deleteRequestedFor(urlEqualTo(expectedPath(GhlCatalog.get(id), CASES.get(id).params())))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(equalToJson(CASES.get(id).body())));
    }

    @Test
    void findDuplicateSendsThePlusOfAPhoneNumberPercentEncoded() {
        run("find-duplicate-contact");
        LoggedRequest sent = onlyRequest("find-duplicate-contact");
        assertTrue(sent.getUrl().contains("number=%2B14155550123"), sent.getUrl());
        wireMock.verify(1, getRequestedFor(urlPathEqualTo("/contacts/search/duplicate"))
                .withQueryParam("number", equalTo("+14155550123"))
                .withQueryParam("locationId", equalTo(LOCATION)));
    }

    @Test
    void everyOperationIsInTheSpecWithItsScopeAndParameters() {
        List<String> problems = new ArrayList<>();
        for (GhlOperation operation : GhlCatalog.operations()) {
            String id = operation.id();
            JsonNode specOperation = specOperation(operation);
            if (specOperation == null) {
                problems.add(id + ": " + operation.method() + " " + operation.path() + " is not in GHL's spec");
                continue;
            }
            OpenApiContract.scope(specOperation).filter(scope -> !scope.equals(operation.scope())).ifPresent(scope ->
                    problems.add(id + ": scope " + operation.scope() + " but the spec says " + scope));
            if (operation.writes() && !operation.scope().equals("contacts.write")) {
                problems.add(id + ": writes with scope " + operation.scope() + " instead of contacts.write");
            }
            if (operation.method().equals("GET") && operation.writes()) {
                problems.add(id + ": a GET needs no write scope");
            }
            int specPathParams = OpenApiContract.parameters(specOperation, "path").size();
            if (specPathParams != operation.pathParams().size()) {
                problems.add(id + ": " + operation.pathParams() + " path parameters, the spec has " + specPathParams);
            }
            Map<String, JsonNode> specQuery = OpenApiContract.parameters(specOperation, "query");
            if (!specQuery.keySet().containsAll(operation.queryParams())) {
                problems.add(id + ": query parameters " + operation.queryParams() + " not all in the spec's "
                        + specQuery.keySet());
            }
            Set<String> specRequired = new TreeSet<>();
            specQuery.forEach((name, parameter) -> {
                if (parameter.path("required").asBoolean()) {
                    specRequired.add(name);
                }
            });
            if (!specRequired.equals(new TreeSet<>(operation.requiredQuery()))) {
                problems.add(id + ": required query " + operation.requiredQuery() + " but the spec requires "
                        + specRequired);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void validatorRejectsACreateTaskWithoutDueDate() throws Exception {
        wireMock.stubFor(request("POST", anyUrl()).willReturn(aResponse().withStatus(201)));
        HttpRequest raw = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + wireMock.port()
                        + "/contacts/" + CONTACT + "/tasks"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Version", VERSION)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"Call back\", \"completed\": false}"))
                .build();
        assertEquals(201, HttpClient.newHttpClient().send(raw, HttpResponse.BodyHandlers.discarding()).statusCode());

        List<String> errors = OpenApiContract.errors(spec.validate(toOpenApi(onlyRequest("raw create-task"))));
        assertTrue(errors.stream().anyMatch(error -> error.startsWith("validation.request.body.schema.required")
                && error.contains("dueDate")), errors.toString());
    }

    @Test
    void validatorRequiresTheVersionHeaderAndABearerToken() {
        String path = "/contacts/" + CONTACT;
        assertEquals(List.of(), errors(valid("GET", path)), "the baseline request must pass");
        assertRejected(new SimpleRequest.Builder("GET", path).withAuthorization("Bearer " + TOKEN),
                "validation.request.parameter.header.missing");
        assertRejected(new SimpleRequest.Builder("GET", path).withAuthorization("Bearer " + TOKEN)
                .withHeader("Version", "2021-04-15"), "validation.request.parameter.schema.enum");
        assertRejected(new SimpleRequest.Builder("GET", path).withHeader("Version", VERSION),
                "validation.request.security.missing");
        assertRejected(new SimpleRequest.Builder("POST", "/contacts/bulk/tags/update/add").withHeader("Version", VERSION)
                .withContentType("application/json")
                .withBody(fill("{\"contacts\": [\"$contact\"], \"tags\": [\"vip\"], \"locationId\": \"$location\"}")),
                "validation.request.security.missing");
    }

    @Test
    void validatorRejectsWrongPathsQueryParametersAndBodies() {
        assertRejected(valid("GET", "/contact/" + CONTACT), "validation.request.path.missing");
        assertRejected(valid("GET", "/contacts").withQueryParam("locationId", LOCATION),
                "validation.request.path.missing");
        assertRejected(valid("GET", "/contacts/").withQueryParam("locationId", LOCATION)
                .withQueryParam("startAfterID", OTHER_CONTACT), "validation.request.parameter.query.unexpected");
        assertRejected(json(valid("PUT", "/contacts/" + CONTACT), "{\"locationId\": \"$location\", \"firstName\": \"Marta\"}"),
                "validation.request.body.schema.additionalProperties");
        assertRejected(json(valid("POST", "/contacts/bulk/tags/update/replace"),
                "{\"contacts\": [\"$contact\"], \"tags\": [\"vip\"], \"locationId\": \"$location\"}"),
                "validation.request.parameter.schema.enum");
        assertRejected(json(valid("POST", "/contacts/search"), "{\"locationId\": \"$location\", \"pageLimit\": 1000}"),
                "validation.request.body.schema.maximum");
        assertRejected(json(valid("POST", "/contacts/search"), "{\"locationId\": \"$location\"}"),
                "validation.request.body.schema.required");
        assertRejected(json(valid("POST", "/contacts/"), "{\"locationId\": \"$location\", \"dateOfBirth\": {}}"),
                "validation.request.body.schema.type");
    }

    private static Object run(String id) {
        Case call = CASES.get(id);
        assertNotNull(call, "no contract case for " + id + "; add one to CASES");
        wireMock.stubFor(request(GhlCatalog.get(id).method(), anyUrl()).willReturn(aResponse()
                .withStatus(call.status())
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(call.answer())));
        try {
            Object body = call.body() == null ? null : MAPPER.readValue(call.body(), Map.class);
            return client.call(GhlCatalog.get(id), LOCATION, call.params(), body, Priority.LIVE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the body of case " + id + " is not JSON", e);
        }
    }

    private static LoggedRequest onlyRequest(String what) {
        List<LoggedRequest> requests = wireMock.findAll(RequestPatternBuilder.allRequests());
        assertEquals(1, requests.size(), what + " must send exactly one request, sent " + requests);
        return requests.get(0);
    }

    private static Request toOpenApi(LoggedRequest sent) {
        return toOpenApi(sent, null);
    }

    private static Request toOpenApi(LoggedRequest sent, String leaveOutHeader) {
        return OpenApiContract.request(sent, leaveOutHeader);
    }

    private static String path(LoggedRequest sent) {
        return URI.create(sent.getUrl()).getRawPath();
    }

    private static Map<String, String> query(LoggedRequest sent) {
        Map<String, String> query = new LinkedHashMap<>();
        sent.getQueryParams().forEach((name, values) -> query.put(name, String.join(",", values.values())));
        return query;
    }

    private static JsonNode receivedBody(LoggedRequest sent) throws Exception {
        return sent.getBodyAsString().isEmpty() ? null : MAPPER.readTree(sent.getBodyAsString());
    }

    private static String expectedPath(GhlOperation operation, Map<String, String> params) {
        String path = operation.path();
        for (String name : operation.pathParams()) {
            path = path.replace("{" + name + "}", params.get(name));
        }
        return path;
    }

    private static Map<String, String> expectedQuery(GhlOperation operation, Map<String, String> params) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String name : operation.queryParams()) {
            String value = name.equals("locationId") ? params.getOrDefault(name, LOCATION) : params.get(name);
            if (value != null) {
                query.put(name, value);
            }
        }
        return query;
    }

    private static JsonNode expectedBody(GhlOperation operation, String body) throws Exception {
        if (operation.body() == GhlOperation.Body.NONE) {
            return null;
        }
        ObjectNode json = (ObjectNode) MAPPER.readTree(body == null ? "{}" : body);
        if (operation.bodyHasLocation()) {
            json.put("locationId", LOCATION);
        }
        return json;
    }

    private static JsonNode specOperation(GhlOperation operation) {
        String template = operation.path().replaceAll("\\{[^}]+}", "{}");
        var paths = spec.specFor(operation.path()).path("paths").fields();
        while (paths.hasNext()) {
            var path = paths.next();
            if (path.getKey().replaceAll("\\{[^}]+}", "{}").equals(template)) {
                JsonNode specOperation = path.getValue().get(operation.method().toLowerCase());
                if (specOperation != null) {
                    return specOperation;
                }
            }
        }
        return null;
    }

    private static SimpleRequest.Builder valid(String method, String path) {
        return new SimpleRequest.Builder(method, path)
                .withAuthorization("Bearer " + TOKEN)
                .withHeader("Version", VERSION)
                .withAccept("application/json");
    }

    private static SimpleRequest.Builder json(SimpleRequest.Builder request, String body) {
        return request.withContentType("application/json").withBody(fill(body));
    }

    private static List<String> errors(SimpleRequest.Builder request) {
        return OpenApiContract.errors(spec.validate(request.build()));
    }

    private static void assertRejected(SimpleRequest.Builder request, String expectedKey) {
        List<String> errors = errors(request);
        assertTrue(errors.stream().anyMatch(error -> error.startsWith(expectedKey + ":")),
                () -> "expected " + expectedKey + ", got " + errors);
    }

    private static Map.Entry<String, Case> entry(String id, Map<String, String> params, String body, int status,
            String answer) {
        return new SimpleEntry<>(id, new Case(params, body == null ? null : fill(body), status, fill(answer)));
    }

    private static String fill(String json) {
        return json.replace("$contact", CONTACT).replace("$other", OTHER_CONTACT).replace("$location", LOCATION)
                .replace("$task", TASK).replace("$note", NOTE).replace("$user", USER)
                .replace("$business", BUSINESS).replace("$valuefield", VALUE_FIELD).replace("$field", FIELD);
    }
}
