package io.github.ghlconnectif.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/** The GHL API: where, as whom (OAuth app or private token) and for which locations. */
public final class GhlOptions {

    public static final String MODE_OAUTH = "oauth";
    public static final String MODE_PRIVATE_TOKEN = "private-token";

    public static final Option<String> BASE_URL = Option.text("ghl.base-url", "https://services.leadconnectorhq.com",
            "GHL API base URL");
    public static final Option<String> API_VERSION = Option.text("ghl.api-version", "2021-07-28",
            "the `Version` header sent to GHL");
    public static final Option<String> AUTH_MODE = Option.choice("ghl.auth.mode", MODE_OAUTH,
            List.of(MODE_OAUTH, MODE_PRIVATE_TOKEN), "`oauth` (Marketplace app) or `private-token`");
    public static final Option<String> LOCATION_ID = Option.text("ghl.location-id", null,
            "the location of the private token; the default location of `call` and of routes");
    public static final Option<String> PRIVATE_TOKEN = Option.text("ghl.private-token", null,
            "private integration token (`private-token` mode)").asSecret()
            .within(token -> !token.regionMatches(true, 0, "Bearer ", 0, 7), "the token alone, without 'Bearer ' in front");
    public static final Option<String> PRIVATE_TOKEN_SCOPES = Option.text("ghl.private-token.scopes", null,
            "space-separated scopes of the private token; empty: not checked locally");
    public static final Option<String> CLIENT_ID = Option.text("ghl.oauth.client-id", null,
            "the app's client id (`oauth` mode)");
    public static final Option<String> APP_ID = Option.text("ghl.oauth.app-id", null,
            "the app id GHL webhooks carry as `appId`; events of other apps are ignored (in `private-token` mode checked"
                    + " only when set)").shownAs("the part of `ghl.oauth.client-id` before its dash");
    public static final Option<Set<String>> ALLOWED_LOCATIONS = Option.list("ghl.allowed-locations",
            "comma-separated location ids; when this or `ghl.allowed-companies` is set, only listed locations (or those"
                    + " of listed companies) are installed and served");
    public static final Option<Set<String>> ALLOWED_COMPANIES = Option.list("ghl.allowed-companies",
            "comma-separated company (agency) ids, see `ghl.allowed-locations`");
    public static final Option<String> CLIENT_SECRET = Option.text("ghl.oauth.client-secret", null,
            "the app's client secret (`oauth` mode)").asSecret();
    public static final Option<String> REDIRECT_URI = Option.text("ghl.oauth.redirect-uri", null,
            "the callback URL registered with the app, ending in `/oauth/callback`");
    public static final Option<String> SCOPES = Option.text("ghl.oauth.scopes",
            "contacts.readonly contacts.write calendars/events.readonly",
            "scopes asked for at install, space-separated; agency installs add `oauth.readonly oauth.write`");
    public static final Option<String> USER_TYPE = Option.choice("ghl.oauth.user-type", "Location",
            List.of("Location", "Company"), "`Location` (sub-account install) or `Company` (agency install)");
    public static final Option<String> AUTHORIZE_URL = Option.text("ghl.oauth.authorize-url",
            "https://marketplace.gohighlevel.com/v2/oauth/chooselocation", "GHL's location chooser (white-label:"
                    + " `https://marketplace.leadconnectorhq.com/v2/oauth/chooselocation`)");
    public static final Option<Duration> REFRESH_AHEAD = Option.duration("ghl.oauth.refresh-ahead", "5m",
            "refresh a token when it expires within this");
    public static final Option<Duration> REFRESH_PERIOD = Option.duration("ghl.oauth.refresh-period", "10m",
            "how often stored tokens are checked for refresh");
    public static final Option<Duration> HTTP_TIMEOUT = Option.duration("ghl.http.timeout", "30s",
            "timeout of one GHL request");
    public static final Option<Duration> CONNECT_TIMEOUT = Option.duration("ghl.http.connect-timeout", "10s",
            "connect timeout to GHL");
    public static final Option<Integer> RATE_LIMITED_ATTEMPTS = Option.whole("ghl.retry.rate-limited-attempts", "5", 0,
            "retries of a call GHL answered with 429");
    public static final Option<ZoneId> LOCATION_TIMEZONE = Option.zone("ghl.location-timezone", "UTC",
            "zone of the zone-less times of GHL's appointments list");

    private GhlOptions() {
    }
}
