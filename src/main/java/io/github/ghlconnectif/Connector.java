package io.github.ghlconnectif;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.auth.GhlOAuthClient;
import io.github.ghlconnectif.auth.OAuthStates;
import io.github.ghlconnectif.auth.OAuthTokenProvider;
import io.github.ghlconnectif.auth.PrivateTokenProvider;
import io.github.ghlconnectif.auth.StoredToken;
import io.github.ghlconnectif.auth.TokenCipher;
import io.github.ghlconnectif.auth.TokenProvider;
import io.github.ghlconnectif.auth.TokenStore;
import io.github.ghlconnectif.config.ConfigurationException;
import io.github.ghlconnectif.connectif.ConnectifClient;
import io.github.ghlconnectif.connectif.ConnectifSetup;
import io.github.ghlconnectif.config.Settings;
import io.github.ghlconnectif.ghl.GhlClient;
import io.github.ghlconnectif.ghl.RateBudgets;
import io.github.ghlconnectif.inbox.Inbox;
import io.github.ghlconnectif.metrics.ApiCalls;
import io.github.ghlconnectif.ghl.GhlIds;
import io.github.ghlconnectif.store.Locations;
import io.github.ghlconnectif.store.ServedLocations;
import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.sync.FieldMapping;
import io.github.ghlconnectif.sync.SyncStateStore;
import io.github.ghlconnectif.writeback.OwnWrites;
import org.apache.camel.Service;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Builds the connector's parts from its settings, each once and only when first needed, and closes them on stop.
 * The Camel routes and the command-line commands use the same parts.
 */
public final class Connector implements Service {

    public static final String MODE_OAUTH = "oauth";
    public static final String MODE_PRIVATE_TOKEN = "private-token";
    /** GHL marketplace client ids are the app id (24 hex digits), a dash and a suffix. */
    private static final Pattern CLIENT_ID = Pattern.compile("([0-9a-f]{24})-[A-Za-z0-9]+");

    private final Settings settings;
    private final ObjectMapper mapper = new ObjectMapper();
    private final RateBudgets rateBudgets;
    private final String authMode;
    private final CircuitBreaker ghlBreaker;
    private final CircuitBreaker connectifBreaker;
    private final ApiCalls apiCalls = new ApiCalls();
    private HttpClient http;
    private Store store;
    private OAuthTokenProvider oauthTokens;
    private GhlOAuthClient oauthClient;
    private OAuthStates oauthStates;
    private Locations locations;
    private ServedLocations servedLocations;
    private Inbox inbox;
    private ConnectifClient connectif;
    private SyncStateStore syncStates;
    private OwnWrites ownWrites;
    private GhlClient ghl;

    public Connector(Settings settings) {
        this.settings = settings;
        this.authMode = settings.get("ghl.auth.mode", MODE_OAUTH);
        this.rateBudgets = new RateBudgets(share(settings.get("sync.backfill.budget-share", "0.5")));
        int threshold = settings.getInt("sync.circuit.failure-threshold", 5);
        Duration openFor = settings.getDuration("sync.circuit.open-for", Duration.ofSeconds(30));
        this.ghlBreaker = new CircuitBreaker("GHL", threshold, openFor);
        this.connectifBreaker = new CircuitBreaker("Connectif", threshold, openFor);
        if (!authMode.equals(MODE_OAUTH) && !authMode.equals(MODE_PRIVATE_TOKEN)) {
            throw new ConfigurationException("ghl.auth.mode must be oauth or private-token, not '" + authMode + "'");
        }
    }

    /** For the one-off commands: the connector's parts configured from the properties, without Camel routes. */
    public static Connector fromProperties() {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation(Application.PROPERTY_LOCATIONS);
        return new Connector(Settings.of(context));
    }

    /** Fails at start-up, naming the property, when the configuration cannot work. */
    public void validate() {
        if (isOAuth()) {
            oauthClient();
            cipher();
        } else {
            ghl();
        }
        connectif();
        locationZone();
        contactDeleteMode();
        appId();
        for (String key : new String[] {"ghl.location-id", "ghl.allowed-locations", "ghl.allowed-companies"}) {
            if (!settings.getSet(key).stream().allMatch(GhlIds::valid)) {
                throw new ConfigurationException(key + " must hold GHL ids (letters, digits, _ and -, up to "
                        + GhlIds.MAX_LENGTH + " characters)");
            }
        }
        settings.getDuration("ghl.http.timeout", Duration.ofSeconds(30));
    }

    /** {@code sync.contact-delete}: {@code flag} (the default, non-destructive) or {@code delete}. */
    public String contactDeleteMode() {
        String mode = settings.get("sync.contact-delete", "flag").trim();
        if (!mode.equals("flag") && !mode.equals("delete")) {
            throw new ConfigurationException("sync.contact-delete must be flag or delete, got '" + mode + "'");
        }
        return mode;
    }

    public Settings settings() {
        return settings;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public boolean isOAuth() {
        return authMode.equals(MODE_OAUTH);
    }

    private static double share(String value) {
        try {
            double share = Double.parseDouble(value);
            if (share > 0 && share <= 1) {
                return share;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException("sync.backfill.budget-share must be a number above 0 and at most 1");
    }

    /** The location used when a call names none. */
    public Optional<String> defaultLocationId() {
        return settings.optional("ghl.location-id");
    }

    /**
     * The id of this connector's GHL app, which webhooks carry as {@code appId}: {@code ghl.oauth.app-id}, else the part
     * of {@code ghl.oauth.client-id} before its dash. Required with OAuth; without it (private token) the appId of
     * webhooks is not checked.
     */
    public Optional<String> appId() {
        Optional<String> configured = settings.optional("ghl.oauth.app-id");
        if (configured.isPresent() || !isOAuth()) {
            return configured;
        }
        Matcher clientId = CLIENT_ID.matcher(settings.get("ghl.oauth.client-id", ""));
        if (clientId.matches()) {
            return Optional.of(clientId.group(1));
        }
        throw new ConfigurationException("Missing property ghl.oauth.app-id (environment variable GHL_OAUTH_APP_ID): the"
                + " app id of webhooks cannot be derived from ghl.oauth.client-id, which is not of GHL's form <app id>-<suffix>");
    }

    /** The locations whose events and actions the connector takes. */
    public synchronized ServedLocations servedLocations() {
        if (servedLocations == null) {
            servedLocations = new ServedLocations(defaultLocationId(), isOAuth() ? locations() : null,
                    settings.getSet("ghl.allowed-locations"), settings.getSet("ghl.allowed-companies"));
        }
        return servedLocations;
    }

    public List<CircuitBreaker> breakers() {
        return List.of(ghlBreaker, connectifBreaker);
    }

    /** Calls made to GHL and Connectif, for the metrics and the dispatcher's log line. */
    public ApiCalls apiCalls() {
        return apiCalls;
    }

    public RateBudgets rateBudgets() {
        return rateBudgets;
    }

    public synchronized Store store() {
        if (store == null) {
            store = Store.open(settings.get("store.url", "jdbc:h2:file:./data/ghl-connectif-sync"),
                    settings.get("store.username", ""), settings.get("store.password", ""),
                    settings.getInt("store.pool-size", 10), settings.getDuration("store.connect-timeout", Duration.ofSeconds(10)));
        }
        return store;
    }

    public synchronized Locations locations() {
        if (locations == null) {
            locations = new Locations(store());
        }
        return locations;
    }

    public synchronized Inbox inbox() {
        if (inbox == null) {
            inbox = new Inbox(store());
        }
        return inbox;
    }

    public synchronized SyncStateStore syncStates() {
        if (syncStates == null) {
            syncStates = new SyncStateStore(store(), mapper);
        }
        return syncStates;
    }

    public synchronized OwnWrites ownWrites() {
        if (ownWrites == null) {
            ownWrites = new OwnWrites(store(), settings.getDuration("connectif.echo-window", Duration.ofHours(1)));
        }
        return ownWrites;
    }

    public synchronized ConnectifClient connectif() {
        if (connectif == null) {
            connectif = new ConnectifClient(settings.get("connectif.base-url", "https://api.connectif.cloud"),
                    settings.require("connectif.api-key", "the Connectif API key (Key Id:Key Secret) the flows write with"),
                    http(), settings.getDuration("connectif.http.timeout", Duration.ofSeconds(30)),
                    settings.getInt("connectif.retry.rate-limited-attempts", 5),
                    settings.getDuration("connectif.rate-limit-pause", Duration.ofSeconds(15)), mapper, connectifBreaker,
                    apiCalls);
        }
        return connectif;
    }

    public ConnectifSetup connectifSetup() {
        return new ConnectifSetup(connectif(), store(), settings.optional("connectif.webhook.public-url").orElse(null),
                settings.optional("connectif.webhook.token").orElse(null));
    }

    /** {@code ./mapping.yaml} where the connector starts, else the copy in the jar. */
    public FieldMapping mapping() {
        return FieldMapping.load(Path.of(settings.get("sync.mapping-file", "mapping.yaml")),
                settings.get(FieldMapping.OPT_IN_PROPERTY, ""));
    }

    public ZoneId locationZone() {
        try {
            return ZoneId.of(settings.get("ghl.location-timezone", "UTC"));
        } catch (DateTimeException e) {
            throw new ConfigurationException("ghl.location-timezone is not a time zone id (like Europe/Madrid)");
        }
    }

    public synchronized OAuthTokenProvider oauthTokens() {
        if (!isOAuth()) {
            throw new ConfigurationException("OAuth is off: ghl.auth.mode is " + authMode);
        }
        if (oauthTokens == null) {
            oauthTokens = new OAuthTokenProvider(new TokenStore(store(), cipher()), locations(), oauthClient(),
                    settings.getDuration("ghl.oauth.refresh-ahead", Duration.ofMinutes(5)));
        }
        return oauthTokens;
    }

    /** The states of OAuth installs, signed with a key derived from {@code store.secret-key}. */
    public synchronized OAuthStates oauthStates() {
        if (oauthStates == null) {
            oauthStates = new OAuthStates(store(), settings.require("store.secret-key",
                    "the key that signs OAuth install states and encrypts stored tokens; generate one with: openssl rand -base64 32"),
                    Clock.systemUTC());
        }
        return oauthStates;
    }

    public synchronized GhlOAuthClient oauthClient() {
        if (oauthClient == null) {
            String why = "needed when ghl.auth.mode=oauth";
            oauthClient = new GhlOAuthClient(baseUrl(), apiVersion(), settings.require("ghl.oauth.client-id", why),
                    settings.require("ghl.oauth.client-secret", why),
                    settings.optional("ghl.oauth.redirect-uri").orElse(null), http(), timeout(), mapper);
        }
        return oauthClient;
    }

    private TokenProvider tokenProvider() {
        if (isOAuth()) {
            return oauthTokens();
        }
        String why = "needed when ghl.auth.mode=private-token";
        return new PrivateTokenProvider(settings.require("ghl.location-id", why), settings.require("ghl.private-token", why),
                StoredToken.scopes(settings.get("ghl.private-token.scopes", "")));
    }

    public synchronized GhlClient ghl() {
        if (ghl == null) {
            ghl = new GhlClient(baseUrl(), apiVersion(), tokenProvider(), rateBudgets, http(), timeout(),
                    settings.getInt("ghl.retry.rate-limited-attempts", 5), mapper, ghlBreaker, apiCalls);
        }
        return ghl;
    }

    public String baseUrl() {
        return settings.get("ghl.base-url", "https://services.leadconnectorhq.com");
    }

    private String apiVersion() {
        return settings.get("ghl.api-version", "2021-07-28");
    }

    private Duration timeout() {
        return settings.getDuration("ghl.http.timeout", Duration.ofSeconds(30));
    }

    private TokenCipher cipher() {
        return new TokenCipher(settings.require("store.secret-key",
                "the key that encrypts stored OAuth tokens; generate one with: openssl rand -base64 32"));
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(settings.getDuration("ghl.http.connect-timeout", Duration.ofSeconds(10)))
                    .build();
        }
        return http;
    }

    @Override
    public void start() {
        // parts are built on first use
    }

    @Override
    public synchronized void stop() {
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
