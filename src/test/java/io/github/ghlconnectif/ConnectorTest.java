package io.github.ghlconnectif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;

import io.github.ghlconnectif.config.ConfigurationException;
import io.github.ghlconnectif.config.Settings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ConnectorTest {

    @Test
    void theStartGoesOnWhileTheStoreOpensAndTheWaitForItSaysInOneLineWhyItCannot() {
        Map<String, String> properties = Map.of("ghl.auth.mode", "private-token", "ghl.private-token", "token",
                "ghl.location-id", "location1", "connectif.api-key", "key:secret", "camel.server.port", "0",
                "store.url", "jdbc:postgresql://127.0.0.1:1/db?password=hunter2&connectTimeout=1",
                "store.connect-timeout", "1s");
        // before the store opened on its own thread, checked() itself failed here
        Connector connector = Connector.checked(new Settings(name -> Optional.ofNullable(properties.get(name))),
                new SimpleMeterRegistry());
        try {
            ConfigurationException error = assertThrows(ConfigurationException.class, connector::awaitStore);
            assertEquals("Cannot open the store at jdbc:postgresql://127.0.0.1:1/db", error.getMessage().split(": ")[0]);
            assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
            assertFalse(error.getMessage().contains("\n"), error.getMessage());
            assertThrows(ConfigurationException.class, connector::start, "Camel's start of the service waits for it too");
        } finally {
            connector.stop();
        }
    }
}
