package io.github.ghlconnectif.sync;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits a list into a Connectif text field of at most {@code maxLength} characters (Connectif's limit is 5,000): cut
 * at a whole item, ending with how many were left out ({@code … and 12 more}). A cut is logged once per contact.
 */
public final class TextCap {

    public static final int DEFAULT_MAX_LENGTH = 5000;

    private static final Logger LOG = LoggerFactory.getLogger(TextCap.class);
    /** Contacts whose cut was logged; bounded, so a huge account costs at most this many entries. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
    private static final int MAX_LOGGED = 100_000;

    private TextCap() {
    }

    /** The items joined by {@code separator}, cut to {@code maxLength}; logs the first cut of {@code contactId}. */
    public static String join(List<String> items, String separator, int maxLength, String contactId, String field) {
        String all = String.join(separator, items);
        if (all.length() <= maxLength) {
            return all;
        }
        StringBuilder text = new StringBuilder();
        int kept = 0;
        for (String item : items) {
            int left = items.size() - kept - 1;
            int needed = text.length() + (kept == 0 ? 0 : separator.length()) + item.length()
                    + (left == 0 ? 0 : separator.length() + more(left).length());
            if (needed > maxLength) {
                break;
            }
            text.append(kept == 0 ? "" : separator).append(item);
            kept++;
        }
        int leftOut = items.size() - kept;
        text.append(kept == 0 ? "" : separator).append(more(leftOut));
        if (LOGGED.size() >= MAX_LOGGED) {
            LOGGED.clear();
        }
        if (LOGGED.add(contactId)) {
            LOG.warn("Contact {}: {} cut to {} characters, {} of {} items left out (logged once per contact)", contactId,
                    field, maxLength, leftOut, items.size());
        }
        return text.length() <= maxLength ? text.toString() : text.substring(0, maxLength);
    }

    private static String more(int count) {
        return "… and " + count + " more";
    }
}
