package io.github.ghlconnectif.support;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/** Faults a WireMock stand-in injects into its answers: for a while after it starts failing, or at random. */
public final class Chaos implements ResponseTransformerV2 {

    /** What a failing answer is. */
    public enum Kind { STATUS_503, STATUS_500, RESET, SLOW, RATE_LIMITED }

    /** Marks an answer the stand-in did not really give. */
    public static final String FAULT_HEADER = "X-Chaos";

    private final LongPredicate failsAt;
    private final Kind[] kinds;
    private final Random random;
    private final long slowMillis;
    private final AtomicLong faults = new AtomicLong();
    private volatile long startedAt = -1;

    private Chaos(LongPredicate failsAt, long seed, long slowMillis, Kind... kinds) {
        this.failsAt = failsAt;
        this.kinds = kinds;
        this.random = new Random(seed);
        this.slowMillis = slowMillis;
    }

    /** Every answer fails, as {@code kind}, from the first request for {@code period}. */
    public static Chaos outage(Duration period, Kind kind) {
        return new Chaos(now -> now < period.toMillis(), 1, 0, kind);
    }

    /** A share of answers fail at random (seeded), as one of {@code kinds}; SLOW answers take {@code slow}. */
    public static Chaos random(double share, long seed, Duration slow, Kind... kinds) {
        Random dice = new Random(seed);
        return new Chaos(now -> {
            synchronized (dice) {
                return dice.nextDouble() < share;
            }
        }, seed, slow.toMillis(), kinds);
    }

    public long faults() {
        return faults.get();
    }

    /** Whether a logged answer was a real one, not a fault this class made. */
    public static boolean real(ServeEvent event) {
        return event.getResponse().getFault() == null && event.getResponse().getStatus() / 100 == 2
                && !event.getResponse().getHeaders().getHeader(FAULT_HEADER).isPresent();
    }

    @Override
    public Response transform(Response response, ServeEvent serveEvent) {
        long now = System.currentTimeMillis();
        synchronized (this) {
            if (startedAt < 0) {
                startedAt = now;
            }
        }
        if (!failsAt.test(now - startedAt)) {
            return response;
        }
        faults.incrementAndGet();
        Kind kind;
        synchronized (random) {
            kind = kinds[random.nextInt(kinds.length)];
        }
        return switch (kind) {
            case STATUS_503 -> Response.Builder.like(response).but().status(503).body("{\"status\":503}").build();
            case STATUS_500 -> Response.Builder.like(response).but().status(500).body("{\"status\":500}").build();
            case RESET -> Response.Builder.like(response).but().fault(Fault.CONNECTION_RESET_BY_PEER).build();
            // a request that times out counts as one Connectif did not act on
            case SLOW -> Response.Builder.like(response).but().incrementInitialDelay(slowMillis)
                    .headers(response.getHeaders().plus(new HttpHeader(FAULT_HEADER, "slow"))).build();
            case RATE_LIMITED -> Response.Builder.like(response).but().status(429)
                    .headers(new HttpHeaders(new HttpHeader("X-RateLimit-Interval-Milliseconds", "200"),
                            new HttpHeader("X-RateLimit-Max", "100"), new HttpHeader("X-RateLimit-Remaining", "0")))
                    .body("{\"statusCode\":429,\"message\":\"Too many requests\"}").build();
        };
    }

    @Override
    public String getName() {
        return "chaos";
    }
}
