package io.github.ghlconnectif.sandbox;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the simulated GHL holds (locations, tokens, contacts and what hangs off them) and the words its resources
 * share: ids, times, copies, webhooks and the console line of an API call. Guarded by the {@link GhlSimulator}'s lock:
 * each of its requests and story steps holds it while it reads or changes this.
 */
final class GhlData {

    record Location(String id, String name, String companyId, ZoneId zone) {
    }

    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    final Map<String, Location> locations = new LinkedHashMap<>();
    final Map<String, String> accessTokens = new HashMap<>();
    final Map<String, String> refreshTokens = new HashMap<>();
    final Map<String, String> codes = new HashMap<>();
    final Map<String, Map<String, Object>> contacts = new LinkedHashMap<>();
    final Map<String, Map<String, Map<String, Object>>> tasks = new HashMap<>();
    final Map<String, Map<String, Map<String, Object>>> notes = new HashMap<>();
    final Map<String, Map<String, Map<String, Object>>> appointments = new HashMap<>();
    /** Per contact: the workflows and campaigns it was added to by the API. */
    final Map<String, Set<String>> workflows = new HashMap<>();
    final Map<String, Set<String>> campaigns = new HashMap<>();
    final Map<String, Map<String, Object>> businesses = new LinkedHashMap<>();
    String clientId;
    String clientSecret;

    private final SecureRandom random = new SecureRandom();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Consumer<String> console;
    private final WebhookSender webhooks;
    private Instant lastTime = Instant.EPOCH;

    GhlData(Consumer<String> console, WebhookSender webhooks) {
        this.console = console;
        this.webhooks = webhooks;
    }

    static Map<String, Object> event(String type, String locationId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("locationId", locationId);
        return event;
    }

    /** The app id of a Marketplace client id ({@code <app id>-<suffix>}), which GHL's webhooks carry as appId. */
    String appId() {
        return clientId == null ? null : clientId.split("-", 2)[0];
    }

    void emit(Map<String, Object> event) {
        String appId = appId();
        if (appId != null) {
            event.put("appId", appId);
        }
        console.accept("[ghl] -> " + event.get("type") + " webhook, signed");
        webhooks.send(event);
    }

    void api(String what) {
        console.accept("[ghl] <- API call: " + what);
    }

    Map<String, Object> contactOrFail(String contactId) {
        Map<String, Object> contact = contacts.get(contactId);
        if (contact == null) {
            throw new IllegalArgumentException("GHL has no contact " + contactId);
        }
        return contact;
    }

    Map<String, Object> findByEmail(String locationId, String email) {
        if (email == null) {
            return null;
        }
        String wanted = email.trim().toLowerCase(Locale.ROOT);
        return contacts.values().stream().filter(contact -> locationId.equals(contact.get("locationId"))
                && wanted.equals(contact.get("email"))).findFirst().orElse(null);
    }

    /** The location's contact with this phone number, in any of the ways it can be written; null when none. */
    Map<String, Object> findByPhone(String locationId, String number) {
        String phone = phone(number);
        return contacts.values().stream().filter(contact -> locationId.equals(contact.get("locationId"))
                && phone.equals(contact.get("phone"))).findFirst().orElse(null);
    }

    static String name(Map<String, Object> contact) {
        return contact.get("name") != null ? String.valueOf(contact.get("name")) : String.valueOf(contact.get("email"));
    }

    static String phone(String text) {
        String digits = text.replaceAll("[^0-9+]", "");
        return digits.startsWith("+") ? digits : "+" + digits;
    }

    /** Strictly increasing times, so that each change has a later dateUpdated than the one before. */
    String now() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        lastTime = now.isAfter(lastTime) ? now : lastTime.plusMillis(1);
        return time(lastTime);
    }

    /** GHL's times: ISO-8601 in UTC with milliseconds. */
    static String time(Instant instant) {
        return MILLIS.format(instant.atOffset(ZoneOffset.UTC));
    }

    static Instant instant(Object time) {
        String text = String.valueOf(time);
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return OffsetDateTime.parse(text).toInstant();
        }
    }

    static long millis(Object time) {
        if (time instanceof Number number) {
            return number.longValue();
        }
        try {
            return time == null ? 0 : Instant.parse(String.valueOf(time)).toEpochMilli();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    String newId() {
        StringBuilder id = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
        }
        return id.toString();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> copy(Map<String, Object> value) {
        return mapper.convertValue(value, LinkedHashMap.class);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> json(String body) throws Exception {
        return mapper.readValue(body, LinkedHashMap.class);
    }
}
