package io.github.ghlconnectif.auth;

import java.util.List;

import io.github.ghlconnectif.ghl.GhlApiException;

/** GHL rejected a refresh token or code ({@code invalid_grant}): the location must install the app again. */
public class InvalidGrantException extends GhlApiException {

    public InvalidGrantException(String operation, int status, List<String> messages, String traceId) {
        super(operation, status, messages, traceId, false, null);
    }
}
