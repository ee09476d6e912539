package io.github.ghlconnectif.sandbox;

import static io.github.ghlconnectif.sandbox.GhlAnswers.error;
import static io.github.ghlconnectif.sandbox.GhlAnswers.notFound;
import static io.github.ghlconnectif.sandbox.GhlAnswers.unprocessable;
import static io.github.ghlconnectif.sandbox.GhlData.event;
import static io.github.ghlconnectif.sandbox.GhlData.instant;
import static io.github.ghlconnectif.sandbox.GhlData.name;
import static io.github.ghlconnectif.sandbox.GhlData.time;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.ghlconnectif.sandbox.SimulatorServer.Answer;
import io.github.ghlconnectif.sandbox.SimulatorServer.Request;

/** The simulated GHL's tasks of a contact: {@code /contacts/{contactId}/tasks}, TaskCreate, TaskComplete, TaskDelete. */
final class GhlTasks {

    private final GhlData data;

    GhlTasks(GhlData data) {
        this.data = data;
    }

    Answer answer(Request request, List<String> path, Map<String, Object> contact, Map<String, Object> body) {
        String contactId = (String) contact.get("id");
        Map<String, Map<String, Object>> list = data.tasks.computeIfAbsent(contactId, id -> new LinkedHashMap<>());
        String method = request.method();
        if (path.size() == 3) {
            if (method.equals("GET")) {
                return Answer.json(200, Map.of("tasks", list.values().stream().map(data::copy).toList()));
            }
            if (method.equals("POST")) {
                List<String> missing = new ArrayList<>();
                for (String field : List.of("title", "dueDate", "completed")) {
                    if (body.get(field) == null) {
                        missing.add(field + " should not be empty");
                    }
                }
                return missing.isEmpty() ? Answer.json(201, Map.of("task", data.copy(insertTask(contact, body, true))))
                        : unprocessable(missing.toArray(String[]::new));
            }
            return notFound(request);
        }
        Map<String, Object> task = list.get(path.get(3));
        if (task == null) {
            return error(400, "Task not found", "Bad Request");
        }
        if (path.size() == 5 && path.get(4).equals("completed") && method.equals("PUT")) {
            if (!(body.get("completed") instanceof Boolean completed)) {
                return unprocessable("completed must be a boolean value");
            }
            setCompleted(contact, task, completed, true);
            return Answer.json(200, Map.of("task", data.copy(task)));
        }
        if (path.size() != 4) {
            return notFound(request);
        }
        return switch (method) {
            case "GET" -> Answer.json(200, Map.of("task", data.copy(task)));
            case "PUT" -> {
                for (String field : List.of("title", "body", "dueDate", "assignedTo")) {
                    if (body.get(field) != null) {
                        task.put(field, field.equals("dueDate") ? time(instant(body.get(field)))
                                : body.get(field));
                    }
                }
                data.api("updated task \"" + task.get("title") + "\" of " + name(contact));
                if (body.get("completed") instanceof Boolean completed) {
                    setCompleted(contact, task, completed, true);
                }
                yield Answer.json(200, Map.of("task", data.copy(task)));
            }
            case "DELETE" -> {
                list.remove(task.get("id"));
                data.api("deleted task \"" + task.get("title") + "\" of " + name(contact));
                data.emit(taskEvent("TaskDelete", contact, task));
                yield Answer.json(200, Map.of("succeded", true));
            }
            default -> notFound(request);
        };
    }

    Map<String, Object> insertTask(Map<String, Object> contact, Map<String, Object> fields, boolean byApi) {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("id", data.newId());
        task.put("title", fields.get("title"));
        if (fields.get("body") != null) {
            task.put("body", fields.get("body"));
        }
        if (fields.get("assignedTo") != null) {
            task.put("assignedTo", fields.get("assignedTo"));
        }
        task.put("dueDate", time(instant(fields.get("dueDate"))));
        task.put("completed", Boolean.TRUE.equals(fields.get("completed")));
        task.put("contactId", contact.get("id"));
        data.tasks.computeIfAbsent((String) contact.get("id"), id -> new LinkedHashMap<>()).put((String) task.get("id"), task);
        if (byApi) {
            data.api("created task \"" + task.get("title") + "\" for " + name(contact));
        }
        Map<String, Object> event = taskEvent("TaskCreate", contact, task);
        event.put("dateAdded", data.now());
        data.emit(event);
        return task;
    }

    void setCompleted(Map<String, Object> contact, Map<String, Object> task, boolean completed, boolean byApi) {
        boolean was = Boolean.TRUE.equals(task.get("completed"));
        task.put("completed", completed);
        if (byApi) {
            data.api((completed ? "completed" : "reopened") + " task \"" + task.get("title") + "\" of " + name(contact));
        }
        // GHL sends TaskComplete when a task is completed, and nothing when it is reopened
        if (completed && !was) {
            data.emit(taskEvent("TaskComplete", contact, task));
        }
    }

    private Map<String, Object> taskEvent(String type, Map<String, Object> contact, Map<String, Object> task) {
        Map<String, Object> event = event(type, (String) contact.get("locationId"));
        for (String field : List.of("id", "assignedTo", "body", "contactId", "title", "dueDate")) {
            if (task.get(field) != null) {
                event.put(field, task.get(field));
            }
        }
        return event;
    }
}
