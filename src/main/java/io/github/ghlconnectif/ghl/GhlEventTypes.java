package io.github.ghlconnectif.ghl;

import java.util.List;

/** The GHL webhook event types the connector handles, with the scope an app needs to receive them. */
public final class GhlEventTypes {

    /** One webhook event type. */
    public record EventType(String name, String scope, String summary) {
    }

    private static final String CONTACTS = "contacts.readonly";
    private static final String CALENDARS = "calendars/events.readonly";
    private static final String APP = "(app lifecycle)";

    private static final List<EventType> ALL = List.of(
            new EventType("ContactCreate", CONTACTS, "a contact was created"),
            new EventType("ContactUpdate", CONTACTS, "a contact was changed"),
            new EventType("ContactDelete", CONTACTS, "a contact was deleted"),
            new EventType("ContactTagUpdate", CONTACTS, "a contact's tags changed (carries the whole list)"),
            new EventType("ContactDndUpdate", CONTACTS, "a contact's do-not-disturb settings changed"),
            new EventType("TaskCreate", CONTACTS, "a task was created"),
            new EventType("TaskComplete", CONTACTS, "a task was marked completed"),
            new EventType("TaskDelete", CONTACTS, "a task was deleted"),
            new EventType("NoteCreate", CONTACTS, "a note was added"),
            new EventType("NoteUpdate", CONTACTS, "a note was changed"),
            new EventType("NoteDelete", CONTACTS, "a note was deleted"),
            new EventType("AppointmentCreate", CALENDARS, "an appointment was booked"),
            new EventType("AppointmentUpdate", CALENDARS, "an appointment was changed"),
            new EventType("AppointmentDelete", CALENDARS, "an appointment was deleted"),
            new EventType("INSTALL", APP, "the app was installed on a location or agency"),
            new EventType("UNINSTALL", APP, "the app was removed from a location or agency"));

    private GhlEventTypes() {
    }

    public static List<EventType> all() {
        return ALL;
    }

    public static boolean isHandled(String type) {
        return ALL.stream().anyMatch(event -> event.name().equals(type));
    }
}
