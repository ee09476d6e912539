package io.github.ghlconnectif.ghl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.report.ValidationReport.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * GHL's own OpenAPI files (outside the repository, in {@code -Dghl.openapi.dir}), with their known defects patched in
 * memory, as request validators. The patched copies are written under {@code target/} only, never into the sources.
 */
public final class OpenApiContract {

    static final String DIR_PROPERTY = "ghl.openapi.dir";
    static final String CONTACTS = "apps/contacts.json";
    static final String BUSINESSES = "apps/businesses.json";
    static final String COMMON = "common/common-schemas.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode contacts;
    private final ObjectNode businesses;
    private final OpenApiInteractionValidator contactsValidator;
    private final OpenApiInteractionValidator businessesValidator;

    private OpenApiContract(ObjectNode contacts, ObjectNode businesses, Path patchedDir) {
        this.contacts = contacts;
        this.businesses = businesses;
        this.contactsValidator = validator(patchedDir.resolve(CONTACTS));
        this.businessesValidator = validator(patchedDir.resolve(BUSINESSES));
    }

    static Path specDir() {
        return Path.of(System.getProperty(DIR_PROPERTY,
                Path.of(System.getProperty("user.dir"), "..", "shared", "ghl-openapi").toString())).normalize();
    }

    /** Why the spec cannot be used, or empty when every file it needs is there. */
    public static Optional<String> missing() {
        Path dir = specDir();
        if (!Files.isDirectory(dir)) {
            return Optional.of("GHL OpenAPI directory " + dir + " (system property " + DIR_PROPERTY + ") does not exist");
        }
        List<String> absent = new ArrayList<>();
        for (String file : List.of(CONTACTS, BUSINESSES, COMMON)) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                absent.add(file);
            }
        }
        return absent.isEmpty() ? Optional.empty()
                : Optional.of("GHL OpenAPI files missing from " + dir + ": " + String.join(", ", absent));
    }

    public static String howToRun() {
        return "; run with mvn verify -D" + DIR_PROPERTY + "=/path/to/ghl-openapi to validate requests against GHL's spec";
    }

    public static OpenApiContract load() {
        Path dir = specDir();
        ObjectNode contacts = read(dir.resolve(CONTACTS));
        declareBulkTagsTypeParameter(contacts);
        describeSearchBody(contacts);
        dateOfBirthIsAString(contacts);
        numericCustomFieldValuesAreNumbers(contacts);
        bulkOperationsNeedABearerToken(contacts);

        Path patched = Path.of(System.getProperty("user.dir"), "target", "ghl-openapi-patched");
        write(patched.resolve(CONTACTS), contacts);
        ObjectNode businesses = read(dir.resolve(BUSINESSES));
        write(patched.resolve(BUSINESSES), businesses);
        write(patched.resolve(COMMON), read(dir.resolve(COMMON)));
        return new OpenApiContract(contacts, businesses, patched);
    }

    /** The spec that holds a request path: businesses.json for /businesses..., contacts.json for the rest. */
    ObjectNode specFor(String path) {
        return path.startsWith("/businesses") ? businesses : contacts;
    }

    ValidationReport validate(Request request) {
        return (request.getPath().startsWith("/businesses") ? businessesValidator : contactsValidator)
                .validateRequest(request);
    }

    /** What is wrong, per GHL's spec, with a request a WireMock stand-in received; empty when nothing is. */
    public List<String> errors(LoggedRequest sent) {
        return errors(validate(request(sent, null)));
    }

    /** What is wrong, per GHL's spec, with a request given by its parts (as a simulator saw it); empty when nothing is. */
    public List<String> errors(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, String body) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, rawPath);
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                request.withQueryParam(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        List.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)));
            }
        }
        headers.forEach(request::withHeader);
        if (body != null && !body.isEmpty()) {
            request.withBody(body);
        }
        return errors(validate(request.build()));
    }

    /** What is wrong, per GHL's spec, with an answer to {@code method rawPath}; empty when nothing is. */
    public List<String> answerErrors(String method, String rawPath, int status, String contentType, String body) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        if (contentType != null) {
            response.withContentType(contentType);
        }
        if (body != null && !body.isEmpty()) {
            response.withBody(body);
        }
        return errors((rawPath.startsWith("/businesses") ? businessesValidator : contactsValidator)
                .validateResponse(rawPath, Request.Method.valueOf(method), response.build()));
    }

    /** A request WireMock received, as the validator reads it, optionally without one header. */
    static Request request(LoggedRequest sent, String leaveOutHeader) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(sent.getMethod().getName(), URI.create(sent.getUrl()).getRawPath());
        sent.getQueryParams().forEach((name, values) -> request.withQueryParam(name, values.values()));
        sent.getHeaders().all().stream()
                .filter(header -> !header.key().equalsIgnoreCase(leaveOutHeader))
                .forEach(header -> request.withHeader(header.key(), header.values()));
        if (!sent.getBodyAsString().isEmpty()) {
            request.withBody(sent.getBodyAsString());
        }
        return request.build();
    }

    static List<String> errors(ValidationReport report) {
        return report.getMessages().stream()
                .filter(message -> message.getLevel() == Level.ERROR)
                .map(message -> message.getKey() + ": " + message.getMessage()
                        + (message.getAdditionalInfo().isEmpty() ? "" : " " + message.getAdditionalInfo()))
                .collect(Collectors.toList());
    }

    private static OpenApiInteractionValidator validator(Path spec) {
        // The default resolver ignores unknown query parameters and (by not injecting additionalProperties: false)
        // unknown body fields; both are mistakes we want to catch, so they are errors here.
        LevelResolver levels = LevelResolver.create()
                .withDefaultLevel(Level.ERROR)
                .withLevel("validation.request.parameter.query.unexpected", Level.ERROR)
                .withLevel("validation.schema.additionalProperties", Level.ERROR)
                .build();
        return OpenApiInteractionValidator.createForSpecificationUrl(spec.toUri().toString())
                .withLevelResolver(levels)
                .withStrictOperationPathMatching()
                .build();
    }

    // Defect: POST /contacts/bulk/tags/update/{type} uses {type} in its path but does not declare it.
    private static void declareBulkTagsTypeParameter(ObjectNode spec) {
        ObjectNode operation = operation(spec, "/contacts/bulk/tags/update/{type}", "post");
        ArrayNode parameters = operation.withArray("parameters");
        for (JsonNode parameter : parameters) {
            if ("type".equals(parameter.path("name").asText()) && "path".equals(parameter.path("in").asText())) {
                return;
            }
        }
        ObjectNode type = parameters.addObject().put("name", "type").put("in", "path").put("required", true);
        type.putObject("schema").put("type", "string").putArray("enum").add("add").add("remove");
    }

    // Defect: SearchBodyV2DTO, the body of POST /contacts/search, declares no fields at all, so nothing of our search
    // body would be checked. These are the fields GHL documents for it (locationId and pageLimit are required).
    private static void describeSearchBody(ObjectNode spec) {
        ObjectNode schema = schema(spec, "SearchBodyV2DTO");
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("locationId").put("type", "string");
        properties.putObject("pageLimit").put("type", "integer").put("maximum", 500);
        properties.putObject("page").put("type", "integer");
        properties.putObject("searchAfter").put("type", "array").putObject("items");
        properties.putObject("query").put("type", "string").put("maxLength", 75);
        // a filter is {field, operator, value} or a {group, filters} of them: only its being an object is checked
        properties.putObject("filters").put("type", "array").putObject("items").put("type", "object")
                .put("additionalProperties", true);
        ObjectNode sort = properties.putObject("sort").put("type", "array").putObject("items").put("type", "object");
        ObjectNode sortFields = sort.putObject("properties");
        sortFields.putObject("field").put("type", "string");
        sortFields.putObject("direction").put("type", "string").putArray("enum").add("asc").add("desc");
        sort.putArray("required").add("field").add("direction");
        schema.putArray("required").add("locationId").add("pageLimit");
    }

    // Defect: dateOfBirth is typed "object" on the create/update/upsert request DTOs, yet it takes a date string
    // (its own description lists the accepted formats).
    private static void dateOfBirthIsAString(ObjectNode spec) {
        for (JsonNode schema : spec.path("components").path("schemas")) {
            JsonNode dateOfBirth = schema.path("properties").path("dateOfBirth");
            if (dateOfBirth instanceof ObjectNode property && "object".equals(property.path("type").asText())) {
                property.put("type", "string");
            }
        }
    }

    // Defect: the NumericField and MonetoryField custom-field inputs type field_value as "object", yet their
    // values are numbers (100, 100.5), so a numeric custom field could never be sent.
    private static void numericCustomFieldValuesAreNumbers(ObjectNode spec) {
        for (String name : List.of("NumericField", "MonetoryField")) {
            JsonNode value = schema(spec, name).path("properties").path("field_value");
            require(value instanceof ObjectNode, name + ".field_value not found");
            if ("object".equals(value.path("type").asText())) {
                ((ObjectNode) value).put("type", "number");
            }
        }
    }

    // Defect: the two bulk operations declare no security, although GHL rejects every call without a bearer token.
    // The scope is left empty because the spec does not say which one they need.
    private static void bulkOperationsNeedABearerToken(ObjectNode spec) {
        for (String path : List.of("/contacts/bulk/tags/update/{type}", "/contacts/bulk/business")) {
            ObjectNode operation = operation(spec, path, "post");
            if (!operation.has("security")) {
                operation.putArray("security").addObject().putArray("bearer");
            }
        }
    }

    private static ObjectNode operation(ObjectNode spec, String path, String method) {
        JsonNode operation = spec.path("paths").path(path).path(method);
        require(operation instanceof ObjectNode, "spec has no " + method.toUpperCase() + " " + path);
        return (ObjectNode) operation;
    }

    private static ObjectNode schema(ObjectNode spec, String name) {
        JsonNode schema = spec.path("components").path("schemas").path(name);
        require(schema instanceof ObjectNode, "spec has no schema " + name);
        return (ObjectNode) schema;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("GHL's OpenAPI file changed (" + message + "); review the patches in "
                    + OpenApiContract.class.getSimpleName());
        }
    }

    private static ObjectNode read(Path file) {
        try {
            return (ObjectNode) MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, JsonNode json) {
        try {
            Files.createDirectories(file.getParent());
            MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bearer scope a spec operation declares, if any. */
    static Optional<String> scope(JsonNode operation) {
        for (JsonNode requirement : operation.path("security")) {
            for (JsonNode scope : requirement.path("bearer")) {
                return Optional.of(scope.asText());
            }
        }
        return Optional.empty();
    }

    static Map<String, JsonNode> parameters(JsonNode operation, String in) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        operation.path("parameters").forEach(p -> {
            if (in.equals(p.path("in").asText())) {
                byName.put(p.path("name").asText(), p);
            }
        });
        return byName;
    }
}
