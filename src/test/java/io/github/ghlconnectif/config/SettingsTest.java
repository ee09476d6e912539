package io.github.ghlconnectif.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SettingsTest {

    final Settings settings = new Settings(key -> Optional.ofNullable(Map.of(
            "a.duration", "250ms", "b.duration", "5m", "c.duration", "PT30S", "blank", "  ", "bad.int", "ten",
            "bad.flag", "yes").get(key)));

    @Test
    void namesTheEnvironmentVariableOfAProperty() {
        assertEquals("GHL_BASE_URL", Settings.environmentName("ghl.base-url"));
        assertEquals("GHL_OAUTH_CLIENT_SECRET", Settings.environmentName("ghl.oauth.client-secret"));
    }

    @Test
    void readsDurations() {
        assertEquals(Duration.ofMillis(250), settings.get(Option.duration("a.duration", "0s", "")));
        assertEquals(Duration.ofMinutes(5), settings.get(Option.duration("b.duration", "0s", "")));
        assertEquals(Duration.ofSeconds(30), settings.get(Option.duration("c.duration", "0s", "")));
        assertEquals(Duration.ofHours(1), settings.get(Option.duration("missing", "1h", "")));
        assertEquals("1h", settings.written(Option.duration("missing", "1h", "")));
    }

    @Test
    void blankIsAbsentAndRequiredValuesNameTheirVariable() {
        Option<String> blank = Option.text("blank", null, "");
        assertTrue(settings.optional(blank).isEmpty());
        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> settings.require(blank, "needed for the test"));
        assertEquals("Missing property blank (environment variable BLANK): needed for the test", error.getMessage());
    }

    @Test
    void invalidValuesNameTheProperty() {
        ConfigurationException number = assertThrows(ConfigurationException.class,
                () -> settings.get(Option.whole("bad.int", "1", 0, "")));
        ConfigurationException flag = assertThrows(ConfigurationException.class,
                () -> settings.get(Option.flag("bad.flag", "true", "")));
        assertEquals("bad.int (BAD_INT) must be a whole number, not 'ten'", number.getMessage());
        assertEquals("bad.flag (BAD_FLAG) must be true or false, not 'yes'", flag.getMessage());
        assertFalse(settings.get(Option.flag("missing", "false", "")));
    }
}
