package io.github.ghlconnectif.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Delivers the GHL simulator's webhooks as GHL does: one POST per event, in order, the raw body signed with Ed25519
 * in {@code X-GHL-Signature}, with a {@code webhookId} and {@code timestamp}; sent again only when answered 429. The key
 * pair is made at start-up and lives only in this process.
 */
final class WebhookSender implements AutoCloseable {

    private static final int RETRIES = 6;

    private final KeyPair keys;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ghl-simulator-webhooks");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger pending = new AtomicInteger();
    private final Consumer<String> console;
    private final Duration retryDelay;
    private volatile String target;

    WebhookSender(Consumer<String> console, Duration retryDelay) {
        this.console = console;
        this.retryDelay = retryDelay;
        try {
            keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot make Ed25519 keys", e);
        }
    }

    /** The public key as {@code ghl.webhook.public-key} takes it: base64 of the DER encoding. */
    String publicKey() {
        return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    /** Where webhooks go, the connector's {@code /webhooks/ghl}; until it is set, events are dropped as GHL would. */
    void target(String url) {
        this.target = url;
    }

    /** Webhooks queued or being delivered. */
    int pending() {
        return pending.get();
    }

    void send(Map<String, Object> event) {
        Map<String, Object> body = new LinkedHashMap<>(event);
        body.put("webhookId", UUID.randomUUID().toString());
        body.put("timestamp", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        pending.incrementAndGet();
        executor.execute(() -> {
            try {
                deliver(body);
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    private void deliver(Map<String, Object> event) {
        String url = target;
        if (url == null) {
            return;
        }
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("X-GHL-Signature", sign(body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        for (int attempt = 0; attempt <= RETRIES; attempt++) {
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status != 429) {
                    if (status / 100 != 2) {
                        console.accept("[ghl] webhook " + event.get("type") + " answered " + status + ": GHL does not send it again");
                    }
                    return;
                }
                console.accept("[ghl] webhook " + event.get("type") + " answered 429: sending it again in "
                        + retryDelay.toSeconds() + " s");
                Thread.sleep(retryDelay.toMillis());
            } catch (IOException e) {
                console.accept("[ghl] webhook " + event.get("type") + " not delivered: " + e.getClass().getSimpleName());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private String sign(byte[] body) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(keys.getPrivate());
            signature.update(body);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
