package io.github.ghlconnectif.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** The declarations of the properties, and the application.properties that Camel and Camel JBang read. */
class OptionsTest {

    static Settings settings(Map<String, String> values) {
        return new Settings(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void eachPropertyIsDeclaredOnce() {
        Set<String> keys = new TreeSet<>();
        List<String> twice = new ArrayList<>();
        for (Option<?> option : Options.all()) {
            if (!keys.add(option.key())) {
                twice.add(option.key());
            }
        }
        assertEquals(List.of(), twice);
        assertTrue(keys.size() > 90, "found only " + keys);
    }

    @Test
    void applicationPropertiesWritesOnlyDeclaredPropertiesWithTheirDeclaredValues() throws IOException {
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            file.load(in);
        }
        Map<String, String> differ = new TreeMap<>();
        for (String key : file.stringPropertyNames()) {
            String declared = Options.find(key).map(Option::defaultText).orElse("(not declared)");
            if (!file.getProperty(key).trim().equals(declared == null ? "" : declared)) {
                differ.put(key, file.getProperty(key) + " in the file, " + declared + " declared");
            }
        }
        assertEquals(Map.of(), differ);
    }

    @Test
    void valuesAreReadAsDeclaredAndCheckedWithTheirRange() {
        Settings settings = settings(Map.of("sync.lease", "2m", "sync.concurrency", "0", "sync.contact-delete", "zap",
                "ghl.private-token", "Bearer x", "sync.daily-reserve", "1"));
        assertEquals(Duration.ofMinutes(2), settings.get(SyncOptions.LEASE));
        assertEquals(Duration.ofMillis(500), settings.get(SyncOptions.POLL_INTERVAL));
        assertEquals("sync.concurrency (SYNC_CONCURRENCY) must be a whole number of at least 1, not '0'",
                assertThrows(ConfigurationException.class, () -> settings.get(SyncOptions.CONCURRENCY)).getMessage());
        assertEquals("sync.contact-delete (SYNC_CONTACT_DELETE) must be one of delete, flag, not 'zap'",
                assertThrows(ConfigurationException.class, () -> settings.get(SyncOptions.CONTACT_DELETE)).getMessage());
        assertEquals("sync.daily-reserve (SYNC_DAILY_RESERVE) must be a number from 0 to below 1, not '1'",
                assertThrows(ConfigurationException.class, () -> settings.get(SyncOptions.DAILY_RESERVE)).getMessage());
        assertEquals("Missing property admin.token (environment variable ADMIN_TOKEN): needed here",
                assertThrows(ConfigurationException.class, () -> settings.require(AdminOptions.TOKEN, "needed here"))
                        .getMessage());
        assertEquals(Optional.empty(), settings.optional(GhlOptions.LOCATION_ID));
        assertEquals(Set.of(), settings.get(GhlOptions.ALLOWED_LOCATIONS));
    }

    @Test
    void theStartUpCheckFindsEveryRefusedValueInOnePass() {
        // StartupMistakesIT has the kinds and choices, through the jar; these are the ranges
        List<String> errors = ConfigurationCheck.errors(settings(Map.of("camel.server.port", "70000",
                "sync.concurrency", "0", "sync.lease", "-5s")));
        assertEquals(List.of(
                "camel.server.port (CAMEL_SERVER_PORT) must be a port from 1 to 65535 (0: any free port), not '70000'",
                "sync.concurrency (SYNC_CONCURRENCY) must be a whole number of at least 1, not '0'",
                "sync.lease (SYNC_LEASE) must be a duration of 0 or more, like 30s or 5m, not '-5s'"), errors);
    }

    @Test
    void quartzThreadsOfNoneOrNotANumberAreRefusedAtStartNotLeftToQuartz() {
        String key = CamelOptions.QUARTZ_THREADS.key();
        assertEquals(List.of(key + " (" + Settings.environmentName(key) + ") must be a whole number of at least 1, not '0'"),
                ConfigurationCheck.errors(settings(Map.of(key, "0"))));
        assertEquals(List.of(key + " (" + Settings.environmentName(key) + ") must be a whole number, not '-1e99'"),
                ConfigurationCheck.errors(settings(Map.of(key, "-1e99"))));
    }

    @Test
    void tokensPastedInTheWrongFormAreRefusedWithoutRepeatingThem() {
        Settings settings = settings(Map.of("ghl.private-token", "bearer pit-secret-1", "connectif.api-key", "cnf-secret-2:"));
        assertEquals("ghl.private-token (GHL_PRIVATE_TOKEN) must be the token alone, without 'Bearer ' in front",
                assertThrows(ConfigurationException.class, () -> settings.optional(GhlOptions.PRIVATE_TOKEN)).getMessage());
        assertEquals("connectif.api-key (CONNECTIF_API_KEY) must be written 'Key Id:Key Secret', both parts joined by ':',"
                + " as Connectif shows them", assertThrows(ConfigurationException.class,
                        () -> settings.require(ConnectifOptions.API_KEY, "needed")).getMessage());
    }

    @Test
    void aSecretIsNeverRepeatedInAnError() {
        Option<Integer> secret = Option.whole("x.secret", null, 0, "a secret number").asSecret();
        assertEquals("x.secret (X_SECRET) must be a whole number",
                assertThrows(ConfigurationException.class, () -> secret.parse("s3cr3t")).getMessage());
    }
}
