package io.github.ghlconnectif.connectif;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Connectif contact fields and custom event types the flows write, which {@code setup} creates when missing. */
public final class ConnectifModel {

    public static final String TAGS = "ghl-tags";
    public static final String OPEN_TASKS = "ghl-open-tasks";
    public static final String OPEN_TASK_COUNT = "ghl-open-task-count";
    public static final String NEXT_TASK_DUE = "ghl-next-task-due";
    public static final String LAST_NOTE = "ghl-last-note";
    public static final String NEXT_APPOINTMENT = "ghl-next-appointment";
    public static final String DELETED = "ghl-deleted";

    public static final String TASK_CREATED = "ghl-task-created";
    public static final String TASK_UPDATED = "ghl-task-updated";
    public static final String TASK_DELETED = "ghl-task-deleted";
    public static final String TASK_COMPLETED = "ghl-task-completed";
    public static final String NOTE = "ghl-note";
    public static final String APPOINTMENT = "ghl-appointment";
    public static final String TAG_ADDED = "ghl-tag-added";
    public static final String TAG_REMOVED = "ghl-tag-removed";

    /** A contact field: id, name and Connectif type. */
    public record Field(String id, String name, String type) {
    }

    public static final List<Field> CONTACT_FIELDS = List.of(
            new Field(TAGS, "GHL tags", "text"),
            new Field(OPEN_TASKS, "GHL open tasks", "text"),
            new Field(OPEN_TASK_COUNT, "GHL open task count", "integer"),
            new Field(NEXT_TASK_DUE, "GHL next task due", "date"),
            new Field(LAST_NOTE, "GHL last note", "text"),
            new Field(NEXT_APPOINTMENT, "GHL next appointment", "date"),
            new Field(DELETED, "Deleted in GHL", "boolean"));

    private static final List<Field> TASK_FIELDS = List.of(new Field("ghlContactId", "GHL contact id", "text"),
            new Field("taskId", "Task id", "text"), new Field("title", "Title", "text"), new Field("body", "Body", "text"),
            new Field("dueDate", "Due date", "date"), new Field("assignedTo", "Assigned to", "text"));

    /** Event type alias → its fields besides the email primary key. */
    public static final Map<String, List<Field>> EVENT_TYPES = new LinkedHashMap<>();

    static {
        EVENT_TYPES.put(TASK_CREATED, TASK_FIELDS);
        EVENT_TYPES.put(TASK_UPDATED, TASK_FIELDS);
        EVENT_TYPES.put(TASK_DELETED, TASK_FIELDS);
        EVENT_TYPES.put(TASK_COMPLETED, List.of(new Field("ghlContactId", "GHL contact id", "text"),
                new Field("taskId", "Task id", "text"), new Field("title", "Title", "text"),
                new Field("completedAt", "Completed at", "date")));
        EVENT_TYPES.put(NOTE, List.of(new Field("ghlContactId", "GHL contact id", "text"),
                new Field("noteId", "Note id", "text"), new Field("body", "Body", "text"),
                new Field("action", "Action", "text"), new Field("date", "Date", "date")));
        EVENT_TYPES.put(APPOINTMENT, List.of(new Field("ghlContactId", "GHL contact id", "text"),
                new Field("appointmentId", "Appointment id", "text"), new Field("title", "Title", "text"),
                new Field("status", "Status", "text"), new Field("startTime", "Start", "date"),
                new Field("endTime", "End", "date"), new Field("calendarId", "Calendar id", "text"),
                new Field("action", "Action", "text")));
        EVENT_TYPES.put(TAG_ADDED, List.of(new Field("ghlContactId", "GHL contact id", "text"), new Field("tag", "Tag", "text")));
        EVENT_TYPES.put(TAG_REMOVED, List.of(new Field("ghlContactId", "GHL contact id", "text"), new Field("tag", "Tag", "text")));
    }

    private ConnectifModel() {
    }
}
