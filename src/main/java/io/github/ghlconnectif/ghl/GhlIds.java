package io.github.ghlconnectif.ghl;

import java.util.regex.Pattern;

/**
 * The shape of a GHL id (location, company, app, contact, task, note, appointment): GHL's are 20 letters and digits,
 * or 24 hex digits; letters, digits, {@code _} and {@code -} up to 64 characters are let through. An id of another
 * shape is refused before it reaches a log line, a metric label, a URL or SQL.
 */
public final class GhlIds {

    public static final int MAX_LENGTH = 64;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");

    private GhlIds() {
    }

    public static boolean valid(String id) {
        return id != null && id.length() <= MAX_LENGTH && ID.matcher(id).matches();
    }
}
