package io.github.ghlconnectif.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.ghlconnectif.support.Stubs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code call} as a new user tries it from the README, with a private integration token. */
class CallCommandTest {

    static final String TOKEN = "pit-5c0ff33-secret";
    static final String LOCATION = "ve9EPM428h8vShlRW1KT";

    @RegisterExtension
    WireMockExtension ghl = Stubs.server();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> properties;

    @BeforeEach
    void start() {
        properties = Map.of("ghl.auth.mode", "private-token", "ghl.private-token", TOKEN, "ghl.location-id", LOCATION,
                "ghl.base-url", ghl.baseUrl());
        properties.forEach(System::setProperty);
    }

    @AfterEach
    void stop() {
        properties.keySet().forEach(System::clearProperty);
    }

    @Test
    void printsTheAnswerOfAGet() {
        ghl.stubFor(get("/contacts/c1").withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(okJson("{\"contact\":{\"id\":\"c1\",\"firstName\":\"Ana\"}}")));

        int exit = run("call", "get-contact", "contactId=c1");

        assertEquals(0, exit, err.toString());
        assertTrue(out.toString().contains("\"firstName\" : \"Ana\""), out.toString());
    }

    @Test
    void sendsABodyFromAFileAndFillsInTheLocation(@TempDir Path dir) throws Exception {
        Path body = dir.resolve("contact.json");
        Files.writeString(body, "{\"firstName\":\"Ana\",\"email\":\"ana@example.org\"}");
        ghl.stubFor(post("/contacts/upsert").willReturn(okJson("{\"new\":true,\"contact\":{\"id\":\"c9\"}}")));

        int exit = run("call", "upsert-contact", "body=@" + body);

        assertEquals(0, exit, err.toString());
        ghl.verify(postRequestedFor(urlEqualTo("/contacts/upsert")).withRequestBody(equalToJson(
                "{\"firstName\":\"Ana\",\"email\":\"ana@example.org\",\"locationId\":\"" + LOCATION + "\"}")));
        assertTrue(out.toString().contains("\"new\" : true"));
    }

    @Test
    void aFailurePrintsStatusMessageAndTraceIdButNeverTheToken() {
        ghl.stubFor(get("/contacts/c1").willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"statusCode\":401,\"message\":\"Invalid token: access token is invalid\","
                        + "\"error\":\"Unauthorized\",\"traceId\":\"trace-77\"}")));

        int exit = run("call", "get-contact", "contactId=c1");

        assertEquals(1, exit);
        String error = err.toString();
        assertTrue(error.contains("HTTP 401") && error.contains("Invalid token") && error.contains("trace-77"), error);
        assertFalse(error.contains(TOKEN) || out.toString().contains(TOKEN));
    }

    @Test
    void badUsageExitsWithTwoAndSaysWhy() {
        assertEquals(2, run("call", "no-such-operation"));
        assertTrue(err.toString().contains("Unknown operation 'no-such-operation'"));
        assertEquals(2, run("call", "get-contact"));
        assertTrue(err.toString().contains("missing parameter contactId"), err.toString());
        assertEquals(2, run("call", "create-note", "contactId=c1", "body={not json"));
        assertTrue(err.toString().contains("not valid JSON"), err.toString());
    }

    private int run(String... args) {
        return new CallCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args);
    }
}
