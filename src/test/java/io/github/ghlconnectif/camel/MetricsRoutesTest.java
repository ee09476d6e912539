package io.github.ghlconnectif.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MetricsRoutesTest {

    @Test
    void labelValuesAreEscapedAsTheExpositionFormatSays() {
        assertEquals("x\\\"\\nevil", MetricsRoutes.label("x\"\nevil"));
        assertEquals("a\\\\\\\"} 1\\nb", MetricsRoutes.label("a\\\"} 1\nb"));
        assertEquals("plain-Id_1", MetricsRoutes.label("plain-Id_1"));
    }
}
