package io.github.ghlconnectif.ghl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class GhlEventTypesTest {

    @Test
    void eachEntityNamesItsContactWhereItsPayloadHoldsIt() {
        assertEquals("c1", GhlEventTypes.contactIdOf("ContactTagUpdate", Map.of("id", "c1", "contactId", "other")));
        assertEquals("c2", GhlEventTypes.contactIdOf("NoteCreate", Map.of("id", "n1", "contactId", "c2")));
        assertEquals("c3", GhlEventTypes.contactIdOf("AppointmentUpdate",
                Map.of("appointment", Map.of("id", "a1", "contactId", "c3"))));
        assertNull(GhlEventTypes.contactIdOf("AppointmentUpdate", Map.of("contactId", "c3")));
        assertNull(GhlEventTypes.contactIdOf("INSTALL", Map.of("contactId", "c4", "locationId", "l1")));
        assertNull(GhlEventTypes.contactIdOf("TaskCreate", Map.of("id", "t1", "contactId", " ")));
        // a type of the connector's own (the reconciler's task poll) names it as contactId
        assertEquals("c5", GhlEventTypes.contactIdOf("TaskPoll", Map.of("contactId", "c5")));
    }

    @Test
    void onlyContactChangesOtherThanADeleteMergeWithEachOther() {
        GhlEventTypes.all().forEach(type -> assertEquals(
                type.entity() == GhlEventTypes.Entity.CONTACT && !type.name().equals("ContactDelete"),
                type.coalescing() == GhlEventTypes.Coalescing.CONTACT_CHANGE, type.name()));
        assertTrue(GhlEventTypes.find("ContactDelete").isPresent());
    }
}
