package io.github.ghlconnectif.auth;

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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.ghlconnectif.CircuitBreaker;
import io.github.ghlconnectif.ghl.AccessToken;
import io.github.ghlconnectif.ghl.GhlApiException;
import io.github.ghlconnectif.ghl.GhlCatalog;
import io.github.ghlconnectif.ghl.GhlClient;
import io.github.ghlconnectif.ghl.Priority;
import io.github.ghlconnectif.ghl.RateBudgets;
import io.github.ghlconnectif.metrics.ApiCalls;
import io.github.ghlconnectif.store.Locations;
import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.support.LogCapture;
import io.github.ghlconnectif.support.Stubs;
import io.github.ghlconnectif.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Token storage, rotation and single-flight refresh, on the embedded H2 store and on PostgreSQL. */
class OAuthTokenProviderTest {

    static final String KEY = "q1TzT0N3bWZsG2p9vK8yY3d4cE5mN0tRb1BzWHhZeWE=";
    static final String LOCATION = "ve9EPM428h8vShlRW1KT";
    static final String COMPANY = "5DP4iH6HLkQsiKESj6rh";

    @TempDir
    Path workDir;

    @RegisterExtension
    WireMockExtension ghl = Stubs.server();
    List<Store> stores = new ArrayList<>();

    LogCapture logs;

    @BeforeEach
    void startGhl() {
        logs = LogCapture.attach();
    }

    @AfterEach
    void stop() {
        stores.forEach(Store::close);
        logs.close();
        String logged = logs.text();
        for (String secret : new String[] {"access-old", "access-new", "access-revoked", "refresh-1", "refresh-2",
            "refresh-used", "agency-access", "agency-refresh", "minted-access", "client-secret-value", KEY}) {
            assertFalse(logged.contains(secret), "a secret reached the log: " + secret);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void theTimerRefreshesTokensThatExpireSoonAndLeavesTheOthers(String kind) {
        Store store = open(TestDatabases.url(kind, workDir), kind);
        TokenStore tokens = tokens(store);
        tokens.save(new StoredToken(LOCATION, "Location", COMPANY, "access-old", "refresh-1", "contacts.readonly",
                Instant.now().plus(Duration.ofMinutes(12)), StoredToken.ACTIVE));
        tokens.save(new StoredToken("otherLocation0000001", "Location", COMPANY, "access-other", "refresh-other",
                "contacts.readonly", Instant.now().plus(Duration.ofHours(20)), StoredToken.ACTIVE));
        ghl.stubFor(post("/oauth/token").withRequestBody(containing("refresh_token=refresh-1"))
                .willReturn(okJson(grant("access-new", "refresh-2"))));

        int refreshed = provider(store).refreshExpiring(Duration.ofMinutes(10));

        assertEquals(1, refreshed);
        assertEquals("access-new", tokens.find(LOCATION).orElseThrow().accessToken());
        assertEquals("access-other", tokens.find("otherLocation0000001").orElseThrow().accessToken());
        ghl.verify(1, postRequestedFor(urlEqualTo("/oauth/token")).withRequestBody(containing("grant_type=refresh_token"))
                .withRequestBody(containing("user_type=Location")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void concurrentRefreshesOnTwoInstancesMakeOneTokenCall(String kind) throws Exception {
        String url = TestDatabases.url(kind, workDir);
        OAuthTokenProvider first = provider(open(url, kind));
        OAuthTokenProvider second = provider(open(url, kind));
        tokens(stores.get(0)).save(expired("access-old", "refresh-1"));
        ghl.stubFor(post("/oauth/token").withRequestBody(containing("refresh_token=refresh-1"))
                .willReturn(okJson(grant("access-new", "refresh-2")).withFixedDelay(300)));

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<AccessToken>> calls = List.of(() -> first.token(LOCATION), () -> first.token(LOCATION),
                    () -> second.token(LOCATION), () -> second.token(LOCATION));
            for (Future<AccessToken> result : pool.invokeAll(calls)) {
                assertEquals("access-new", result.get().value());
            }
        } finally {
            pool.shutdownNow();
        }

        ghl.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));
        StoredToken stored = tokens(stores.get(0)).find(LOCATION).orElseThrow();
        assertEquals("refresh-2", stored.refreshToken());
        assertTrue(stored.expiresAt().isAfter(Instant.now().plus(Duration.ofHours(23))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void unauthorizedRefreshesOnceAndRetries(String kind) {
        Store store = open(TestDatabases.url(kind, workDir), kind);
        tokens(store).save(valid("access-revoked", "refresh-1"));
        ghl.stubFor(post("/oauth/token").willReturn(okJson(grant("access-new", "refresh-2"))));
        ghl.stubFor(get("/contacts/abc").withHeader("Authorization", equalTo("Bearer access-revoked"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"statusCode\":401,\"message\":\"Invalid token: access token is invalid\"}")));
        ghl.stubFor(get("/contacts/abc").withHeader("Authorization", equalTo("Bearer access-new"))
                .willReturn(okJson("{\"contact\":{\"id\":\"abc\"}}")));

        Object answer = client(provider(store)).call(GhlCatalog.get("get-contact"), LOCATION, Map.of("contactId", "abc"),
                null, Priority.LIVE);

        assertEquals(Map.of("contact", Map.of("id", "abc")), answer);
        ghl.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));
        ghl.verify(2, getRequestedFor(urlEqualTo("/contacts/abc")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void invalidGrantMarksTheLocationForReinstallAndStopsRefreshing(String kind) {
        Store store = open(TestDatabases.url(kind, workDir), kind);
        tokens(store).save(expired("access-old", "refresh-used"));
        ghl.stubFor(post("/oauth/token").willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid grant: refresh token is invalid\"}")));
        OAuthTokenProvider provider = provider(store);

        GhlApiException first = assertThrows(GhlApiException.class, () -> provider.token(LOCATION));
        GhlApiException again = assertThrows(GhlApiException.class, () -> provider.token(LOCATION));

        assertTrue(first.getMessage().contains("install the app again"), first.getMessage());
        assertFalse(first.isTransient());
        assertTrue(again.getMessage().contains("install the app again"), again.getMessage());
        assertTrue(tokens(store).find(LOCATION).orElseThrow().needsReinstall());
        ghl.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void locationTokensAreMintedFromTheAgencyToken(String kind) {
        Store store = open(TestDatabases.url(kind, workDir), kind);
        TokenStore tokens = tokens(store);
        tokens.save(new StoredToken(COMPANY, "Company", COMPANY, "agency-access", "agency-refresh",
                "contacts.readonly contacts.write oauth.write", Instant.now().plus(Duration.ofHours(20)), StoredToken.ACTIVE));
        new Locations(store).markInstalled(LOCATION, COMPANY);
        ghl.stubFor(post("/oauth/locationToken").withHeader("Authorization", equalTo("Bearer agency-access"))
                .withHeader("Version", equalTo("2021-07-28"))
                .withRequestBody(containing("companyId=" + COMPANY)).withRequestBody(containing("locationId=" + LOCATION))
                .willReturn(okJson("{\"access_token\":\"minted-access\",\"token_type\":\"Bearer\",\"expires_in\":86399,"
                        + "\"scope\":\"contacts.readonly contacts.write\",\"locationId\":\"" + LOCATION + "\",\"userId\":\"u1\"}")));

        AccessToken token = provider(store).token(LOCATION);

        assertEquals("minted-access", token.value());
        assertEquals(Set.of("contacts.readonly", "contacts.write"), token.scopes());
        assertEquals("minted-access", tokens.find(LOCATION).orElseThrow().accessToken());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void tokensAreEncryptedAtRest(String kind) throws Exception {
        Store store = open(TestDatabases.url(kind, workDir), kind);
        tokens(store).save(valid("plain-access-token-value", "plain-refresh-token-value"));

        try (Connection connection = store.connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT access_token, refresh_token FROM oauth_token")) {
            assertTrue(rows.next());
            assertFalse(rows.getString(1).contains("plain-access"));
            assertFalse(rows.getString(2).contains("plain-refresh"));
        }
        assertEquals("plain-access-token-value", tokens(store).find(LOCATION).orElseThrow().accessToken());
        TokenStore wrongKey = new TokenStore(store, new TokenCipher("fQ4XKSXlttADu3BOksvZ3h75SDBXoes17R4A9BUd334="));
        RuntimeException error = assertThrows(RuntimeException.class, () -> wrongKey.find(LOCATION));
        assertTrue(error.getMessage().contains("store.secret-key"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aWriteWithoutTheWriteScopeFailsBeforeAnyCall(String kind) {
        Store store = open(TestDatabases.url(kind, workDir), kind);
        tokens(store).save(new StoredToken(LOCATION, "Location", COMPANY, "read-only", "refresh-1", "contacts.readonly",
                Instant.now().plus(Duration.ofHours(20)), StoredToken.ACTIVE));

        GhlApiException error = assertThrows(GhlApiException.class, () -> client(provider(store)).call(
                GhlCatalog.get("add-tags"), LOCATION, Map.of("contactId", "abc"), Map.of("tags", List.of("vip")), Priority.LIVE));

        assertTrue(error.getMessage().contains("contacts.write"), error.getMessage());
        assertEquals(0, ghl.getAllServeEvents().size());
    }

    private Store open(String url, String kind) {
        Store store = Store.open(url, TestDatabases.user(kind), "", 4, Duration.ofSeconds(10));
        stores.add(store);
        return store;
    }

    private static TokenStore tokens(Store store) {
        return new TokenStore(store, new TokenCipher(KEY));
    }

    private OAuthTokenProvider provider(Store store) {
        GhlOAuthClient oauth = new GhlOAuthClient(ghl.baseUrl(), "2021-07-28", "client-id", "client-secret-value", null,
                HttpClient.newHttpClient(), Duration.ofSeconds(5), new ObjectMapper());
        return new OAuthTokenProvider(tokens(store), new Locations(store), oauth, Duration.ofMinutes(5));
    }

    private GhlClient client(OAuthTokenProvider provider) {
        return new GhlClient(ghl.baseUrl(), "2021-07-28", provider, new RateBudgets(), HttpClient.newHttpClient(),
                Duration.ofSeconds(5), 3, new ObjectMapper(), breaker(), new ApiCalls());
    }

    private static CircuitBreaker breaker() {
        return new CircuitBreaker("GHL", 5, Duration.ofSeconds(30));
    }

    private static StoredToken expired(String access, String refresh) {
        return new StoredToken(LOCATION, "Location", COMPANY, access, refresh, "contacts.readonly contacts.write",
                Instant.now().minusSeconds(60), StoredToken.ACTIVE);
    }

    private static StoredToken valid(String access, String refresh) {
        return new StoredToken(LOCATION, "Location", COMPANY, access, refresh, "contacts.readonly contacts.write",
                Instant.now().plus(Duration.ofHours(20)), StoredToken.ACTIVE);
    }

    private static String grant(String access, String refresh) {
        return "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":86399,\"refresh_token\":\""
                + refresh + "\",\"scope\":\"contacts.readonly contacts.write\",\"userType\":\"Location\",\"locationId\":\""
                + LOCATION + "\",\"companyId\":\"" + COMPANY + "\",\"userId\":\"u1\"}";
    }
}
