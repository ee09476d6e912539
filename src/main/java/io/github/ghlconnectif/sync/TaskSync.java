package io.github.ghlconnectif.sync;

import static io.github.ghlconnectif.sync.SyncVariables.map;
import static io.github.ghlconnectif.sync.SyncVariables.text;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.ghlconnectif.connectif.ConnectifEvent;
import io.github.ghlconnectif.connectif.ConnectifModel;
import io.github.ghlconnectif.inbox.Dispatcher;
import org.apache.camel.Exchange;

/**
 * The tasks flow's decisions ({@code routes/sync-tasks.yaml}): the contact's tasks as GHL lists them, diffed against
 * the tasks last seen, give the open-task fields, an event for each task created, changed or deleted, and the
 * completions to announce (a task whose {@code completed} turned true, or the task of a TaskComplete).
 */
public final class TaskSync {

    /** Header naming the task a TaskComplete event completed. */
    public static final String COMPLETED_TASK = "completedTaskId";

    private static final List<String> COMPARED = List.of("title", "body", "dueDate", "assignedTo");

    private final SyncStateStore states;

    public TaskSync(SyncStateStore states) {
        this.states = states;
    }

    /** Body in: the answer of {@code list-tasks}. Body out: the open-task fields to write. */
    public void plan(Exchange exchange) {
        String contactId = exchange.getMessage().getHeader("contactId", String.class);
        ContactState state = states.find(contactId).orElseThrow(() -> new IllegalStateException(
                "contact " + contactId + " has not been synced"));
        String completedTask = exchange.getMessage().getHeader(COMPLETED_TASK, String.class);
        Map<String, Map<String, Object>> now = new LinkedHashMap<>();
        Object listed = map(exchange.getMessage().getBody()).get("tasks");
        if (listed instanceof List<?> tasks) {
            for (Object item : tasks) {
                Map<String, Object> task = map(item);
                String id = text(task, "id");
                if (id != null) {
                    now.put(id, snapshot(task, id.equals(completedTask)));
                }
            }
        }
        Map<String, Map<String, Object>> before = state.tasks();
        // a backfill brings over tasks made and completed before the install: their fields, not events that would
        // start Connectif workflows for the past
        boolean history = before.isEmpty() && onlyBackfill(exchange);
        List<ConnectifEvent> events = new ArrayList<>();
        List<ConnectifEvent> completions = new ArrayList<>();
        now.forEach((id, task) -> {
            Map<String, Object> old = before.get(id);
            if (old == null) {
                if (!history) {
                    events.add(taskEvent(ConnectifModel.TASK_CREATED, state, id, task));
                }
            } else if (COMPARED.stream().anyMatch(field -> !Objects.equals(old.get(field), task.get(field)))) {
                events.add(taskEvent(ConnectifModel.TASK_UPDATED, state, id, task));
            }
            if (!history && Boolean.TRUE.equals(task.get("completed"))
                    && (old == null || !Boolean.TRUE.equals(old.get("completed")))) {
                completions.add(completion(state, id, task, exchange));
            }
        });
        before.forEach((id, old) -> {
            if (!now.containsKey(id)) {
                events.add(taskEvent(ConnectifModel.TASK_DELETED, state, id, old));
            }
        });
        if (completedTask != null && !now.containsKey(completedTask) && before.containsKey(completedTask)) {
            completions.add(completion(state, completedTask, before.get(completedTask), exchange));
        }
        ContactState after = state.withTasks(now);
        if (now.equals(before) && completions.isEmpty()) {
            SyncVariables.skip(exchange, "the tasks did not change");
            return;
        }
        SyncVariables.target(exchange, after);
        SyncVariables.events(exchange, state.email() == null ? List.of() : events);
        exchange.setVariable(SyncVariables.COMPLETIONS, state.email() == null ? List.of() : completions);
        exchange.getMessage().setBody(openTaskFields(now));
    }

    private static boolean onlyBackfill(Exchange exchange) {
        return exchange.getVariable(Dispatcher.EVENTS) instanceof List<?> events && !events.isEmpty()
                && events.stream().allMatch(event -> Boolean.TRUE.equals(map(event).get("backfill")));
    }

    public void commit(Exchange exchange) {
        states.save(exchange.getVariable(SyncVariables.STATE, ContactState.class));
    }

    /** ghl-open-tasks (one line per open task, soonest first), ghl-open-task-count and ghl-next-task-due. */
    static Map<String, Object> openTaskFields(Map<String, Map<String, Object>> tasks) {
        List<Map<String, Object>> open = tasks.values().stream()
                .filter(task -> !Boolean.TRUE.equals(task.get("completed")))
                .sorted(Comparator.comparing(task -> String.valueOf(task.getOrDefault("dueDate", "~"))))
                .toList();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put(ConnectifModel.OPEN_TASKS, String.join("\n", open.stream()
                .map(task -> (task.get("dueDate") == null ? "" : task.get("dueDate") + " ") + task.getOrDefault("title", ""))
                .toList()));
        fields.put(ConnectifModel.OPEN_TASK_COUNT, open.size());
        if (!open.isEmpty() && open.get(0).get("dueDate") != null) {
            fields.put(ConnectifModel.NEXT_TASK_DUE, open.get(0).get("dueDate"));
        }
        return fields;
    }

    private static Map<String, Object> snapshot(Map<String, Object> task, boolean completedByEvent) {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        for (String field : COMPARED) {
            String value = text(task, field);
            if (value != null) {
                snapshot.put(field, field.equals("dueDate") ? utcOrAsIs(value) : value);
            }
        }
        snapshot.put("completed", completedByEvent || Boolean.TRUE.equals(task.get("completed")));
        return snapshot;
    }

    private static ConnectifEvent taskEvent(String alias, ContactState state, String id, Map<String, Object> task) {
        Map<String, Object> fields = SyncVariables.eventFields(state);
        fields.put("taskId", id);
        for (String field : COMPARED) {
            if (task.get(field) != null) {
                fields.put(field, task.get(field));
            }
        }
        return new ConnectifEvent(alias, fields);
    }

    private static ConnectifEvent completion(ContactState state, String id, Map<String, Object> task, Exchange exchange) {
        Map<String, Object> fields = SyncVariables.eventFields(state);
        fields.put("taskId", id);
        fields.put("title", task.getOrDefault("title", ""));
        String at = null;
        if (exchange.getVariable(Dispatcher.EVENTS) instanceof List<?> events) {
            for (Object item : events) {
                Map<String, Object> event = map(item);
                if (id.equals(text(event, "id")) && "TaskComplete".equals(text(event, "type"))) {
                    at = text(event, "timestamp") != null ? text(event, "timestamp") : text(event, "dateUpdated");
                }
            }
        }
        fields.put("completedAt", at != null ? utcOrAsIs(at) : Instant.now().toString());
        return new ConnectifEvent(ConnectifModel.TASK_COMPLETED, fields);
    }

    private static String utcOrAsIs(String time) {
        try {
            return Times.toUtc(time);
        } catch (RuntimeException e) {
            return time;
        }
    }
}
