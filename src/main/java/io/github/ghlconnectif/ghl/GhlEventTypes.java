package io.github.ghlconnectif.ghl;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The GHL webhook event types the connector handles: the scope an app needs to receive each, what it is about (its
 * entity) and how pending events of that type merge into one flow run.
 */
public final class GhlEventTypes {

    /** What an event is about: where the payload holds it and which of its fields names the GHL contact. */
    public enum Entity {
        CONTACT(null, "id"),
        TASK(null, "contactId"),
        NOTE(null, "contactId"),
        APPOINTMENT("appointment", "contactId"),
        /** INSTALL and UNINSTALL: about a location or a company, never a contact. */
        APP(null, null);

        private final String wrapper;
        private final String contactField;

        Entity(String wrapper, String contactField) {
            this.wrapper = wrapper;
            this.contactField = contactField;
        }

        /** The payload's field that holds the entity ({@code appointment}), or null when the payload is the entity. */
        public String wrapper() {
            return wrapper;
        }

        /** The field of the entity that names its contact ({@code id} of a contact), or null when none does. */
        public String contactField() {
            return contactField;
        }

        /** The entity's id as a webhook's error message names it: {@code id} or {@code appointment.id}. */
        public String idName() {
            return wrapper == null ? "id" : wrapper + ".id";
        }

        /** {@code contact}, {@code task}, {@code note}, {@code appointment}: stands for the entity in made-up keys. */
        public String family() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The entity within a parsed payload (empty when the payload lacks it). */
        public Map<?, ?> of(Map<?, ?> event) {
            if (wrapper == null) {
                return event;
            }
            return event.get(wrapper) instanceof Map<?, ?> entity ? entity : Map.of();
        }
    }

    /** How consecutive pending events of one contact merge into one flow run. */
    public enum Coalescing {
        /** With every other contact change next to it: the flow fetches the whole contact anyway. */
        CONTACT_CHANGE,
        /** Only with events of the same type about the same entity (five NoteUpdates of one note). */
        SAME_ENTITY
    }

    /** One webhook event type. */
    public record EventType(String name, Entity entity, Coalescing coalescing, String scope, String summary) {
    }

    private static final String CONTACTS = "contacts.readonly";
    private static final String CALENDARS = "calendars/events.readonly";
    private static final String APP = "(app lifecycle)";
    private static final Coalescing CHANGE = Coalescing.CONTACT_CHANGE;
    private static final Coalescing SAME = Coalescing.SAME_ENTITY;

    private static final List<EventType> ALL = List.of(
            new EventType("ContactCreate", Entity.CONTACT, CHANGE, CONTACTS, "a contact was created"),
            new EventType("ContactUpdate", Entity.CONTACT, CHANGE, CONTACTS, "a contact was changed"),
            new EventType("ContactDelete", Entity.CONTACT, SAME, CONTACTS, "a contact was deleted"),
            new EventType("ContactTagUpdate", Entity.CONTACT, CHANGE, CONTACTS,
                    "a contact's tags changed (carries the whole list)"),
            new EventType("ContactDndUpdate", Entity.CONTACT, CHANGE, CONTACTS,
                    "a contact's do-not-disturb settings changed"),
            new EventType("TaskCreate", Entity.TASK, SAME, CONTACTS, "a task was created"),
            new EventType("TaskComplete", Entity.TASK, SAME, CONTACTS, "a task was marked completed"),
            new EventType("TaskDelete", Entity.TASK, SAME, CONTACTS, "a task was deleted"),
            new EventType("NoteCreate", Entity.NOTE, SAME, CONTACTS, "a note was added"),
            new EventType("NoteUpdate", Entity.NOTE, SAME, CONTACTS, "a note was changed"),
            new EventType("NoteDelete", Entity.NOTE, SAME, CONTACTS, "a note was deleted"),
            new EventType("AppointmentCreate", Entity.APPOINTMENT, SAME, CALENDARS, "an appointment was booked"),
            new EventType("AppointmentUpdate", Entity.APPOINTMENT, SAME, CALENDARS, "an appointment was changed"),
            new EventType("AppointmentDelete", Entity.APPOINTMENT, SAME, CALENDARS, "an appointment was deleted"),
            new EventType("INSTALL", Entity.APP, SAME, APP, "the app was installed on a location or agency"),
            new EventType("UNINSTALL", Entity.APP, SAME, APP, "the app was removed from a location or agency"));

    private GhlEventTypes() {
    }

    public static List<EventType> all() {
        return ALL;
    }

    public static Optional<EventType> find(String type) {
        return ALL.stream().filter(event -> event.name().equals(type)).findFirst();
    }

    public static boolean isHandled(String type) {
        return find(type).isPresent();
    }

    /**
     * The GHL contact a stored event is about, or null when it names none. A type not listed here (the reconciler's
     * task poll) names it as {@code contactId}.
     */
    public static String contactIdOf(String type, Map<?, ?> event) {
        Optional<Entity> entity = find(type).map(EventType::entity);
        Object id;
        if (entity.isEmpty()) {
            id = event.get("contactId");
        } else {
            id = entity.get().contactField() == null ? null : entity.get().of(event).get(entity.get().contactField());
        }
        return id instanceof String text && !text.isBlank() ? text : null;
    }
}
