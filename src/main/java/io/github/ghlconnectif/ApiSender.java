package io.github.ghlconnectif;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.github.ghlconnectif.metrics.ApiCalls;

/**
 * Sends one request to GHL or Connectif the way both clients must: not at all while the target's circuit is open,
 * every call counted in {@link ApiCalls}, a 5xx or an I/O error counted against the circuit (a 429 neither for nor
 * against it), and an I/O error turned into the client's own transient {@link ApiException}. Retries, rate limits
 * and reading the answer stay with each client.
 */
public final class ApiSender {

    /** Makes the client's own exception for a call that got no answer; it is always transient. */
    @FunctionalInterface
    public interface Failure {
        ApiException of(String operation, String reason, Throwable cause);
    }

    /** Held around the request alone, so that waiting for it is not counted as the call's time (GHL's rate budget). */
    public interface Slot {
        Slot NONE = new Slot() {
            @Override
            public void acquire() {
            }

            @Override
            public void release() {
            }
        };

        void acquire() throws InterruptedException;

        void release();
    }

    private final String target;
    private final HttpClient http;
    private final CircuitBreaker breaker;
    private final ApiCalls calls;
    private final String traceHeader;
    private final Failure failure;

    /**
     * @param target      the target as {@link ApiCalls} counts it ({@link ApiCalls#GHL}, {@link ApiCalls#CONNECTIF})
     * @param traceHeader the answer's header recorded with the call, or null for none
     */
    public ApiSender(String target, HttpClient http, CircuitBreaker breaker, ApiCalls calls, String traceHeader,
            Failure failure) {
        this.target = target;
        this.http = http;
        this.breaker = breaker;
        this.calls = calls;
        this.traceHeader = traceHeader;
        this.failure = failure;
    }

    public HttpResponse<byte[]> send(String operation, HttpRequest request, Slot slot) {
        if (!breaker.allow()) {
            throw failure.of(operation, breaker.target() + " keeps failing: circuit open until " + breaker.openUntil(),
                    null);
        }
        long start = 0;
        try {
            slot.acquire();
            start = System.nanoTime();
            HttpResponse<byte[]> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } finally {
                slot.release();
            }
            int status = response.statusCode();
            calls.record(target, operation, status, System.nanoTime() - start,
                    traceHeader == null ? null : response.headers().firstValue(traceHeader).orElse(null));
            if (status >= 500) {
                breaker.onFailure();
            } else if (status != 429) {
                breaker.onSuccess();
            }
            return response;
        } catch (IOException e) {
            calls.record(target, operation, 0, System.nanoTime() - start, null);
            breaker.onFailure();
            throw failure.of(operation, ApiException.transportFailure(request.uri(), e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure.of(operation, "interrupted", e);
        }
    }
}
