package io.github.ghlconnectif.webhook;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs on the HTTP server before any request body is read, so that slow or oversized senders cannot exhaust memory or
 * wedge the intake: a declared {@code Content-Length} over the limit is answered 413 at once; a body not complete
 * within the read timeout has its connection closed; and the bodies being read at once hold at most
 * {@code maxBufferedBytes}. Past that, the oldest unfinished body reads are cut to make room (a real webhook arrives in
 * milliseconds, so the oldest are the stalled ones), or the new request is answered 429 when none is old enough.
 * Requests without a body ({@code GET /health}, {@code /metrics}) pass untouched.
 *
 * <p>Camel 4.18's {@code camel.server.*} options do not reach Vert.x's {@code HttpServerOptions} (idle timeout,
 * connection limit), hence this handler on the server's router.
 */
public final class IntakeGuard implements Handler<RoutingContext> {

    /** A body read younger than this is never cut to make room for another. */
    static final Duration MIN_AGE_TO_CUT = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final long maxBodyBytes;
    private final long maxBufferedBytes;
    private final long readTimeoutMillis;
    private final IntakeCounters counters;
    private final Set<BodyRead> reads = new LinkedHashSet<>();
    /** False while the server listens and the intake routes are not there yet: Vert.x would answer 404. */
    private volatile boolean routesStarted;
    private long buffered;

    public IntakeGuard(Vertx vertx, long maxBodyBytes, long maxBufferedBytes, Duration readTimeout, IntakeCounters counters) {
        this.vertx = vertx;
        this.maxBodyBytes = maxBodyBytes;
        this.maxBufferedBytes = maxBufferedBytes;
        this.readTimeoutMillis = readTimeout.toMillis();
        this.counters = counters;
    }

    /** One request whose body is being read, holding {@code reserved} bytes of the budget until it is answered. */
    private record BodyRead(RoutingContext context, long started, long reserved) {
    }

    /** The routes are up: requests go through to them from now on. */
    public void routesStarted() {
        routesStarted = true;
    }

    @Override
    public void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD || request.method() == HttpMethod.OPTIONS) {
            context.next();
            return;
        }
        if (!routesStarted) {
            // a 404 would lose the webhook (GHL sends again only after a 429)
            context.response().putHeader("Retry-After", "1");
            refuse(context, 429, "retry-later", "the connector is starting");
            return;
        }
        long declared = declaredLength(request);
        if (declared > maxBodyBytes) {
            refuse(context, 413, "rejected", "body over " + maxBodyBytes + " bytes (intake.max-body-bytes)");
            return;
        }
        BodyRead read = new BodyRead(context, System.nanoTime(), declared >= 0 ? declared : maxBodyBytes);
        if (!admit(read)) {
            refuse(context, 429, "retry-later", "too many request bodies are being read at once (intake.max-buffered-bytes)");
            return;
        }
        long timer = vertx.setTimer(readTimeoutMillis, id -> {
            if (!request.isEnded()) {
                count(context, "cut-slow");
                request.connection().close();
            }
        });
        context.addEndHandler(done -> {
            vertx.cancelTimer(timer);
            release(read);
        });
        context.next();
    }

    /**
     * A request failed further on, before the intake answered: a body over the limit (chunked) answers 413 in JSON; a
     * connection this guard cut, or the sender closed, needs no answer and no error line.
     */
    public void answerFailure(RoutingContext context) {
        if (context.failure() instanceof HttpClosedException || context.response().closed()) {
            return;
        }
        if (context.statusCode() == 413 && !context.response().headWritten()) {
            refuse(context, 413, "rejected", "body over " + maxBodyBytes + " bytes (intake.max-body-bytes)");
        } else {
            context.next();
        }
    }

    /** Bytes of request bodies being read now. */
    public synchronized long buffered() {
        return buffered;
    }

    private boolean admit(BodyRead read) {
        long cutBefore = read.started() - MIN_AGE_TO_CUT.toNanos();
        synchronized (this) {
            Iterator<BodyRead> oldest = reads.iterator();
            while (buffered + read.reserved() > maxBufferedBytes && oldest.hasNext()) {
                BodyRead candidate = oldest.next();
                if (candidate.started() - cutBefore > 0) {
                    break;
                }
                if (!candidate.context().request().isEnded()) {
                    oldest.remove();
                    buffered -= candidate.reserved();
                    count(candidate.context(), "cut-slow");
                    candidate.context().request().connection().close();
                }
            }
            if (buffered + read.reserved() > maxBufferedBytes) {
                return false;
            }
            reads.add(read);
            buffered += read.reserved();
            return true;
        }
    }

    private synchronized void release(BodyRead read) {
        if (reads.remove(read)) {
            buffered -= read.reserved();
        }
    }

    private void refuse(RoutingContext context, int status, String outcome, String reason) {
        count(context, outcome);
        // the body is not read: the connection cannot carry another request after this answer
        context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end("{\"status\":\"" + outcome + "\",\"reason\":\"" + reason + "\"}");
    }

    private void count(RoutingContext context, String outcome) {
        counters.count(context.request().path().startsWith("/webhooks/connectif") ? "connectif-" + outcome : outcome, null);
    }

    /** The declared body length; -1 when absent (chunked) or not a number, which the body handler then limits. */
    private static long declaredLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null || value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(value);
    }
}
