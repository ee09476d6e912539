package io.github.ghlconnectif.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.ghlconnectif.sandbox.SimulatorServer.Answer;
import io.github.ghlconnectif.sandbox.SimulatorServer.Request;

/** GHL's error answers: {@code {statusCode, message, error, traceId}}, with a list of messages on 422. */
final class GhlAnswers {

    private GhlAnswers() {
    }

    static Answer error(int status, String message, String error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", status);
        body.put("message", message);
        body.put("error", error);
        body.put("traceId", UUID.randomUUID().toString());
        return Answer.json(status, body);
    }

    static Answer unprocessable(String... messages) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", 422);
        body.put("message", List.of(messages));
        body.put("error", "Unprocessable Entity");
        body.put("traceId", UUID.randomUUID().toString());
        return Answer.json(422, body);
    }

    static Answer notFound(Request request) {
        return error(404, "Cannot " + request.method() + " " + request.path(), "Not Found");
    }

    /**
     * The answer to a request whose {@code locationId} (body or query) is missing or not the token's location; null when
     * it is the token's.
     */
    static Answer wrongLocation(String tokenLocation, Object given) {
        if (tokenLocation.equals(given)) {
            return null;
        }
        return given == null ? unprocessable("locationId should not be empty")
                : error(403, "The token does not have access to this location.", "Forbidden");
    }
}
