package io.github.ghlconnectif.sync;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** GHL tags as GHL stores them: trimmed and lower case, so that {@code VIP-Gold} and {@code vip-gold} are one tag. */
public final class Tags {

    private Tags() {
    }

    public static String normalise(String tag) {
        return tag.trim().toLowerCase(Locale.ROOT);
    }

    /** The distinct non-blank tags of a GHL {@code tags} value, normalised and sorted. */
    public static List<String> of(Object value) {
        TreeSet<String> tags = new TreeSet<>();
        if (value instanceof List<?> list) {
            list.stream().filter(tag -> tag != null && !String.valueOf(tag).isBlank())
                    .forEach(tag -> tags.add(normalise(String.valueOf(tag))));
        }
        return List.copyOf(tags);
    }
}
