package io.github.ghlconnectif.rules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.ghl.GhlEventTypes;
import io.github.ghlconnectif.inbox.FlowHeaders;
import io.github.ghlconnectif.inbox.Inbox;
import io.github.ghlconnectif.inbox.InboxEvent;
import io.github.ghlconnectif.sync.SyncStateStore;
import io.github.ghlconnectif.sync.SyncVariables;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;

/**
 * The engineers' rules: every started route consuming from {@code direct:rule-<name>} (one YAML file each under
 * {@code routes/}). After the shipped sync of a run, {@link #after} stores one inbox row per rule with the run's
 * change facts; the dispatcher runs each row through {@code direct:run-rule} ({@link #restore}), so that a rule is
 * retried, dead-lettered (under its own route id) and replayed on its own, and never holds up the contact's sync.
 */
public final class Rules {

    /** The inbox source of rule runs. */
    public static final String SOURCE = "rule";
    /** Rules consume from an endpoint starting with this. */
    public static final String ENDPOINT_PREFIX = "direct://rule-";
    /** The variables a rule gets, besides ghlEvents. */
    public static final String TAGS_ADDED = "tagsAdded";
    public static final String TAGS_REMOVED = "tagsRemoved";
    public static final String CHANGED_FIELDS = "changedFields";
    public static final String EVENT_TYPES = "eventTypes";
    public static final String CONTACT = "contact";
    /** Set by routes/sync-contact.camel.yaml: the contact as fetched from GHL in this run. */
    public static final String FETCHED_CONTACT = "ghlContact";
    private static final String TAGS_BEFORE = "rulesTagsBefore";
    private static final int MAX_ROUTE_ID = 64;

    private final CamelContext camel;
    private final Inbox inbox;
    private final SyncStateStore states;
    private final ContactFields fields;
    private final ObjectMapper mapper;
    private final IntConsumer onStored;
    private volatile RuleRoutes ruleRoutes;

    /** @param onStored told how many rule runs were stored in the inbox (the dispatcher's {@code stored}) */
    public Rules(CamelContext camel, Inbox inbox, SyncStateStore states, ContactFields fields, ObjectMapper mapper,
            IntConsumer onStored) {
        this.camel = camel;
        this.inbox = inbox;
        this.states = states;
        this.fields = fields;
        this.mapper = mapper;
        this.onStored = onStored;
    }

    /** The route ids of the rules that are started. */
    public List<String> started() {
        List<String> ids = new ArrayList<>();
        for (Route route : ruleRoutes()) {
            if (camel.getRouteController().getRouteStatus(route.getRouteId()) == ServiceStatus.Started) {
                ids.add(route.getRouteId());
            }
        }
        return ids;
    }

    /**
     * The rule routes, looked for again only when the routes changed: this runs twice per flow run, and walking the
     * 60-odd routes each time was a tenth of a worker's CPU at a trickle (bench/README.md, issue 17).
     */
    private List<Route> ruleRoutes() {
        RuleRoutes known = ruleRoutes;
        if (known == null || known.routeCount() != camel.getRoutesSize()
                || known.routes().stream().anyMatch(route -> camel.getRoute(route.getRouteId()) != route)) {
            known = new RuleRoutes(camel.getRoutesSize(), camel.getRoutes().stream()
                    .filter(route -> route.getEndpoint().getEndpointUri().startsWith(ENDPOINT_PREFIX)).toList());
            ruleRoutes = known;
        }
        return known.routes();
    }

    private record RuleRoutes(int routeCount, List<Route> routes) {
    }

    /** Fails start-up on a rule whose route id cannot key its dead letters. */
    public void validate() {
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint().getEndpointUri().startsWith(ENDPOINT_PREFIX) && route.getRouteId().length() > MAX_ROUTE_ID) {
                throw new IllegalStateException("Rule route id " + route.getRouteId().substring(0, MAX_ROUTE_ID)
                        + "... is longer than " + MAX_ROUTE_ID + " characters (" + route.getSourceLocation() + ")");
            }
        }
    }

    /** Before the shipped sync: remembers the contact's tags as last applied, to tell the rules which were added. */
    public void before(Exchange exchange) {
        String contactId = exchange.getMessage().getHeader(FlowHeaders.CONTACT_ID, String.class);
        if (contactId == null || started().isEmpty()) {
            return;
        }
        states.find(contactId).filter(state -> !state.deleted())
                .ifPresent(state -> exchange.setVariable(TAGS_BEFORE, state.tags()));
    }

    /** After the shipped sync: one inbox row per started rule, with the run's change facts. */
    public void after(Exchange exchange) {
        String contactId = exchange.getMessage().getHeader(FlowHeaders.CONTACT_ID, String.class);
        List<String> rules = started();
        if (contactId == null || rules.isEmpty()) {
            return;
        }
        String locationId = exchange.getMessage().getHeader(FlowHeaders.LOCATION_ID, String.class);
        Map<String, Object> facts = new LinkedHashMap<>();
        List<String> types = exchange.getVariable(FlowHeaders.EVENT_TYPES, List.class);
        facts.put(EVENT_TYPES, types == null ? List.of(exchange.getMessage().getHeader(FlowHeaders.EVENT_TYPE)) : types);
        facts.put(SyncVariables.FIRST_SYNC, Boolean.TRUE.equals(exchange.getVariable(SyncVariables.FIRST_SYNC)));
        facts.put(TAGS_ADDED, List.of());
        facts.put(TAGS_REMOVED, List.of());
        facts.put(CHANGED_FIELDS, List.of());
        ContactFields.Change change = null;
        if (exchange.getVariable(FETCHED_CONTACT) instanceof Map<?, ?> fetched && fetched.get("id") != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> contact = (Map<String, Object>) fetched;
            facts.put(CONTACT, contact);
            change = fields.compare(locationId, contact);
            facts.put(CHANGED_FIELDS, change.changed());
            tagFacts(exchange, contact, change, facts);
        }
        entity(exchange, facts);
        facts.put(FlowHeaders.EVENTS, exchange.getVariable(FlowHeaders.EVENTS));
        Map<String, Object> headers = new LinkedHashMap<>();
        for (String header : List.of(FlowHeaders.EVENT_TYPE, FlowHeaders.EVENT_COUNT, FlowHeaders.LOCATION_ID,
                FlowHeaders.CONTACT_ID)) {
            headers.put(header, exchange.getMessage().getHeader(header));
        }
        String runKey = exchange.getVariable(FlowHeaders.EVENT_KEY, String.class);
        List<InboxEvent> rows = new ArrayList<>();
        for (String rule : rules) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("rule", rule);
            payload.put("headers", headers);
            payload.put("variables", facts);
            payload.put("event", lead(exchange));
            String key = "rule:" + UUID.nameUUIDFromBytes((rule + "\n" + (runKey != null ? runKey : UUID.randomUUID()))
                    .getBytes(StandardCharsets.UTF_8));
            // each rule keeps its own order per contact, apart from the contact's events and the other rules
            String order = rule + "|" + locationId + "|" + contactId;
            rows.add(new InboxEvent(key, SOURCE, String.valueOf(headers.get(FlowHeaders.EVENT_TYPE)), locationId,
                    order.length() <= 200 ? order : rule + "|" + UUID.nameUUIDFromBytes(order.getBytes(StandardCharsets.UTF_8)),
                    json(payload)));
        }
        int stored = 0;
        for (boolean fresh : inbox.accept(rows)) {
            stored += fresh ? 1 : 0;
        }
        onStored.accept(stored);
        if (change != null) {
            fields.save(locationId, contactId, change);
        }
    }

    /**
     * Tags added and removed, compared without regard to case, as GHL spells them now (added) or as the sync state
     * keeps them, trimmed and lower case (removed).
     * None when GHL returned an older version than the rules saw, and none for a contact seen for the first time unless it was just
     * created (a contact that had its tags before the connector saw it did not get them now), as for ghl-tag-added.
     */
    private static void tagFacts(Exchange exchange, Map<String, Object> contact, ContactFields.Change change,
            Map<String, Object> facts) {
        List<String> before = ContactFields.list(exchange.getVariable(TAGS_BEFORE));
        boolean known = exchange.getVariable(TAGS_BEFORE) != null;
        List<?> types = (List<?>) facts.get(EVENT_TYPES);
        if (change.changed().isEmpty() || (!known && !types.contains("ContactCreate"))) {
            return;
        }
        List<String> now = ContactFields.list(contact.get("tags"));
        facts.put(TAGS_ADDED, minus(now, before));
        facts.put(TAGS_REMOVED, minus(before, now));
    }

    private static List<String> minus(List<String> tags, List<String> others) {
        Set<String> lower = others.stream().map(tag -> tag.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return tags.stream().filter(tag -> !lower.contains(tag.toLowerCase(Locale.ROOT))).distinct().sorted().toList();
    }

    /** The task, note or appointment the run's event is about, under its entity's family name, as the event carries it. */
    private static void entity(Exchange exchange, Map<String, Object> facts) {
        String type = exchange.getMessage().getHeader(FlowHeaders.EVENT_TYPE, String.class);
        if (type == null || !(lead(exchange) instanceof Map<?, ?> lead)) {
            return;
        }
        GhlEventTypes.find(type).map(GhlEventTypes.EventType::entity)
                .filter(entity -> entity != GhlEventTypes.Entity.CONTACT && entity != GhlEventTypes.Entity.APP)
                .ifPresent(entity -> facts.put(entity.family(), entity.of(lead)));
    }

    /** The run's latest event (the shipped flows replace the body). */
    private static Object lead(Exchange exchange) {
        return exchange.getVariable(FlowHeaders.EVENTS) instanceof List<?> events && !events.isEmpty()
                ? events.get(events.size() - 1) : null;
    }

    /** In {@code direct:run-rule}: the rule row's headers, variables and event back on the exchange; returns the rule. */
    public String restore(Exchange exchange) {
        Map<?, ?> payload = exchange.getMessage().getBody(Map.class);
        Object rule = payload == null ? null : payload.get("rule");
        if (!(rule instanceof String id) || !(payload.get("variables") instanceof Map<?, ?> variables)) {
            throw new IllegalArgumentException("A rule run without a rule or its facts");
        }
        exchange.setVariable(FlowHeaders.FAILED_ROUTE, id);
        exchange.getMessage().removeHeaders("*");
        if (payload.get("headers") instanceof Map<?, ?> headers) {
            headers.forEach((name, value) -> exchange.getMessage().setHeader(String.valueOf(name), value));
        }
        variables.forEach((name, value) -> exchange.setVariable(String.valueOf(name), value));
        exchange.getMessage().setBody(payload.get("event"));
        Route route = camel.getRoute(id);
        if (route == null) {
            throw new IllegalStateException("Rule " + id + " is not among the routes (its file was removed?)");
        }
        return route.getEndpoint().getEndpointUri();
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The facts of a rule run cannot be written as JSON", e);
        }
    }
}
