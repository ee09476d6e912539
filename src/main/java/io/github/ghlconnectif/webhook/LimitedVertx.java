package io.github.ghlconnectif.webhook;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.impl.VertxWrapper;

/**
 * The Vert.x instance Camel Main's HTTP server is built on: each server it creates closes connections idle for
 * {@code idleTimeout} (also one that never sends a request) and holds at most {@code maxConnections} at once, closing
 * any beyond when its first request arrives (Vert.x announces an HTTP/1.x connection with its first request).
 * Camel 4.18 builds the server's {@code HttpServerOptions} itself and exposes neither setting, but takes the
 * {@code Vertx} bound in the registry, hence this wrapper.
 */
public final class LimitedVertx extends VertxWrapper {

    private final int idleSeconds;
    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();
    private final List<Runnable> beforeServers = new CopyOnWriteArrayList<>();

    public LimitedVertx(Vertx vertx, Duration idleTimeout, int maxConnections) {
        super((VertxInternal) vertx);
        this.idleSeconds = (int) Math.max(1, idleTimeout.toSeconds());
        this.maxConnections = maxConnections;
    }

    /**
     * Runs {@code hook} each time a server is created, before it listens: Camel's platform-http has bound its router
     * by then, so handlers put on it serve the very first request (a startup listener runs after the server listens).
     */
    public void beforeEachServer(Runnable hook) {
        beforeServers.add(hook);
    }

    @Override
    public HttpServer createHttpServer(HttpServerOptions options) {
        beforeServers.forEach(Runnable::run);
        HttpServerOptions limited = new HttpServerOptions(options).setIdleTimeout(idleSeconds).setIdleTimeoutUnit(TimeUnit.SECONDS);
        return super.createHttpServer(limited).connectionHandler(connection -> {
            connection.closeHandler(closed -> open.decrementAndGet());
            if (open.incrementAndGet() > maxConnections) {
                connection.close();
            }
        });
    }

    @Override
    public HttpServer createHttpServer() {
        return createHttpServer(new HttpServerOptions());
    }

    /** Connections open now. */
    public int openConnections() {
        return open.get();
    }
}
