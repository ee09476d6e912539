package io.github.ghlconnectif.config;

import java.util.ArrayList;
import java.util.List;

/** Replaces the configured secrets' values with {@code ****} in text bound for a log line or the store. */
public final class SecretMasker {

    private final List<String> secrets = new ArrayList<>();

    /** The values of the options declared secret. */
    public SecretMasker(Settings settings) {
        for (Option<?> option : Options.all().stream().filter(Option::secret).toList()) {
            settings.optional(option.key()).filter(value -> value.length() >= 4).ifPresent(value -> {
                secrets.add(value);
                int colon = value.indexOf(':');
                if (option == ConnectifOptions.API_KEY && colon > 0 && value.length() - colon > 4) {
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
