package io.github.ghlconnectif.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** WireMock stand-ins for GHL (and later Connectif): loopback only, a free port each. */
public final class Stubs {

    private Stubs() {
    }

    /** A stub server started before and stopped after each test; register it with {@code @RegisterExtension}. */
    public static WireMockExtension server() {
        return WireMockExtension.newInstance().options(options().dynamicPort().bindAddress("127.0.0.1")).build();
    }

    /** A stub server whose answers go through {@code chaos} first. */
    public static WireMockExtension server(Chaos chaos) {
        return WireMockExtension.newInstance().options(options().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(40).extensions(chaos)).build();
    }
}
