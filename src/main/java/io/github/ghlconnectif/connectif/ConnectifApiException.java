package io.github.ghlconnectif.connectif;

import java.util.List;

import io.github.ghlconnectif.ApiException;

/**
 * A failed Connectif call: the HTTP status, Connectif's {@code title}, {@code detail} and {@code code}, and on 422
 * its {@code validationErrors} ({@code path: reason}).
 */
public class ConnectifApiException extends ApiException {

    private final String operation;
    private final String code;
    private final List<String> validationErrors;

    public ConnectifApiException(String operation, int status, String detail, String code, List<String> validationErrors,
            boolean transientFailure, Throwable cause) {
        super(describe(operation, status, detail, code, validationErrors), status, transientFailure, cause);
        this.operation = operation;
        this.code = code;
        this.validationErrors = List.copyOf(validationErrors);
    }

    public String getOperation() {
        return operation;
    }

    public String getCode() {
        return code;
    }

    public List<String> getValidationErrors() {
        return validationErrors;
    }

    private static String describe(String operation, int status, String detail, String code, List<String> errors) {
        StringBuilder text = new StringBuilder("Connectif ").append(operation).append(" failed");
        if (status > 0) {
            text.append(" with HTTP ").append(status);
        }
        if (detail != null) {
            text.append(": ").append(detail);
        }
        if (code != null) {
            text.append(" (").append(code).append(')');
        }
        if (!errors.isEmpty()) {
            text.append(" ").append(errors);
        }
        return text.toString();
    }
}
