package io.github.ghlconnectif.sync;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** GHL's times in UTC: ISO with an offset (webhooks), ISO in UTC (the API), or zone-less (appointments list). */
public final class Times {

    private static final DateTimeFormatter ZONELESS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Times() {
    }

    /** A time with an offset or {@code Z}, as an ISO-8601 instant in UTC. */
    public static String toUtc(String text) {
        return OffsetDateTime.parse(text.trim()).toInstant().toString();
    }

    /** Any of GHL's forms; a zone-less time is read in {@code zone} (the location's). */
    public static String toUtc(String text, ZoneId zone) {
        String value = text.trim();
        try {
            return toUtc(value);
        } catch (DateTimeParseException e) {
            LocalDateTime local = value.contains("T") ? LocalDateTime.parse(value) : LocalDateTime.parse(value, ZONELESS);
            return local.atZone(zone).toInstant().toString();
        }
    }
}
