package io.github.ghlconnectif.config;

import java.util.ArrayList;
import java.util.List;

/** Replaces the configured secrets' values with {@code ****} in text bound for a log line or the store. */
public final class SecretMasker {

    /** The properties whose values are secrets. */
    public static final List<String> SECRET_PROPERTIES = List.of("ghl.private-token", "ghl.oauth.client-secret",
            "connectif.api-key", "connectif.webhook.token", "admin.token", "store.secret-key", "store.password");

    private final List<String> secrets = new ArrayList<>();

    public SecretMasker(Settings settings) {
        for (String key : SECRET_PROPERTIES) {
            settings.optional(key).filter(value -> value.length() >= 4).ifPresent(value -> {
                secrets.add(value);
                int colon = value.indexOf(':');
                if (key.equals("connectif.api-key") && colon > 0 && value.length() - colon > 4) {
                    secrets.add(value.substring(colon + 1));
                }
            });
        }
    }

    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, "****");
        }
        return masked;
    }
}
