package io.github.ghlconnectif.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ghlconnectif.store.ServedLocations;

/**
 * Whether a signed GHL event is one this connector takes. GHL signs every app's webhooks with one key, so a valid
 * signature says only that GHL sent it: the event must also be fresh (its {@code timestamp}, when it has one, within
 * {@code ghl.webhook.max-age} and not beyond the clock skew ahead), of this app (its {@code appId}, when it has one),
 * and for a served location. An INSTALL of this app is taken for any location the allow-lists let in: it is how a
 * location starts being served.
 */
public final class GhlEventGate {

    private final Optional<String> appId;
    private final ServedLocations served;
    private final boolean oauth;
    private final Duration maxAge;
    private final Duration maxClockSkew;
    private final Clock clock;

    /** @param oauth whether an INSTALL makes a location served */
    public GhlEventGate(Optional<String> appId, ServedLocations served, boolean oauth, Duration maxAge,
            Duration maxClockSkew, Clock clock) {
        this.appId = appId;
        this.served = served;
        this.oauth = oauth;
        this.maxAge = maxAge;
        this.maxClockSkew = maxClockSkew;
        this.clock = clock;
    }

    /** Why the event is not taken, or null when it is. */
    public Refusal check(JsonNode event, String type) throws GhlEventReader.BadEvent {
        Instant timestamp = timestamp(event);
        Instant now = clock.instant();
        if (timestamp != null && timestamp.isBefore(now.minus(maxAge))) {
            return Refusal.TIMESTAMP_TOO_OLD;
        }
        if (timestamp != null && timestamp.isAfter(now.plus(maxClockSkew))) {
            return Refusal.TIMESTAMP_IN_FUTURE;
        }
        boolean lifecycle = type.equals("INSTALL") || type.equals("UNINSTALL");
        String app = GhlEventReader.text(event, "appId");
        // GHL's lifecycle events always name their app; other events of older payload versions name none
        if (appId.isPresent() && (app != null ? !app.equals(appId.get()) : lifecycle)) {
            return Refusal.FOREIGN_APP;
        }
        String location = GhlEventReader.text(event, "locationId");
        String company = GhlEventReader.text(event, "companyId");
        if (location == null || oauth && type.equals("INSTALL")) {
            return served.allowed(location, company) ? null : Refusal.LOCATION_NOT_ALLOWED;
        }
        return served.serves(location) ? null : Refusal.LOCATION_NOT_SERVED;
    }

    /** The event's {@code timestamp}: ISO-8601 text, or milliseconds since the epoch; null when it has none. */
    static Instant timestamp(JsonNode event) throws GhlEventReader.BadEvent {
        JsonNode value = event.get("timestamp");
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Instant.ofEpochMilli(value.asLong());
        }
        String text = value.isTextual() ? value.asText().trim() : "";
        if (!text.isEmpty() && text.length() <= 40) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw new GhlEventReader.BadEvent("field timestamp is not an ISO-8601 time");
    }
}
