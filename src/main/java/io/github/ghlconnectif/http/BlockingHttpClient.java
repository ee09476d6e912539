package io.github.ghlconnectif.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The {@link HttpClient} the GHL and Connectif clients send with: the JDK's API, so that their code and tests stay as
 * they are, carried out on the calling thread by Apache HttpClient 5's blocking client (the one camel-http uses) with
 * pooled keep-alive connections. Why not the JDK's own client: it hands every request and answer between its selector
 * thread and an executor, about 1 ms of CPU per call on 2 cores (async-profiler, bench/README.md, issue 17), where a
 * blocking call costs its socket reads and writes. Only {@link #send} is used; {@link #sendAsync} runs it on the
 * common pool. HTTP/1.1 only, no redirects, no cookies, no retries: the callers decide what a failure means.
 */
public final class BlockingHttpClient extends HttpClient implements AutoCloseable {

    /** Connections kept per host: more than the flows and backfills that call one host at once. */
    private static final int MAX_CONNECTIONS = 100;

    private static final Set<String> BODILESS = Set.of("GET", "HEAD", "DELETE", "OPTIONS", "TRACE");

    /**
     * The most an answer may hold. GHL's and Connectif's answers are pages of JSON well under 1 MiB; one read whole
     * without a bound, from a wrong {@code base-url} or a broken proxy, could take the heap (112 MB with the documented
     * options) from every flow at once.
     */
    static final int MAX_ANSWER_BYTES = 8 * 1024 * 1024;

    private final CloseableHttpClient client;
    private final Duration connectTimeout;
    private TlsSocketStrategy tls;

    public BlockingHttpClient(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(MAX_CONNECTIONS)
                        .setMaxConnPerRoute(MAX_CONNECTIONS)
                        .setTlsSocketStrategy((socket, target, port, attachment, context) ->
                                tls().upgrade(socket, target, port, attachment, context))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                // a pooled connection idle this long is checked before reuse: servers close idle ones
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                                .build())
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .build();
    }

    /**
     * Built at the first HTTPS connection, not with the client: it reads the JDK's trust store, 180 ms of the start-up
     * (bench/README.md).
     */
    private synchronized TlsSocketStrategy tls() throws IOException {
        if (tls == null) {
            try {
                tls = DefaultClientTlsStrategy.createDefault();
            } catch (RuntimeException e) {
                throw new IOException("cannot set up TLS: " + e.getMessage(), e);
            }
        }
        return tls;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        HttpUriRequestBase outgoing = new HttpUriRequestBase(request.method(), request.uri());
        request.headers().map().forEach((name, values) -> values.forEach(value -> outgoing.addHeader(name, value)));
        byte[] body = body(request);
        // as the JDK client: an empty body is sent (Content-Length: 0) only with the methods that carry one
        if (body != null && (body.length > 0 || !BODILESS.contains(request.method()))) {
            outgoing.setEntity(new ByteArrayEntity(body, null));
        }
        request.timeout().ifPresent(timeout -> outgoing.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.of(timeout)).build()));
        try {
            return client.execute(outgoing, answer -> {
                Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                for (Header header : answer.getHeaders()) {
                    headers.computeIfAbsent(header.getName(), name -> new ArrayList<>()).add(header.getValue());
                }
                byte[] bytes = bounded(answer.getEntity());
                HttpHeaders answerHeaders = HttpHeaders.of(headers, (name, value) -> true);
                return new Response<>(answer.getCode(), answerHeaders, body(handler, answer.getCode(), answerHeaders, bytes),
                        request);
            });
        } catch (ConnectTimeoutException e) {
            throw new HttpConnectTimeoutException("connect timed out: " + request.uri().getHost());
        } catch (InterruptedIOException e) {
            throw new HttpTimeoutException("request timed out");
        }
    }

    /** The answer's bytes; an IOException, before they are read, when there are more than {@link #MAX_ANSWER_BYTES}. */
    private static byte[] bounded(HttpEntity entity) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        if (entity.getContentLength() > MAX_ANSWER_BYTES) {
            throw tooLarge("holds " + entity.getContentLength() + " bytes, more than");
        }
        try (InputStream content = entity.getContent()) {
            byte[] bytes = content == null ? new byte[0] : content.readNBytes(MAX_ANSWER_BYTES + 1);
            if (bytes.length > MAX_ANSWER_BYTES) {
                throw tooLarge("goes on past");
            }
            return bytes;
        }
    }

    private static IOException tooLarge(String size) {
        return new IOException("the answer " + size + " the " + MAX_ANSWER_BYTES / (1024 * 1024)
                + " MiB an answer may hold; it was not read");
    }

    /** The bytes of the request's body publisher (in-memory publishers emit at once), or null when it has none. */
    private static byte[] body(HttpRequest request) throws IOException {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        if (publisher.isEmpty()) {
            return null;
        }
        List<ByteBuffer> parts = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        publisher.get().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                parts.add(item);
            }

            @Override
            public void onError(Throwable failure) {
                done.completeExceptionally(failure);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        await(done);
        int size = parts.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(size);
        parts.forEach(all::put);
        return all.array();
    }

    /** Feeds the answer's bytes to the caller's body handler, as the JDK client would. */
    private static <T> T body(HttpResponse.BodyHandler<T> handler, int status, HttpHeaders headers, byte[] bytes)
            throws IOException {
        HttpResponse.BodySubscriber<T> subscriber = handler.apply(new HttpResponse.ResponseInfo() {
            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public HttpHeaders headers() {
                return headers;
            }

            @Override
            public Version version() {
                return Version.HTTP_1_1;
            }
        });
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                // everything is delivered below
            }

            @Override
            public void cancel() {
                // nothing to stop
            }
        });
        if (bytes.length > 0) {
            subscriber.onNext(List.of(ByteBuffer.wrap(bytes)));
        }
        subscriber.onComplete();
        return await(subscriber.getBody().toCompletableFuture());
    }

    private static <T> T await(CompletableFuture<T> future) throws IOException {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot read a body: " + e, e);
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return send(request, handler);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return sendAsync(request, handler);
    }

    @Override
    public void close() throws IOException {
        client.close();
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return Optional.of(connectTimeout);
    }

    @Override
    public Redirect followRedirects() {
        return Redirect.NEVER;
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public SSLParameters sslParameters() {
        return sslContext().getDefaultSSLParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return Optional.empty();
    }

    @Override
    public Version version() {
        return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
        return Optional.empty();
    }

    private record Response<T>(int statusCode, HttpHeaders headers, T body, HttpRequest request) implements HttpResponse<T> {

        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public Version version() {
            return Version.HTTP_1_1;
        }
    }
}
