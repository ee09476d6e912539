package io.github.ghlconnectif.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.github.ghlconnectif.store.Store;

/**
 * The configuration mistakes the connector can see before it starts, all found in one pass: a value that its
 * declaration ({@link Options}) refuses (of the wrong kind, outside its range or choices, a token pasted in the wrong
 * form), an HTTP port in use, a store folder that cannot hold the embedded store.
 */
public final class ConfigurationCheck {

    private final Settings settings;
    private final List<String> errors = new ArrayList<>();

    private ConfigurationCheck(Settings settings) {
        this.settings = settings;
    }

    /** Each mistake as one line naming the property and its environment variable; empty when there is none. */
    public static List<String> errors(Settings settings) {
        ConfigurationCheck check = new ConfigurationCheck(settings);
        Options.all().stream().sorted(Comparator.comparing(Option::key))
                .forEach(option -> check.collect(() -> settings.optional(option)));
        check.port();
        check.storeFolder();
        return check.errors;
    }

    private void port() {
        String key = CamelOptions.SERVER_PORT.key();
        int port;
        boolean enabled;
        String host;
        try {
            port = settings.get(CamelOptions.SERVER_PORT);
            enabled = settings.get(CamelOptions.SERVER_ENABLED);
            host = settings.get(CamelOptions.SERVER_HOST);
        } catch (ConfigurationException e) {
            return; // reported with the other values
        }
        if (port > 0 && enabled) {
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
        String url = settings.get(StoreOptions.URL);
        Path file = url.startsWith("jdbc:h2:") ? Store.h2File(url) : null;
        if (file == null || file.getParent() == null) {
            return;
        }
        Path folder = file.getParent();
        String store = Settings.named(StoreOptions.URL.key());
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
