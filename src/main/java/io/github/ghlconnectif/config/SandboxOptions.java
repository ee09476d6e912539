package io.github.ghlconnectif.config;

import java.time.Duration;
import java.util.List;

/** {@code java -jar ghl-connectif-sync.jar --sandbox}: the simulators, the connector wired to them and the story. */
public final class SandboxOptions {

    public static final Option<String> DIR = Option.text("sandbox.dir", "data/sandbox",
            "`--sandbox` only: each run keeps its H2 store in a folder of its own under it (`run-<date>-<time>-<pid>`)");
    public static final Option<String> AUTH_MODE = Option.choice("sandbox.auth-mode", GhlOptions.MODE_OAUTH,
            List.of(GhlOptions.MODE_OAUTH, GhlOptions.MODE_PRIVATE_TOKEN),
            "`--sandbox` only: `oauth` (the story installs the app) or `private-token`");
    public static final Option<Boolean> STORY = Option.flag("sandbox.story", "true",
            "`--sandbox` only: play the story; `false` starts everything without it");
    public static final Option<Duration> STEP_DELAY = Option.duration("sandbox.story.step-delay", "1s",
            "`--sandbox` only: pause after each step of the story");
    public static final Option<Integer> CONNECTIF_RATE_LIMIT = Option.whole("sandbox.connectif.rate-limit", "100", 1,
            "`--sandbox` only: requests per 10 s the Connectif simulator takes before answering 429");

    private SandboxOptions() {
    }
}
