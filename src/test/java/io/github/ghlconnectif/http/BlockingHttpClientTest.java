package io.github.ghlconnectif.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.net.ssl.SSLHandshakeException;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.ghlconnectif.support.Stubs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDK client API, carried out by the blocking client: what GhlClient and ConnectifClient rely on. */
class BlockingHttpClientTest {

    @RegisterExtension
    static WireMockExtension server = Stubs.server();

    private final BlockingHttpClient http = new BlockingHttpClient(Duration.ofSeconds(2));

    @AfterEach
    void close() throws IOException {
        http.close();
    }

    @Test
    void sendsMethodHeadersAndBodyAndReadsStatusHeadersAndBody() throws Exception {
        server.stubFor(any(urlEqualTo("/contacts/c1?x=1")).willReturn(aResponse().withStatus(201)
                .withHeader("X-RateLimit-Remaining", "99").withBody("{\"ok\":\"é\"}")));

        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri("/contacts/c1?x=1"))
                .header("Authorization", "Bearer t").header("Version", "2021-07-28").header("Content-Type", "application/json")
                .method("PUT", HttpRequest.BodyPublishers.ofString("{\"name\":\"Zoë\"}", StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(201, answer.statusCode());
        assertEquals("{\"ok\":\"é\"}", answer.body());
        assertEquals("99", answer.headers().firstValue("x-ratelimit-remaining").orElseThrow(), "names are case-insensitive");
        server.verify(putRequestedFor(urlEqualTo("/contacts/c1?x=1")).withHeader("Authorization", equalTo("Bearer t"))
                .withHeader("Version", equalTo("2021-07-28")).withRequestBody(equalToJson("{\"name\":\"Zoë\"}")));
    }

    @Test
    void anAnswerAboveTheLimitIsRefusedUnreadWhetherItsLengthIsSaidOrNot() throws Exception {
        byte[] tooLarge = new byte[BlockingHttpClient.MAX_ANSWER_BYTES + 1];
        server.stubFor(get("/said").willReturn(aResponse().withStatus(200).withBody(tooLarge)));
        server.stubFor(get("/chunked").willReturn(aResponse().withStatus(200).withBody(tooLarge)
                .withChunkedDribbleDelay(4, 100)));
        server.stubFor(get("/at-the-limit").willReturn(aResponse().withStatus(200)
                .withBody(new byte[BlockingHttpClient.MAX_ANSWER_BYTES])));

        for (String path : new String[] {"/said", "/chunked"}) {
            IOException refused = assertThrows(IOException.class, () -> http.send(HttpRequest.newBuilder(uri(path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()), path);
            assertTrue(refused.getMessage().contains(" the 8 MiB an answer may hold; it was not read"),
                    path + ": " + refused.getMessage());
        }
        HttpResponse<byte[]> atTheLimit = http.send(HttpRequest.newBuilder(uri("/at-the-limit")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(BlockingHttpClient.MAX_ANSWER_BYTES, atTheLimit.body().length);
    }

    @Test
    void aPostWithoutBodySaysContentLengthZeroAndBodylessAnswersAreEmpty() throws Exception {
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204)));

        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(uri("/tasks/t1/completed"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(204, answer.statusCode());
        assertEquals(0, answer.body().length);
        server.verify(postRequestedFor(urlEqualTo("/tasks/t1/completed")).withHeader("Content-Length", equalTo("0")));
    }

    @Test
    void aRateLimitOrServerErrorIsReturnedOnceNeverRetriedHere() throws Exception {
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
        HttpResponse<Void> limited = http.send(HttpRequest.newBuilder(uri("/a")).GET().build(), HttpResponse.BodyHandlers.discarding());
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        HttpResponse<Void> down = http.send(HttpRequest.newBuilder(uri("/b")).GET().build(), HttpResponse.BodyHandlers.discarding());

        assertEquals(429, limited.statusCode());
        assertEquals(503, down.statusCode());
        assertEquals(2, server.findAll(anyRequestedFor(anyUrl())).size(), "the callers decide about retries");
    }

    @Test
    void aSlowAnswerEndsInTheJdkTimeoutExceptionAndAClosedPortInAnIoException() throws Exception {
        server.stubFor(get(anyUrl()).willReturn(aResponse().withFixedDelay(2000)));
        assertThrows(HttpTimeoutException.class, () -> http.send(HttpRequest.newBuilder(uri("/slow"))
                .timeout(Duration.ofMillis(200)).build(), HttpResponse.BodyHandlers.ofString()));

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        int port = closed;
        IOException refused = assertThrows(IOException.class, () -> http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/x")).build(), HttpResponse.BodyHandlers.ofString()));
        assertTrue(refused.getMessage() != null, "says why");
    }

    @Test
    void anHttpsServerWhoseCertificateTheJdkDoesNotTrustIsRefused() throws Exception {
        // WireMock's own self-signed certificate: the trust store read at the first HTTPS connection must reject it
        WireMockServer https = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1"));
        https.start();
        try {
            https.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
            assertThrows(SSLHandshakeException.class, () -> http.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + https.httpsPort() + "/contacts/c1")).build(),
                    HttpResponse.BodyHandlers.ofString()));
            assertEquals(0, https.findAll(anyRequestedFor(anyUrl())).size(), "nothing was sent");
        } finally {
            https.stop();
        }
    }

    private static URI uri(String path) {
        return URI.create(server.baseUrl() + path);
    }
}
