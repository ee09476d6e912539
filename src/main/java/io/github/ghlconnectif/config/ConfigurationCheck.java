package io.github.ghlconnectif.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.github.ghlconnectif.store.Store;

/**
 * The configuration mistakes the connector can see before it starts, all found in one pass: a value of the wrong kind
 * (the kind of its bundled default), a value outside its choices, a token pasted in the wrong form, an HTTP port in
 * use, a store folder that cannot hold the embedded store.
 */
public final class ConfigurationCheck {

    /** The properties that take one of a few words. */
    public static final Map<String, List<String>> CHOICES = Map.of(
            "ghl.auth.mode", List.of("oauth", "private-token"),
            "ghl.oauth.user-type", List.of("Location", "Company"),
            "sync.contact-delete", List.of("delete", "flag"),
            "sandbox.auth-mode", List.of("oauth", "private-token"));

    private static final Pattern DURATION = Pattern.compile("\\d+\\s*(ms|s|m|h|d)");
    private static final Pattern WHOLE = Pattern.compile("-?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("\\d*\\.\\d+");

    private final Settings settings;
    private final List<String> errors = new ArrayList<>();

    private ConfigurationCheck(Settings settings) {
        this.settings = settings;
    }

    /** Each mistake as one line naming the property and its environment variable; empty when there is none. */
    public static List<String> errors(Settings settings) {
        ConfigurationCheck check = new ConfigurationCheck(settings);
        check.kinds(bundledDefaults());
        CHOICES.keySet().stream().sorted().forEach(key -> check.collect(() -> settings.getChoice(key,
                settings.optional(key).orElse(CHOICES.get(key).get(0)), CHOICES.get(key))));
        check.collect(check::values);
        check.tokens();
        check.port();
        check.storeFolder();
        return check.errors;
    }

    /** The defaults in the jar's application.properties: every property the connector documents. */
    public static Properties bundledDefaults() {
        Properties defaults = new Properties();
        try (InputStream in = ConfigurationCheck.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                defaults.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return defaults;
    }

    private void kinds(Properties defaults) {
        for (String key : new TreeSet<>(defaults.stringPropertyNames())) {
            String example = defaults.getProperty(key).trim();
            if (DURATION.matcher(example).matches()) {
                collect(() -> settings.getDuration(key, Duration.ZERO));
            } else if (WHOLE.matcher(example).matches()) {
                collect(() -> settings.getLong(key, 0));
            } else if (DECIMAL.matcher(example).matches()) {
                collect(() -> settings.getDouble(key, 0));
            } else if (example.equals("true") || example.equals("false")) {
                collect(() -> settings.getBoolean(key, false));
            }
        }
    }

    /** Values of the right kind that still cannot work. */
    private void values() {
        String share = "sync.backfill.budget-share";
        double value = settings.getDouble(share, 0.5);
        if (value <= 0 || value > 1) {
            errors.add(Settings.invalid(share, settings.get(share, ""), "a number above 0 and at most 1").getMessage());
        }
        String zone = "ghl.location-timezone";
        try {
            ZoneId.of(settings.get(zone, "UTC"));
        } catch (DateTimeException e) {
            errors.add(Settings.invalid(zone, settings.get(zone, ""), "a time zone id like Europe/Madrid").getMessage());
        }
    }

    private void tokens() {
        settings.optional("ghl.private-token").filter(token -> token.regionMatches(true, 0, "Bearer ", 0, 7))
                .ifPresent(token -> errors.add(Settings.named("ghl.private-token")
                        + " must be the token alone, without 'Bearer ' in front"));
        settings.optional("connectif.api-key").filter(key -> key.indexOf(':') <= 0 || key.endsWith(":"))
                .ifPresent(key -> errors.add(Settings.named("connectif.api-key")
                        + " must be written 'Key Id:Key Secret', both parts joined by ':', as Connectif shows them"));
    }

    private void port() {
        String key = "camel.server.port";
        int port;
        try {
            port = settings.getInt(key, 8080);
        } catch (ConfigurationException e) {
            return; // reported with the other numbers
        }
        if (port < 0 || port > 65535) {
            errors.add(Settings.named(key) + " must be a port from 1 to 65535 (0: any free port), not '" + port + "'");
        } else if (port > 0 && settings.get("camel.server.enabled", "true").equals("true")) {
            String host = settings.get("camel.server.host", "0.0.0.0");
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            } catch (IOException e) {
                errors.add("port " + port + " is in use; set " + Settings.environmentName(key) + " (" + key + ")");
            }
        }
    }

    /**
     * The folder of an embedded H2 store must be a folder this process can write: the folder itself, or when it is
     * still to be made (by the store, readable by its owner only), the nearest folder above it that exists.
     */
    private void storeFolder() {
        String url = settings.get("store.url", "");
        Path file = url.startsWith("jdbc:h2:") ? Store.h2File(url) : null;
        if (file == null || file.getParent() == null) {
            return;
        }
        Path folder = file.getParent();
        String store = Settings.named("store.url");
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        if (!Files.isDirectory(existing)) {
            errors.add(store + ": cannot keep the store in " + folder + ": " + existing + " is a file, not a directory");
            return;
        }
        try {
            Files.delete(Files.createTempFile(existing, ".write-check", ".tmp"));
        } catch (IOException e) {
            errors.add(store + ": cannot write the store folder " + existing + ": " + reason(e));
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private void collect(Runnable check) {
        collect(errors, check);
    }

    /** Runs {@code check}, adding its configuration error, if any, to {@code errors}. */
    public static void collect(List<String> errors, Runnable check) {
        try {
            check.run();
        } catch (ConfigurationException e) {
            errors.add(e.getMessage());
        }
    }
}
