package io.github.ghlconnectif.sync;

import static io.github.ghlconnectif.sync.SyncVariables.map;
import static io.github.ghlconnectif.sync.SyncVariables.text;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import io.github.ghlconnectif.connectif.ConnectifEvent;
import io.github.ghlconnectif.connectif.ConnectifModel;
import io.github.ghlconnectif.inbox.FlowHeaders;
import io.github.ghlconnectif.inbox.InboxRow;
import org.apache.camel.Exchange;

/**
 * The tasks flow's decisions ({@code routes/sync-tasks.camel.yaml}): the contact's tasks as GHL lists them, diffed against
 * the tasks last seen, give the open-task fields, an event for each task created, changed or deleted, and the
 * completion episodes to announce. Each TaskComplete webhook is one episode, keyed by its {@code timestamp} (else by
 * its idempotency key), so a redelivery or a replay is not a new one; a completion seen only in a task list is one
 * too, and the TaskComplete webhook that follows it joins it instead of announcing it again.
 */
public final class TaskSync {

    private static final List<String> COMPARED = List.of("title", "body", "dueDate", "assignedTo");
    /** Snapshot keys: completion episodes announced, and whether the last one still awaits its webhook. */
    private static final String EPISODES = "episodes";
    private static final String AWAITING = "awaitingWebhook";

    /** A completion episode to announce; {@code event} is null when a late webhook only joins an announced one. */
    public record Completion(String taskId, String key, ConnectifEvent event) {
    }

    /** A TaskComplete webhook of this run: its idempotency key and when the completion happened. */
    private record Completed(String key, Instant at) {
    }

    private final SyncStateStore states;

    public TaskSync(SyncStateStore states) {
        this.states = states;
    }

    /** Body in: the answer of {@code list-tasks}. Body out: the open-task fields to write. */
    public void plan(Exchange exchange) {
        String contactId = exchange.getMessage().getHeader(FlowHeaders.CONTACT_ID, String.class);
        ContactState state = states.find(contactId).orElseThrow(() -> new IllegalStateException(
                "contact " + contactId + " has not been synced"));
        Map<String, List<Completed>> webhooks = completedByWebhook(exchange);
        Map<String, Map<String, Object>> now = new LinkedHashMap<>();
        Object listed = map(exchange.getMessage().getBody()).get("tasks");
        if (listed instanceof List<?> tasks) {
            for (Object item : tasks) {
                Map<String, Object> task = map(item);
                String id = text(task, "id");
                if (id != null) {
                    now.put(id, snapshot(task));
                }
            }
        }
        Map<String, Map<String, Object>> before = state.tasks();
        // a backfill brings over tasks made and completed before the install: their fields, not events that would
        // start Connectif workflows for the past
        boolean history = before.isEmpty() && onlyBackfill(exchange);
        Instant runAccepted = acceptedAt(exchange);
        List<ConnectifEvent> events = new ArrayList<>();
        List<Completion> completions = new ArrayList<>();
        now.forEach((id, task) -> {
            Map<String, Object> old = before.get(id);
            if (old == null) {
                if (!history) {
                    events.add(taskEvent(ConnectifModel.TASK_CREATED, state, id, task));
                }
            } else if (COMPARED.stream().anyMatch(field -> !Objects.equals(old.get(field), task.get(field)))) {
                events.add(taskEvent(ConnectifModel.TASK_UPDATED, state, id, task));
            }
        });
        Set<String> ids = new LinkedHashSet<>(now.keySet());
        webhooks.keySet().stream().filter(before::containsKey).forEach(ids::add);
        for (String id : ids) {
            Map<String, Object> task = now.get(id);
            Map<String, Object> old = before.get(id);
            boolean listedCompleted = task != null && Boolean.TRUE.equals(task.get("completed"));
            boolean wasCompleted = old != null && Boolean.TRUE.equals(old.get("completed"));
            int episodes = old == null ? 0 : old.get(EPISODES) instanceof Number number ? number.intValue()
                    : wasCompleted ? 1 : 0;
            // a task seen open again: the next webhook is a new episode, not the late one of the last
            boolean awaiting = old != null && Boolean.TRUE.equals(old.get(AWAITING)) && (task == null || listedCompleted);
            List<Completed> fresh = webhooks.getOrDefault(id, List.of()).stream()
                    .filter(completed -> !states.wasSent(id, completed.key())).toList();
            Map<String, Object> source = task != null ? task : old;
            for (Completed completed : fresh) {
                if (awaiting) {
                    completions.add(new Completion(id, completed.key(), null));
                    awaiting = false;
                } else {
                    episodes++;
                    completions.add(new Completion(id, completed.key(), completion(state, id, source, completed.at())));
                }
            }
            if (!history && !webhooks.containsKey(id) && listedCompleted && !wasCompleted) {
                episodes++;
                completions.add(new Completion(id, "list:" + episodes, completion(state, id, task, runAccepted)));
                awaiting = true;
            }
            if (task != null) {
                task.put("completed", listedCompleted || !fresh.isEmpty());
                if (episodes > 0) {
                    task.put(EPISODES, episodes);
                }
                if (awaiting) {
                    task.put(AWAITING, true);
                }
            }
        }
        before.forEach((id, old) -> {
            if (!now.containsKey(id)) {
                events.add(taskEvent(ConnectifModel.TASK_DELETED, state, id, old));
            }
        });
        ContactState after = state.withTasks(now);
        if (now.equals(before) && completions.isEmpty()) {
            SyncVariables.skip(exchange, "the tasks did not change");
            return;
        }
        SyncVariables.target(exchange, after);
        SyncVariables.events(exchange, state.email() == null ? List.of() : events);
        exchange.setVariable(SyncVariables.COMPLETIONS, state.email() == null ? List.of() : completions);
        exchange.getMessage().setBody(openTaskFields(now, contactId));
    }

    /** The TaskComplete webhooks of this run by task id: completed at the webhook's timestamp, else when accepted. */
    private static Map<String, List<Completed>> completedByWebhook(Exchange exchange) {
        Map<String, List<Completed>> completed = new LinkedHashMap<>();
        if (exchange.getVariable(FlowHeaders.EVENTS) instanceof List<?> events
                && exchange.getVariable(FlowHeaders.ROWS) instanceof List<?> rows && rows.size() == events.size()) {
            for (int i = 0; i < events.size(); i++) {
                Map<String, Object> event = map(events.get(i));
                InboxRow row = (InboxRow) rows.get(i);
                String id = text(event, "id");
                if (id != null && "TaskComplete".equals(row.event().type())) {
                    // one completion has one time: repeats of it (even with new webhook ids) share the key
                    String at = timestamp(event);
                    completed.computeIfAbsent(id, key -> new ArrayList<>()).add(at != null
                            ? new Completed("at:" + at, Instant.parse(at))
                            : new Completed(row.event().eventKey(), row.acceptedAt()));
                }
            }
        }
        return completed;
    }

    private static String timestamp(Map<String, Object> event) {
        try {
            return text(event, "timestamp") == null ? null : Instant.parse(Times.toUtc(text(event, "timestamp"))).toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** When the run's last event was accepted (never the processing time); now when the run has no inbox row. */
    private static Instant acceptedAt(Exchange exchange) {
        return exchange.getVariable(FlowHeaders.ROWS) instanceof List<?> rows && !rows.isEmpty()
                ? ((InboxRow) rows.get(rows.size() - 1)).acceptedAt() : Instant.now();
    }

    private static boolean onlyBackfill(Exchange exchange) {
        return exchange.getVariable(FlowHeaders.EVENTS) instanceof List<?> events && !events.isEmpty()
                && events.stream().allMatch(event -> Boolean.TRUE.equals(map(event).get("backfill")));
    }

    public void commit(Exchange exchange) {
        states.save(exchange.getVariable(SyncVariables.STATE, ContactState.class));
    }

    /**
     * ghl-open-tasks (one line per open task, soonest first, cut at a whole line to 5,000 characters),
     * ghl-open-task-count and ghl-next-task-due; null clears a field when no task gives it a value.
     */
    static Map<String, Object> openTaskFields(Map<String, Map<String, Object>> tasks, String contactId) {
        List<Map<String, Object>> open = tasks.values().stream()
                .filter(task -> !Boolean.TRUE.equals(task.get("completed")))
                .sorted(Comparator.comparing(task -> String.valueOf(task.getOrDefault("dueDate", "~"))))
                .toList();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put(ConnectifModel.OPEN_TASKS, open.isEmpty() ? null : TextCap.join(open.stream()
                .map(task -> (task.get("dueDate") == null ? "" : task.get("dueDate") + " ") + task.getOrDefault("title", ""))
                .toList(), "\n", TextCap.DEFAULT_MAX_LENGTH, contactId, ConnectifModel.OPEN_TASKS));
        fields.put(ConnectifModel.OPEN_TASK_COUNT, open.size());
        fields.put(ConnectifModel.NEXT_TASK_DUE, open.isEmpty() ? null : open.get(0).get("dueDate"));
        return fields;
    }

    private static Map<String, Object> snapshot(Map<String, Object> task) {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        for (String field : COMPARED) {
            String value = text(task, field);
            if (value != null) {
                snapshot.put(field, field.equals("dueDate") ? utcOrAsIs(value) : value);
            }
        }
        snapshot.put("completed", Boolean.TRUE.equals(task.get("completed")));
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

    private static ConnectifEvent completion(ContactState state, String id, Map<String, Object> task, Instant at) {
        Map<String, Object> fields = SyncVariables.eventFields(state);
        fields.put("taskId", id);
        fields.put("title", task.getOrDefault("title", ""));
        fields.put("completedAt", at.toString());
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
