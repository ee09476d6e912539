package io.github.ghlconnectif.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.camel.ConnectorConfiguration;
import io.github.ghlconnectif.camel.ConnectorMain;
import io.github.ghlconnectif.inbox.Dispatcher;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;

/** The connector booted in the test JVM as {@code java -jar} boots it, on a free port, with test properties. */
public final class RunningConnector implements AutoCloseable {

    private final Main main;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private RunningConnector(Main main, int port) {
        this.main = main;
        this.port = port;
    }

    /** Starts with the given properties over the defaults; with the test routes of {@code test-routes/} beside {@code routes/}. */
    public static RunningConnector start(Map<String, String> properties) throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        Map<String, String> all = new HashMap<>();
        all.put("camel.server.port", String.valueOf(port));
        all.put("camel.main.routes-include-pattern", "file:routes/*.camel.yaml,classpath:test-routes/*.camel.yaml");
        all.put("connectif.api-key", "test-key-id:test-key-secret");
        all.put("connectif.base-url", "http://127.0.0.1:9");
        all.put("ghl.base-url", "http://127.0.0.1:9");
        all.put("connectif.setup-on-start", "false");
        all.put("sync.reconcile.cron", "0 0 0 1 1 ? 2099");
        all.putAll(properties);
        Main main = ConnectorMain.newMain();
        all.forEach(main::addOverrideProperty);
        main.start();
        RunningConnector running = new RunningConnector(main, port);
        Await.until(() -> running.connector().accessCheck().ran(), Duration.ofSeconds(30), "the start-up access check");
        return running;
    }

    public int port() {
        return port;
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    public Connector connector() {
        return camel().getRegistry().lookupByNameAndType(ConnectorConfiguration.CONNECTOR, Connector.class);
    }

    public <T> T bean(String name, Class<T> type) {
        return camel().getRegistry().lookupByNameAndType(name, type);
    }

    public HttpResponse<String> get(String path) throws Exception {
        return get(path, Map.of());
    }

    public HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a GHL webhook signed by {@code signer}, expecting 200. */
    public void postGhlEvent(WebhookSigner signer, String json) throws Exception {
        byte[] body = WebhookSigner.bytes(json);
        HttpResponse<String> answer = post("/webhooks/ghl", body, signer.headers(body));
        assertEquals(200, answer.statusCode(), answer.body());
    }

    /** Waits until every stored event has been processed. */
    public void awaitIdle(Duration timeout) {
        Dispatcher dispatcher = bean(ConnectorConfiguration.DISPATCHER, Dispatcher.class);
        Await.until(() -> connector().inbox().depth() == 0 && dispatcher.inFlight() == 0, timeout, "every event processed");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() {
        main.stop();
    }
}
