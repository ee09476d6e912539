package io.github.ghlconnectif;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.auth.GhlOAuthClient;
import io.github.ghlconnectif.auth.OAuthStates;
import io.github.ghlconnectif.auth.OAuthTokenProvider;
import io.github.ghlconnectif.auth.PrivateTokenProvider;
import io.github.ghlconnectif.auth.StoredToken;
import io.github.ghlconnectif.auth.TokenCipher;
import io.github.ghlconnectif.ghl.TokenProvider;
import io.github.ghlconnectif.auth.TokenStore;
import io.github.ghlconnectif.config.ConfigurationCheck;
import io.github.ghlconnectif.config.ConfigurationException;
import io.github.ghlconnectif.config.ConnectifOptions;
import io.github.ghlconnectif.config.GhlOptions;
import io.github.ghlconnectif.config.Option;
import io.github.ghlconnectif.config.StoreOptions;
import io.github.ghlconnectif.config.SyncOptions;
import io.github.ghlconnectif.config.PropertyLocations;
import io.github.ghlconnectif.connectif.ConnectifClient;
import io.github.ghlconnectif.connectif.ConnectifSetup;
import io.github.ghlconnectif.config.Settings;
import io.github.ghlconnectif.ghl.GhlClient;
import io.github.ghlconnectif.ghl.RateBudgets;
import io.github.ghlconnectif.inbox.Inbox;
import io.github.ghlconnectif.metrics.ApiCalls;
import io.github.ghlconnectif.reconcile.Backfills;
import io.github.ghlconnectif.reconcile.Reconciler;
import io.github.ghlconnectif.reconcile.Watermarks;
import io.github.ghlconnectif.ghl.GhlIds;
import io.github.ghlconnectif.http.BlockingHttpClient;
import io.github.ghlconnectif.store.Locations;
import io.github.ghlconnectif.store.ServedLocations;
import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.sync.FieldMapping;
import io.github.ghlconnectif.sync.SyncStateStore;
import io.github.ghlconnectif.writeback.OwnWrites;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Service;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Builds the connector's parts from its settings, each once and only when first needed, and closes them on stop.
 * The Camel routes and the command-line commands use the same parts.
 */
public final class Connector implements Service {

    /** GHL marketplace client ids are the app id (24 hex digits), a dash and a suffix. */
    private static final Pattern CLIENT_ID = Pattern.compile("([0-9a-f]{24})-[A-Za-z0-9]+");

    private final Settings settings;
    private final ObjectMapper mapper = new ObjectMapper();
    private final RateBudgets rateBudgets;
    private final String authMode;
    private final CircuitBreaker ghlBreaker;
    private final CircuitBreaker connectifBreaker;
    private final ApiCalls apiCalls;
    private BlockingHttpClient http;
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
    private AccessCheck accessCheck;

    /** With its metrics in a registry of its own (the one-off commands). */
    public Connector(Settings settings) {
        this(settings, new SimpleMeterRegistry());
    }

    /** @param metrics where the calls and events are counted, served at {@code GET /metrics} */
    public Connector(Settings settings, MeterRegistry metrics) {
        this.settings = settings;
        this.apiCalls = new ApiCalls(metrics);
        this.authMode = settings.get(GhlOptions.AUTH_MODE);
        this.rateBudgets = new RateBudgets(settings.get(SyncOptions.BACKFILL_BUDGET_SHARE));
        int threshold = settings.get(SyncOptions.FAILURE_THRESHOLD);
        Duration openFor = settings.get(SyncOptions.OPEN_FOR);
        this.ghlBreaker = new CircuitBreaker("GHL", threshold, openFor);
        this.connectifBreaker = new CircuitBreaker("Connectif", threshold, openFor);
    }

    /**
     * The connector as the routes use it, once its configuration has been checked: every mistake found is reported at
     * once, one line each. When the rest is right the store starts opening (and its schema coming up to date) on a
     * thread of its own; {@link #start} reports it if it cannot.
     */
    public static Connector checked(Settings settings, MeterRegistry metrics) {
        Set<String> errors = new LinkedHashSet<>(ConfigurationCheck.errors(settings));
        Connector connector = null;
        try {
            connector = new Connector(settings, metrics);
            errors.addAll(connector.problems());
            if (errors.isEmpty()) {
                connector.openStoreInBackground();
            }
        } catch (ConfigurationException e) {
            errors.add(e.getMessage());
        }
        if (!errors.isEmpty()) {
            if (connector != null) {
                connector.stop();
            }
            throw ConfigurationException.of(List.copyOf(errors));
        }
        return connector;
    }

    /** For the one-off commands: the connector's parts configured from the properties, without Camel routes. */
    public static Connector fromProperties() {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation(PropertyLocations.ALL);
        return new Connector(Settings.of(context));
    }

    /** Fails, naming the property, when the configuration cannot work; the store is not opened. */
    public void validate() {
        List<String> errors = problems();
        if (!errors.isEmpty()) {
            throw ConfigurationException.of(errors);
        }
    }

    /** What stops the start, one line each. */
    private List<String> problems() {
        List<String> errors = new ArrayList<>();
        if (isOAuth()) {
            ConfigurationCheck.collect(errors, this::oauthClient);
            ConfigurationCheck.collect(errors, this::cipher);
        } else {
            ConfigurationCheck.collect(errors, this::tokenProvider);
        }
        ConfigurationCheck.collect(errors, this::connectif);
        ConfigurationCheck.collect(errors, this::locationZone);
        ConfigurationCheck.collect(errors, this::contactDeleteMode);
        ConfigurationCheck.collect(errors, this::appId);
        Map<Option<?>, Set<String>> ids = new LinkedHashMap<>();
        ids.put(GhlOptions.LOCATION_ID, settings.optional(GhlOptions.LOCATION_ID).map(Set::of).orElse(Set.of()));
        ids.put(GhlOptions.ALLOWED_LOCATIONS, settings.get(GhlOptions.ALLOWED_LOCATIONS));
        ids.put(GhlOptions.ALLOWED_COMPANIES, settings.get(GhlOptions.ALLOWED_COMPANIES));
        ids.forEach((option, values) -> {
            if (!values.stream().allMatch(GhlIds::valid)) {
                errors.add(Settings.named(option.key()) + " must hold GHL ids (letters, digits, _ and -, up to "
                        + GhlIds.MAX_LENGTH + " characters)");
            }
        });
        return errors;
    }

    /** {@code sync.contact-delete}: {@code flag} (the default, non-destructive) or {@code delete}. */
    public String contactDeleteMode() {
        return settings.get(SyncOptions.CONTACT_DELETE);
    }

    public Settings settings() {
        return settings;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public boolean isOAuth() {
        return authMode.equals(GhlOptions.MODE_OAUTH);
    }

    /** The location used when a call names none. */
    public Optional<String> defaultLocationId() {
        return settings.optional(GhlOptions.LOCATION_ID);
    }

    /**
     * The id of this connector's GHL app, which webhooks carry as {@code appId}: {@code ghl.oauth.app-id}, else the part
     * of {@code ghl.oauth.client-id} before its dash. Required with OAuth; without it (private token) the appId of
     * webhooks is not checked.
     */
    public Optional<String> appId() {
        Optional<String> configured = settings.optional(GhlOptions.APP_ID);
        if (configured.isPresent() || !isOAuth()) {
            return configured;
        }
        Matcher clientId = CLIENT_ID.matcher(settings.optional(GhlOptions.CLIENT_ID).orElse(""));
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
                    settings.get(GhlOptions.ALLOWED_LOCATIONS), settings.get(GhlOptions.ALLOWED_COMPANIES));
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

    public MeterRegistry metrics() {
        return apiCalls.registry();
    }

    public RateBudgets rateBudgets() {
        return rateBudgets;
    }

    public synchronized Store store() {
        if (store == null) {
            store = Store.open(settings.get(StoreOptions.URL), settings.get(StoreOptions.USERNAME),
                    settings.get(StoreOptions.PASSWORD), settings.get(StoreOptions.POOL_SIZE),
                    settings.get(StoreOptions.CONNECT_TIMEOUT));
        }
        return store;
    }

    private synchronized void openStoreInBackground() {
        store = Store.openInBackground(settings.get(StoreOptions.URL), settings.get(StoreOptions.USERNAME),
                settings.get(StoreOptions.PASSWORD), settings.get(StoreOptions.POOL_SIZE),
                settings.get(StoreOptions.CONNECT_TIMEOUT));
    }

    public synchronized Locations locations() {
        if (locations == null) {
            locations = new Locations(store());
        }
        return locations;
    }

    public synchronized Inbox inbox() {
        if (inbox == null) {
            inbox = store().isEmbedded() ? Inbox.exclusive(store()) : new Inbox(store());
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
            ownWrites = new OwnWrites(store(), settings.get(ConnectifOptions.ECHO_WINDOW));
        }
        return ownWrites;
    }

    public synchronized ConnectifClient connectif() {
        if (connectif == null) {
            connectif = new ConnectifClient(connectifBaseUrl(),
                    settings.require(ConnectifOptions.API_KEY, "the Connectif API key (Key Id:Key Secret) the flows write with"),
                    http(), settings.get(ConnectifOptions.HTTP_TIMEOUT), settings.get(ConnectifOptions.RATE_LIMITED_ATTEMPTS),
                    settings.get(ConnectifOptions.RATE_LIMIT_PAUSE), mapper, connectifBreaker,
                    apiCalls);
        }
        return connectif;
    }

    /**
     * Reconciliation ({@code reconcile}: at most {@code maxPages} pages a run) or a backfill ({@code backfill}) of a
     * location's contacts into the inbox.
     */
    public Reconciler reconciler(String kind, int maxPages, IntConsumer onEnqueued) {
        return new Reconciler(kind, ghl(), inbox(), new Watermarks(store()), mapper,
                settings.get(SyncOptions.RECONCILE_PAGE_LIMIT), maxPages, onEnqueued);
    }

    /** Backfills of whole locations, each pausing at the daily budget reserve. */
    public Backfills backfills(IntConsumer onEnqueued) {
        return new Backfills(reconciler("backfill", Integer.MAX_VALUE, onEnqueued), rateBudgets,
                settings.get(SyncOptions.DAILY_RESERVE));
    }

    public ConnectifSetup connectifSetup() {
        return new ConnectifSetup(connectif(), store(), settings.optional(ConnectifOptions.WEBHOOK_PUBLIC_URL).orElse(null),
                settings.optional(ConnectifOptions.WEBHOOK_TOKEN).orElse(null));
    }

    /** {@code ./mapping.yaml} where the connector starts, else the copy in the jar. */
    public FieldMapping mapping() {
        return FieldMapping.load(Path.of(settings.get(SyncOptions.MAPPING_FILE)), settings.get(SyncOptions.CONSENT_OPT_IN));
    }

    public ZoneId locationZone() {
        return settings.get(GhlOptions.LOCATION_TIMEZONE);
    }

    public synchronized OAuthTokenProvider oauthTokens() {
        if (!isOAuth()) {
            throw new ConfigurationException("OAuth is off: ghl.auth.mode is " + authMode);
        }
        if (oauthTokens == null) {
            oauthTokens = new OAuthTokenProvider(new TokenStore(store(), cipher()), locations(), oauthClient(),
                    settings.get(GhlOptions.REFRESH_AHEAD));
        }
        return oauthTokens;
    }

    /** The states of OAuth installs, signed with a key derived from {@code store.secret-key}. */
    public synchronized OAuthStates oauthStates() {
        if (oauthStates == null) {
            oauthStates = new OAuthStates(store(), settings.require(StoreOptions.SECRET_KEY,
                    "the key that signs OAuth install states and encrypts stored tokens; generate one with: openssl rand -base64 32"),
                    Clock.systemUTC());
        }
        return oauthStates;
    }

    public synchronized GhlOAuthClient oauthClient() {
        if (oauthClient == null) {
            String why = "needed when ghl.auth.mode=oauth";
            oauthClient = new GhlOAuthClient(baseUrl(), apiVersion(), settings.require(GhlOptions.CLIENT_ID, why),
                    settings.require(GhlOptions.CLIENT_SECRET, why),
                    settings.optional(GhlOptions.REDIRECT_URI).orElse(null), http(), timeout(), mapper);
        }
        return oauthClient;
    }

    private TokenProvider tokenProvider() {
        if (isOAuth()) {
            return oauthTokens();
        }
        String why = "needed when ghl.auth.mode=private-token";
        return new PrivateTokenProvider(settings.require(GhlOptions.LOCATION_ID, why),
                settings.require(GhlOptions.PRIVATE_TOKEN, why),
                StoredToken.scopes(settings.optional(GhlOptions.PRIVATE_TOKEN_SCOPES).orElse(null)));
    }

    public synchronized GhlClient ghl() {
        if (ghl == null) {
            ghl = new GhlClient(baseUrl(), apiVersion(), tokenProvider(), rateBudgets, http(), timeout(),
                    settings.get(GhlOptions.RATE_LIMITED_ATTEMPTS), mapper, ghlBreaker, apiCalls);
        }
        return ghl;
    }

    public synchronized AccessCheck accessCheck() {
        if (accessCheck == null) {
            accessCheck = new AccessCheck(this);
        }
        return accessCheck;
    }

    public String connectifBaseUrl() {
        return settings.get(ConnectifOptions.BASE_URL);
    }

    public String baseUrl() {
        return settings.get(GhlOptions.BASE_URL);
    }

    private String apiVersion() {
        return settings.get(GhlOptions.API_VERSION);
    }

    private Duration timeout() {
        return settings.get(GhlOptions.HTTP_TIMEOUT);
    }

    private TokenCipher cipher() {
        return new TokenCipher(settings.require(StoreOptions.SECRET_KEY,
                "the key that encrypts stored OAuth tokens; generate one with: openssl rand -base64 32"));
    }

    private synchronized BlockingHttpClient http() {
        if (http == null) {
            http = new BlockingHttpClient(settings.get(GhlOptions.CONNECT_TIMEOUT));
        }
        return http;
    }

    /**
     * Camel starts this service before the routes' consumers: a store that cannot open stops the start here. The
     * other parts are built on first use.
     */
    @Override
    public void start() {
        awaitStore();
    }

    /** Waits for the store {@link #checked} started opening; if it cannot open, says why in one line. */
    public void awaitStore() {
        Store opening;
        synchronized (this) {
            opening = store;
        }
        if (opening != null) {
            try {
                opening.awaitOpen();
            } catch (RuntimeException e) {
                throw new ConfigurationException(e.getMessage());
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (http != null) {
            try {
                http.close();
            } catch (IOException e) {
                // closing idle pooled connections: nothing to lose
            }
            http = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
