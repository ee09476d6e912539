package io.github.ghlconnectif.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.config.ConfigurationException;
import io.github.ghlconnectif.config.Settings;
import io.github.ghlconnectif.support.OAuthBrowser;
import io.github.ghlconnectif.support.RunningConnector;
import io.github.ghlconnectif.support.Stubs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code /oauth/callback} connects only installs started here, in the same browser, once, within the allow-lists. */
class OAuthInstallTest {

    static final String KEY = "OPliPDn28p8d7BNqfHyCrl8zAExwEVEy7+PhTwkuSOo=";
    static final String OTHER_KEY = "fQ4XKSXlttADu3BOksvZ3h75SDBXoes17R4A9BUd334=";
    static final String CLIENT_ID = "6578278e879ad2646715ba9c-loauth01";

    @RegisterExtension
    WireMockExtension ghl = Stubs.server();

    @TempDir
    Path workDir;

    RunningConnector connector;

    @AfterEach
    void stop() {
        if (connector != null) {
            connector.close();
        }
    }

    @Test
    void aCallbackWithoutAGoodStateIsRefusedBeforeTheCodeIsExchanged() throws Exception {
        start(Map.of());
        stubToken("loc1aaaaaaaaaaaaaaaa", "cmp1");
        OAuthBrowser.Started started = OAuthBrowser.install(connector);
        String[] parts = started.state().split("\\.");
        OAuthStates otherKey = new OAuthStates(connector.connector().store(), OTHER_KEY, Clock.systemUTC());
        OAuthStates.Issued foreign = otherKey.issue();
        OAuthStates.Issued expired = new OAuthStates(connector.connector().store(), KEY,
                Clock.fixed(Instant.now().minus(Duration.ofMinutes(11)), ZoneOffset.UTC)).issue();
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("no state", new String[] {null, started.cookie()});
        cases.put("empty state", new String[] {"", started.cookie()});
        cases.put("garbage state", new String[] {"abc", started.cookie()});
        cases.put("forged signature", new String[] {parts[0] + "." + parts[1] + "." + "A".repeat(43), started.cookie()});
        cases.put("signed by another key", new String[] {foreign.state(), OAuthStates.COOKIE + "=" + foreign.cookie()});
        cases.put("expiry moved", new String[] {parts[0] + "." + (Long.parseLong(parts[1]) + 3600) + "." + parts[2],
                started.cookie()});
        cases.put("expired", new String[] {expired.state(), OAuthStates.COOKIE + "=" + expired.cookie()});
        cases.put("no cookie", new String[] {started.state(), null});
        cases.put("another browser's cookie", new String[] {started.state(), OAuthBrowser.install(connector).cookie()});
        cases.put("huge state", new String[] {"a".repeat(5000) + "." + "1" + "." + "b", started.cookie()});
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String[]> each : cases.entrySet()) {
            HttpResponse<String> page = OAuthBrowser.callback(connector, "code=code-1", each.getValue()[0], each.getValue()[1]);
            if (page.statusCode() != 400 || !page.body().contains("Start again at /oauth/install")
                    || !page.headers().firstValue("Content-Type").orElse("").startsWith("text/html")) {
                wrong.add(each.getKey() + " -> " + page.statusCode() + " " + page.body());
            }
        }
        System.out.println("OAuthInstallTest: " + cases.size() + " callbacks with a bad state");
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        ghl.verify(0, postRequestedFor(urlEqualTo("/oauth/token")));

        // the good one connects, once
        HttpResponse<String> good = OAuthBrowser.callback(connector, "code=code-1", started.state(), started.cookie());
        assertEquals(200, good.statusCode(), good.body());
        HttpResponse<String> reused = OAuthBrowser.callback(connector, "code=code-1", started.state(), started.cookie());
        assertEquals(400, reused.statusCode(), reused.body());
        assertTrue(reused.body().contains("the state was used before"), reused.body());
        ghl.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));
    }

    @Test
    void aCodeForACompanyOutsideTheAllowListsStoresNothing() throws Exception {
        start(Map.of("ghl.allowed-companies", "cmpAllowed", "ghl.allowed-locations", "listedLocation000001"));
        stubToken("loc2aaaaaaaaaaaaaaaa", "cmpOther");

        HttpResponse<String> refused = OAuthBrowser.installAndCallBack(connector, "code=code-2");

        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("ghl.allowed-companies"), refused.body());
        assertEquals(0, count("SELECT COUNT(*) FROM oauth_token"));
        assertEquals(0, count("SELECT COUNT(*) FROM ghl_location"));

        stubToken("listedLocation000001", "cmpOther");
        assertEquals(200, OAuthBrowser.installAndCallBack(connector, "code=code-3").statusCode());
        stubToken("loc3aaaaaaaaaaaaaaaa", "cmpAllowed");
        assertEquals(200, OAuthBrowser.installAndCallBack(connector, "code=code-4").statusCode());
        assertEquals(2, count("SELECT COUNT(*) FROM oauth_token"));
        assertTrue(connector.connector().servedLocations().serves("listedLocation000001"));
        assertTrue(connector.connector().servedLocations().serves("loc3aaaaaaaaaaaaaaaa"));
    }

    @Test
    void aWeakStoreSecretKeyStopsTheStartNamingTheProperty() {
        Map<String, String> weak = new LinkedHashMap<>();
        weak.put("16 bytes", Base64.getEncoder().encodeToString(new byte[16]));
        weak.put("32 zero bytes", Base64.getEncoder().encodeToString(new byte[32]));
        weak.put("32 equal bytes", Base64.getEncoder().encodeToString("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.UTF_8)));
        weak.put("a short text repeated", Base64.getEncoder().encodeToString("secretsecretsecretsecretsecret12".getBytes(StandardCharsets.UTF_8)));
        weak.put("33 bytes", Base64.getEncoder().encodeToString(new byte[33]));
        weak.put("not base64", "not base64 at all!");
        for (Map.Entry<String, String> key : weak.entrySet()) {
            Map<String, String> properties = new HashMap<>(Map.of("ghl.auth.mode", "oauth", "ghl.oauth.client-id", CLIENT_ID,
                    "ghl.oauth.client-secret", "s", "connectif.api-key", "k:s", "store.secret-key", key.getValue()));
            ConfigurationException error = assertThrows(ConfigurationException.class,
                    () -> new Connector(new Settings(name -> Optional.ofNullable(properties.get(name)))).validate(), key.getKey());
            assertTrue(error.getMessage().startsWith("store.secret-key"), error.getMessage());
            assertTrue(!error.getMessage().contains(key.getValue()), "the key is in the message: " + error.getMessage());
        }
        assertEquals(32, TokenCipher.keyBytes(KEY).length);
    }

    @Test
    void theAppIdIsSetOrTakenFromAClientIdOfGhlsForm() {
        assertEquals(Optional.of("6578278e879ad2646715ba9c"), connectorWith(Map.of("ghl.oauth.client-id", CLIENT_ID)).appId());
        assertEquals(Optional.of("myApp"), connectorWith(Map.of("ghl.oauth.client-id", CLIENT_ID, "ghl.oauth.app-id", "myApp"))
                .appId());
        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> connectorWith(Map.of("ghl.oauth.client-id", "client-id-123")).appId());
        assertTrue(error.getMessage().contains("ghl.oauth.app-id"), error.getMessage());
        assertEquals(Optional.empty(), connectorWith(Map.of("ghl.auth.mode", "private-token")).appId());
    }

    private static Connector connectorWith(Map<String, String> properties) {
        return new Connector(new Settings(name -> Optional.ofNullable(properties.get(name))));
    }

    private void start(Map<String, String> extra) throws Exception {
        Map<String, String> properties = new HashMap<>(Map.of("ghl.auth.mode", "oauth", "ghl.oauth.client-id", CLIENT_ID,
                "ghl.oauth.client-secret", "client-secret-oauth", "ghl.oauth.redirect-uri", "http://localhost/oauth/callback",
                "ghl.base-url", ghl.baseUrl(), "store.secret-key", KEY,
                "store.url", "jdbc:h2:file:" + workDir.resolve("store").toAbsolutePath()));
        properties.putAll(extra);
        connector = RunningConnector.start(properties);
    }

    private void stubToken(String location, String company) {
        ghl.stubFor(post("/oauth/token").willReturn(okJson("{\"access_token\":\"at-" + location + "\",\"token_type\":\"Bearer\","
                + "\"expires_in\":86399,\"refresh_token\":\"rt-" + location + "\",\"scope\":\"contacts.readonly contacts.write\","
                + "\"userType\":\"Location\",\"locationId\":\"" + location + "\",\"companyId\":\"" + company + "\",\"userId\":\"u1\"}")));
    }

    private long count(String sql) throws Exception {
        try (Connection connection = connector.connector().store().connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
