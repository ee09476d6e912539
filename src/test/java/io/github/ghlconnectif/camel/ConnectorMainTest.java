package io.github.ghlconnectif.camel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import javax.management.ObjectName;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.ghlconnectif.ghl.GhlApiException;
import io.github.ghlconnectif.support.LogCapture;
import io.github.ghlconnectif.support.OAuthBrowser;
import io.github.ghlconnectif.support.RunningConnector;
import io.github.ghlconnectif.support.Stubs;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.Scheduler;

/** Boots the connector as {@code java -jar} does, in OAuth mode, against a WireMock GHL. */
class ConnectorMainTest {

    static final String LOCATION = "ve9EPM428h8vShlRW1KT";
    static final String CLIENT_SECRET = "client-secret-7f3a9b";
    static final String STORE_KEY = "OPliPDn28p8d7BNqfHyCrl8zAExwEVEy7+PhTwkuSOo=";
    /** Of GHL's form: the app id, a dash and a suffix. */
    static final String CLIENT_ID = "6578278e879ad2646715ba9c-mtest123";
    static final String ACCESS = "access-token-e1b2c3";
    static final String REFRESH = "refresh-token-d4e5f6";

    @TempDir
    Path workDir;

    @RegisterExtension
    WireMockExtension ghl = Stubs.server();

    RunningConnector connector;
    LogCapture logs;

    @BeforeEach
    void start() throws Exception {
        logs = LogCapture.attach();
        connector = RunningConnector.start(Map.of(
                "ghl.base-url", ghl.baseUrl(),
                "ghl.oauth.client-id", CLIENT_ID,
                "ghl.oauth.client-secret", CLIENT_SECRET,
                "ghl.oauth.redirect-uri", "http://localhost:8080/oauth/callback",
                "ghl.location-id", LOCATION,
                "store.url", "jdbc:h2:file:" + workDir.resolve("store").toAbsolutePath(),
                "store.secret-key", STORE_KEY));
    }

    @AfterEach
    void stop() {
        connector.close();
        logs.close();
    }

    @Test
    void quartzRunsWithoutAnMBeanSoThatTheStartCreatesNoMBeanServer() throws Exception {
        assertTrue(connector.camel().getRoutes().stream()
                .anyMatch(route -> route.getEndpoint().getEndpointUri().startsWith("quartz:")), "a Quartz route runs");
        assertTrue(ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("quartz:*"), null).isEmpty());
    }

    @Test
    void quartzRunsOnTwoThreadsNotTheTenThatWakeTwentyTimesASecond() throws Exception {
        Scheduler scheduler = connector.camel().getComponent("quartz", QuartzComponent.class).getScheduler();

        assertEquals(2, scheduler.getMetaData().getThreadPoolSize());
        assertTrue(scheduler.isStarted());
    }

    @Test
    void installRedirectsToGhlsLocationChooser() throws Exception {
        HttpResponse<String> response = http("/oauth/install");

        assertEquals(302, response.statusCode());
        String location = response.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("https://marketplace.gohighlevel.com/v2/oauth/chooselocation?response_type=code"),
                location);
        assertTrue(location.contains("client_id=" + CLIENT_ID), location);
        assertTrue(location.contains("redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Foauth%2Fcallback"), location);
        assertTrue(location.contains("scope=contacts.readonly%20contacts.write"), location);
        assertFalse(location.contains(CLIENT_SECRET));
    }

    @Test
    void callbackStoresTheTokensAndYamlRoutesCallGhlWithThem() throws Exception {
        ghl.stubFor(post("/oauth/token").withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withRequestBody(containing("grant_type=authorization_code")).withRequestBody(containing("code=code-42"))
                .withRequestBody(containing("user_type=Location"))
                .withRequestBody(containing("client_secret=" + CLIENT_SECRET))
                .willReturn(okJson("{\"access_token\":\"" + ACCESS + "\",\"token_type\":\"Bearer\",\"expires_in\":86399,"
                        + "\"refresh_token\":\"" + REFRESH + "\",\"scope\":\"contacts.readonly contacts.write\","
                        + "\"userType\":\"Location\",\"locationId\":\"" + LOCATION + "\",\"companyId\":\"cmp1\",\"userId\":\"u1\"}")));
        ghl.stubFor(get("/contacts/c1").withHeader("Authorization", equalTo("Bearer " + ACCESS))
                .willReturn(okJson("{\"contact\":{\"id\":\"c1\",\"email\":\"ana@example.org\"}}")));

        HttpResponse<String> page = OAuthBrowser.installAndCallBack(connector, "code=code-42");
        String email = template().requestBody("direct:test-contact-lookup", "c1", String.class);

        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Location " + LOCATION + " is connected"), page.body());
        assertFalse(page.body().contains(ACCESS));
        assertEquals("ana@example.org", email);
        ghl.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));
        ghl.verify(1, getRequestedFor(urlEqualTo("/contacts/c1")));
        try (Connection connection = connector.connector().store().connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT owner_type, access_token FROM oauth_token")) {
            assertTrue(rows.next());
            assertEquals("Location", rows.getString(1));
            assertFalse(rows.getString(2).contains(ACCESS));
        }
        assertNoSecretLogged();
    }

    @Test
    void aRefusedCodeShowsWhyAndStoresNothing() throws Exception {
        ghl.stubFor(post("/oauth/token").willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid authorization code\"}")));

        HttpResponse<String> page = OAuthBrowser.installAndCallBack(connector, "code=stale-code");
        HttpResponse<String> noCode = OAuthBrowser.installAndCallBack(connector, "error=access_denied");

        assertEquals(400, page.statusCode());
        assertTrue(page.body().contains("Invalid authorization code"), page.body());
        assertEquals(400, noCode.statusCode());
        assertTrue(noCode.body().contains("access_denied"), noCode.body());
        CamelExecutionException error = org.junit.jupiter.api.Assertions.assertThrows(CamelExecutionException.class,
                () -> template().requestBodyAndHeader("direct:ghl-get-contact", null, "contactId", "c1"));
        assertTrue(error.getCause() instanceof GhlApiException);
        assertTrue(error.getCause().getMessage().contains("install the app for it at /oauth/install"),
                error.getCause().getMessage());
        assertNoSecretLogged();
    }

    private void assertNoSecretLogged() {
        String text = logs.text();
        for (String secret : new String[] {CLIENT_SECRET, STORE_KEY, ACCESS, REFRESH, "code-42"}) {
            assertFalse(text.contains(secret), "a secret reached the log: " + secret);
        }
    }

    private ProducerTemplate template() {
        return connector.camel().createProducerTemplate();
    }

    private HttpResponse<String> http(String path) throws Exception {
        return connector.get(path);
    }
}
