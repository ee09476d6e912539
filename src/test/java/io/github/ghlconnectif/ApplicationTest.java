package io.github.ghlconnectif;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApplicationTest {

    private final String before = System.getProperty(Application.MAX_CACHED_BUFFER_SIZE);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(Application.MAX_CACHED_BUFFER_SIZE);
        } else {
            System.setProperty(Application.MAX_CACHED_BUFFER_SIZE, before);
        }
    }

    @Test
    void theJdkKeepsNoDirectBufferAbove256KiBPerThreadUnlessToldOtherwise() {
        System.clearProperty(Application.MAX_CACHED_BUFFER_SIZE);
        Application.limitCachedDirectBuffers();
        assertEquals("262144", System.getProperty(Application.MAX_CACHED_BUFFER_SIZE));

        System.setProperty(Application.MAX_CACHED_BUFFER_SIZE, "1048576");
        Application.limitCachedDirectBuffers();
        assertEquals("1048576", System.getProperty(Application.MAX_CACHED_BUFFER_SIZE), "a -D value wins");
    }
}
