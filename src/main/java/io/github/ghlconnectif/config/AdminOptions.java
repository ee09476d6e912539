package io.github.ghlconnectif.config;

/** The admin API ({@code /admin/*}). */
public final class AdminOptions {

    public static final Option<String> TOKEN = Option.text("admin.token", null,
            "bearer token of the admin API; the API is off without it").asSecret();

    private AdminOptions() {
    }
}
