package io.github.ghlconnectif;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.ghlconnectif.config.ConnectifOptions;
import io.github.ghlconnectif.config.SyncOptions;
import io.github.ghlconnectif.ghl.GhlApiException;
import io.github.ghlconnectif.ghl.GhlCatalog;
import io.github.ghlconnectif.ghl.GhlOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, one cheap authenticated read on each side (GHL's contact list, which {@code contacts.readonly} allows,
 * for each location served; Connectif's contact fields), logged as one line per side, then the Connectif setup.
 * Repeated while a side cannot be reached, rejects the credentials or the setup has not completed; {@code /health}
 * reports the rejections and the setup still to do.
 */
public final class AccessCheck {

    private static final Logger LOG = LoggerFactory.getLogger(AccessCheck.class);
    private static final GhlOperation PROBE = GhlCatalog.get("list-contacts");
    /** GHL locations probed at once. */
    static final int PROBES_AT_ONCE = 8;

    private enum Outcome { OK, REJECTED, RETRY }

    private record Result(Outcome outcome, String line) {
    }

    private final Connector connector;
    private Set<String> logged = Set.of();
    private volatile Map<String, String> problems = Map.of();
    private volatile boolean ran;
    private volatile boolean complete;
    private volatile boolean setupDone;

    public AccessCheck(Connector connector) {
        this.connector = connector;
        this.setupDone = !connector.settings().get(ConnectifOptions.SETUP_ON_START);
    }

    /** One round of checks, skipped once everything has worked. */
    public synchronized void run() {
        if (complete) {
            return;
        }
        Set<String> lines = new LinkedHashSet<>();
        Map<String, String> found = new LinkedHashMap<>();
        boolean retry = false;
        for (Result result : ghl()) {
            retry |= report(lines, "GHL: " + result.line(), result.outcome());
            if (result.outcome() == Outcome.REJECTED) {
                found.put("GHL access", "DOWN: " + result.line());
            }
        }
        Result connectif = connectif();
        retry |= report(lines, "Connectif: " + connectif.line(), connectif.outcome());
        if (connectif.outcome() == Outcome.REJECTED) {
            found.put("Connectif access", "DOWN: " + connectif.line());
        } else if (!setupDone) {
            String pending = setup(lines);
            if (pending != null) {
                found.put("Connectif setup", "DOWN: not completed: " + pending);
            }
        }
        logged = lines;
        problems = Map.copyOf(found);
        complete = !retry && found.isEmpty();
        ran = true;
    }

    /** Whether the first round has run. */
    public boolean ran() {
        return ran;
    }

    /** For {@code /health}: what is wrong now, by check; empty when nothing is. */
    public Map<String, String> problems() {
        if (!ran && !setupDone) {
            return Map.of("Connectif setup", "DOWN: not run yet");
        }
        return problems;
    }

    private List<Result> ghl() {
        Set<String> locations = connector.isOAuth() ? connector.locations().installed()
                : Set.of(connector.defaultLocationId().orElseThrow());
        if (locations.isEmpty()) {
            return List.of(new Result(Outcome.OK, "no location installed yet; install the app at /oauth/install"));
        }
        List<String> sorted = locations.stream().sorted().toList();
        if (sorted.size() == 1) {
            return List.of(probe(sorted.get(0)));
        }
        // /health says DOWN until the first round ends: one location after the other, an agency's fifty would keep it
        // down for fifty round trips at every start
        ExecutorService probes = Executors.newFixedThreadPool(Math.min(PROBES_AT_ONCE, sorted.size()), work -> {
            Thread thread = new Thread(work, "access-check-probe");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Result>> answers = sorted.stream().map(location -> probes.submit(() -> probe(location))).toList();
            List<Result> results = new ArrayList<>();
            for (Future<Result> answer : answers) {
                results.add(answer.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(new Result(Outcome.RETRY, "interrupted"));
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } finally {
            probes.shutdownNow();
        }
    }

    private Result probe(String location) {
        String name = "location " + location;
        try {
            int status = connector.ghl().probe(PROBE, location, Map.of("locationId", location, "limit", 1));
            return answer(status, name + " reachable, token accepted", name + " rejected the token", name + " answered");
        } catch (GhlApiException e) {
            return new Result(Outcome.REJECTED, name + " has no usable token: " + e.getMessage());
        } catch (IOException e) {
            return new Result(Outcome.RETRY, ApiException.transportFailure(URI.create(connector.baseUrl()), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Outcome.RETRY, "interrupted");
        }
    }

    private Result connectif() {
        try {
            return answer(connector.connectif().probe(), "reachable, API key accepted", "rejected the API key", "answered");
        } catch (IOException e) {
            return new Result(Outcome.RETRY, ApiException.transportFailure(URI.create(connector.connectifBaseUrl()), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Outcome.RETRY, "interrupted");
        }
    }

    private static Result answer(int status, String accepted, String rejected, String other) {
        if (status >= 200 && status < 300) {
            return new Result(Outcome.OK, accepted);
        }
        if (status == 401 || status == 403) {
            return new Result(Outcome.REJECTED, rejected + " (" + status + ")");
        }
        if (ApiException.isTransientStatus(status)) {
            return new Result(Outcome.RETRY, other + " HTTP " + status);
        }
        // any other answer means the credentials passed
        return new Result(Outcome.OK, accepted + " (HTTP " + status + " to the check)");
    }

    /** Logs {@code line} unless the last round logged it; true when its side is to be checked again. */
    private boolean report(Set<String> lines, String line, Outcome outcome) {
        String text = outcome == Outcome.RETRY ? line + "; trying again every " + period() : line;
        lines.add(text);
        if (!logged.contains(text)) {
            if (outcome == Outcome.OK) {
                LOG.info(text);
            } else {
                LOG.warn(text);
            }
        }
        return outcome != Outcome.OK;
    }

    /** Runs the Connectif setup; null when it completed, else why not. */
    private String setup(Set<String> lines) {
        try {
            List<String> created = connector.connectifSetup().run();
            LOG.info("Connectif setup: {}", created.isEmpty() ? "every field and event type is there"
                    : "created " + String.join(", ", created));
            setupDone = true;
            return null;
        } catch (RuntimeException e) {
            report(lines, "Connectif setup did not complete (" + e.getMessage() + ")", Outcome.RETRY);
            return e.getMessage();
        }
    }

    private String period() {
        return connector.settings().written(SyncOptions.ACCESS_CHECK_PERIOD);
    }
}
