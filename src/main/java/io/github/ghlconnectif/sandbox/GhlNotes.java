package io.github.ghlconnectif.sandbox;

import static io.github.ghlconnectif.sandbox.GhlAnswers.error;
import static io.github.ghlconnectif.sandbox.GhlAnswers.notFound;
import static io.github.ghlconnectif.sandbox.GhlAnswers.unprocessable;
import static io.github.ghlconnectif.sandbox.GhlData.event;
import static io.github.ghlconnectif.sandbox.GhlData.name;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.ghlconnectif.sandbox.SimulatorServer.Answer;
import io.github.ghlconnectif.sandbox.SimulatorServer.Request;

/** The simulated GHL's notes of a contact: {@code /contacts/{contactId}/notes}, NoteCreate, NoteUpdate, NoteDelete. */
final class GhlNotes {

    private final GhlData data;

    GhlNotes(GhlData data) {
        this.data = data;
    }

    Answer answer(Request request, List<String> path, Map<String, Object> contact, Map<String, Object> body) {
        String contactId = (String) contact.get("id");
        Map<String, Map<String, Object>> list = data.notes.computeIfAbsent(contactId, id -> new LinkedHashMap<>());
        String method = request.method();
        if (path.size() == 3) {
            if (method.equals("GET")) {
                List<Map<String, Object>> newestFirst = new ArrayList<>(list.values().stream().map(data::copy).toList());
                newestFirst.sort(Comparator.comparing((Map<String, Object> note) -> String.valueOf(note.get("dateAdded")))
                        .reversed());
                return Answer.json(200, Map.of("notes", newestFirst));
            }
            if (method.equals("POST")) {
                return body.get("body") == null ? unprocessable("body should not be empty")
                        : Answer.json(201, Map.of("note", data.copy(insertNote(contact, body, true))));
            }
            return notFound(request);
        }
        Map<String, Object> note = path.size() == 4 ? list.get(path.get(3)) : null;
        if (note == null) {
            return path.size() == 4 ? error(400, "Note not found", "Bad Request") : notFound(request);
        }
        return switch (method) {
            case "GET" -> Answer.json(200, Map.of("note", data.copy(note)));
            case "PUT" -> {
                for (String field : List.of("body", "title", "color", "pinned", "userId")) {
                    if (body.containsKey(field)) {
                        note.put(field, body.get(field));
                    }
                }
                data.api("updated a note of " + name(contact));
                data.emit(noteEvent("NoteUpdate", contact, note));
                yield Answer.json(200, Map.of("note", data.copy(note)));
            }
            case "DELETE" -> {
                list.remove(note.get("id"));
                data.api("deleted a note of " + name(contact));
                data.emit(noteEvent("NoteDelete", contact, note));
                yield Answer.json(200, Map.of("succeded", true));
            }
            default -> notFound(request);
        };
    }

    Map<String, Object> insertNote(Map<String, Object> contact, Map<String, Object> fields, boolean byApi) {
        Map<String, Object> note = new LinkedHashMap<>();
        note.put("id", data.newId());
        note.put("body", fields.get("body"));
        if (fields.get("userId") != null) {
            note.put("userId", fields.get("userId"));
        }
        note.put("dateAdded", data.now());
        note.put("contactId", contact.get("id"));
        data.notes.computeIfAbsent((String) contact.get("id"), id -> new LinkedHashMap<>()).put((String) note.get("id"), note);
        if (byApi) {
            data.api("added a note to " + name(contact));
        }
        data.emit(noteEvent("NoteCreate", contact, note));
        return note;
    }

    private Map<String, Object> noteEvent(String type, Map<String, Object> contact, Map<String, Object> note) {
        Map<String, Object> event = event(type, (String) contact.get("locationId"));
        for (String field : List.of("id", "body", "contactId", "dateAdded")) {
            if (note.get(field) != null) {
                event.put(field, note.get(field));
            }
        }
        return event;
    }
}
