package io.github.ghlconnectif.sandbox;

import java.net.URI;
import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.github.ghlconnectif.connectif.ConnectifModel;

/**
 * The sandbox's scripted story: what people do in a GHL location during a morning, and one Connectif workflow asking
 * for a follow-up task. Each step is printed, then the story waits until the connector has handled it, so that what
 * arrives in Connectif is printed under the step that caused it.
 */
public final class SandboxStory {

    static final String ADA = "ada@example.com";
    static final String GRACE = "grace@example.com";
    static final String GRACE_NEW = "grace.hopper@example.com";
    static final String WRITE_ACTION = "ghl-write-action";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    private final GhlSimulator ghl;
    private final ConnectifSimulator connectif;
    private final String locationId;
    private final String connectorUrl;
    private final boolean oauth;
    private final Duration stepDelay;
    private final Consumer<String> console;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final List<String> problems = new ArrayList<>();
    private BooleanSupplier idle = () -> true;
    private Thread thread;
    private String ada;
    private String grace;
    private String connectifTaskTitle;
    private int step;
    private int steps;

    /**
     * What the closing hints show, to paste into another shell: the tokens of this run (the throwaway ones, or a note
     * that yours from the environment are used) and a GHL private token for the {@code call} command.
     */
    record Tokens(String admin, boolean adminYours, String webhook, boolean webhookYours, String callToken) {
    }

    private Tokens tokens;

    void tokens(Tokens tokens) {
        this.tokens = tokens;
    }

    SandboxStory(GhlSimulator ghl, ConnectifSimulator connectif, String locationId, String connectorUrl, boolean oauth,
            Duration stepDelay, Consumer<String> console) {
        this.ghl = ghl;
        this.connectif = connectif;
        this.locationId = locationId;
        this.connectorUrl = connectorUrl;
        this.oauth = oauth;
        this.stepDelay = stepDelay;
        this.console = console;
    }

    void idleWhen(BooleanSupplier idle) {
        this.idle = idle;
    }

    synchronized void start() {
        thread = new Thread(() -> {
            try {
                play();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                problem("the story stopped: " + e);
            } finally {
                finished.countDown();
            }
        }, "sandbox-story");
        thread.setDaemon(true);
        thread.start();
    }

    synchronized void stop() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Waits for the last step to be handled; false when it did not come within the timeout. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What went wrong on the way (a step not handled in time, a failed install); empty when nothing did. */
    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    public String adaId() {
        return ada;
    }

    public String graceId() {
        return grace;
    }

    public String connectifTaskTitle() {
        return connectifTaskTitle;
    }

    private void play() throws Exception {
        steps = oauth ? 13 : 12;
        awaitSetup();
        if (oauth) {
            step("the location installs the app (OAuth: location chooser, code, token exchange)");
            install();
            settle();
        }

        step("Ada Lovelace fills in the web form: contact created in GHL");
        Map<String, Object> adaFields = new LinkedHashMap<>();
        adaFields.put("firstName", "Ada");
        adaFields.put("lastName", "Lovelace");
        adaFields.put("email", ADA);
        adaFields.put("phone", "+44 20 7946 0018");
        adaFields.put("tags", List.of("newsletter"));
        adaFields.put("dndSettings", Map.of("Email", Map.of("status", "inactive")));
        adaFields.put("source", "web form");
        ada = (String) ghl.createContact(locationId, adaFields).get("id");
        settle();

        step("the front desk adds Grace Hopper");
        Map<String, Object> graceFields = new LinkedHashMap<>();
        graceFields.put("firstName", "Grace");
        graceFields.put("lastName", "Hopper");
        graceFields.put("email", GRACE);
        graceFields.put("phone", "+1 202 555 0147");
        grace = (String) ghl.createContact(locationId, graceFields).get("id");
        settle();

        step("Ada's phone number is corrected");
        ghl.updateContact(ada, Map.of("phone", "+44 20 7946 0999"));
        settle();

        step("tag \"vip\" added to Ada Lovelace");
        ghl.addTags(ada, List.of("vip"));
        settle();

        Instant tomorrow = LocalDate.now(Sandbox.LOCATION_ZONE).plusDays(1).atTime(LocalTime.of(10, 0))
                .atZone(Sandbox.LOCATION_ZONE).toInstant();
        step("task \"Call back\" added to Ada Lovelace");
        String callBack = (String) ghl.createTask(ada, "Call back", "She asked about the whitening offer", tomorrow).get("id");
        settle();

        step("task \"Send the quote\" added to Ada Lovelace");
        ghl.createTask(ada, "Send the quote", "Whitening, two sessions", tomorrow.plus(2, ChronoUnit.DAYS));
        settle();

        step("task \"Call back\" of Ada Lovelace completed");
        ghl.completeTask(ada, callBack);
        settle();

        step("note added to Grace Hopper");
        ghl.createNote(grace, "Prefers morning appointments; allergic to latex");
        settle();

        step("appointment \"Cleaning\" booked for Grace Hopper (calendar times are local, " + Sandbox.LOCATION_ZONE + ")");
        ghl.bookAppointment(grace, "Cleaning", LocalDate.now(Sandbox.LOCATION_ZONE).plusDays(2).atTime(9, 30),
                Duration.ofMinutes(45));
        settle();

        step("Grace Hopper changes her email: the same Connectif contact follows it (PATCH by external id)");
        ghl.updateContact(grace, Map.of("email", GRACE_NEW));
        settle();

        step("Grace Hopper is deleted in GHL");
        ghl.deleteContact(grace);
        settle();

        connectifTaskTitle = "Follow up on the spring campaign";
        step("a Connectif workflow asks for a task: \"" + connectifTaskTitle + "\" for Ada Lovelace");
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("action", "create-task");
        action.put("email", ADA);
        action.put("ghlContactId", ada);
        action.put("title", connectifTaskTitle);
        action.put("dueDate", tomorrow.plus(7, ChronoUnit.DAYS).toString());
        action.put("body", "Clicked the spring campaign twice");
        action.put("eventId", "sandbox-workflow-run-1");
        int status = connectif.send(WRITE_ACTION, action);
        if (status != 200) {
            problem("the connector answered " + status + " to the Connectif action");
        }
        settle();
        boolean inGhl = ghl.tasks(ada).stream().anyMatch(task -> connectifTaskTitle.equals(task.get("title")));
        boolean echoed = connectif.events(ConnectifModel.TASK_CREATED).stream()
                .anyMatch(event -> connectifTaskTitle.equals(event.fields().get("title")));
        console.accept("[story]    GHL " + (inGhl ? "has" : "does NOT have") + " the task; Connectif got "
                + (echoed ? "an echo of it (ghl-task-created)" : "no ghl-task-created echo for it"));

        summary();
    }

    private void step(String what) {
        step++;
        console.accept("");
        console.accept("[story] " + step + "/" + steps + " " + what);
    }

    /** Waits until the connector has handled the step, then for the step delay (for people to read). */
    private void settle() throws InterruptedException {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        int quiet = 0;
        while (quiet < 3) {
            if (System.nanoTime() > deadline) {
                problem("step " + step + " was not handled within " + STEP_TIMEOUT.toSeconds() + " s");
                break;
            }
            quiet = idle.getAsBoolean() ? quiet + 1 : 0;
            Thread.sleep(30);
        }
        Thread.sleep(stepDelay.toMillis());
    }

    /** The connector creates its fields and event types in Connectif at start-up; the story waits for them. */
    private void awaitSetup() throws InterruptedException {
        Set<String> wanted = ConnectifModel.EVENT_TYPES.keySet();
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (!connectif.eventTypeNames().containsAll(wanted) || !connectif.eventTypeNames().contains(WRITE_ACTION)) {
            if (System.nanoTime() > deadline) {
                problem("the connector did not set Connectif up within " + STEP_TIMEOUT.toSeconds() + " s");
                return;
            }
            Thread.sleep(50);
        }
        console.accept("[connectif] set up by the connector: " + connectif.fieldIds().size() + " contact fields, "
                + connectif.eventTypeNames().size() + " event types (" + WRITE_ACTION + " sends to the connector)");
    }

    /** What a person does in a browser: opens /oauth/install and follows GHL's redirects back to the callback. */
    private void install() throws Exception {
        HttpClient browser = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NORMAL)
                .cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(connectorUrl + "/oauth/install"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        boolean connected = page.statusCode() == 200 && page.body().contains("Connected");
        console.accept("[story]    " + connectorUrl + "/oauth/install -> GHL chooser -> /oauth/callback: "
                + (connected ? "Connected" : "HTTP " + page.statusCode()));
        if (!connected) {
            problem("the OAuth install failed with HTTP " + page.statusCode());
        }
    }

    private void summary() {
        console.accept("");
        console.accept("[story] the end. Connectif received " + connectif.events().size() + " events; "
                + connectif.deleted().size() + " contact deleted.");
        console.accept("[sandbox] the connector keeps running; Ctrl-C stops it. Try, in another shell:");
        console.accept("  curl " + connectorUrl + "/health");
        console.accept("  curl " + connectorUrl + "/metrics");
        if (tokens != null) {
            // this run's throwaway tokens as they are; yours from the environment by name, to export in that shell
            String admin = tokens.adminYours() ? "$ADMIN_TOKEN" : tokens.admin();
            console.accept("  curl -H \"Authorization: Bearer " + admin + "\" " + connectorUrl + "/admin/status"
                    + (tokens.adminYours() ? "   # export ADMIN_TOKEN there first" : ""));
            console.accept("  in a browser: " + connectorUrl + "/status  (any user name, password "
                    + (tokens.adminYours() ? "your ADMIN_TOKEN" : admin) + ")");
            console.accept("  curl -H \"X-Connectif-Token: " + (tokens.webhookYours() ? "$CONNECTIF_WEBHOOK_TOKEN"
                    : tokens.webhook()) + "\" -H 'Content-Type: application/json' -d '{\"action\":\"add-tags\",\"email\":\""
                    + ADA + "\",\"tags\":[\"poked\"]}' " + connectorUrl + "/webhooks/connectif"
                    + (tokens.webhookYours() ? "   # export CONNECTIF_WEBHOOK_TOKEN there first" : ""));
            console.accept("  GHL_AUTH_MODE=private-token GHL_BASE_URL=" + ghl.baseUrl() + " GHL_LOCATION_ID=" + locationId
                    + " GHL_PRIVATE_TOKEN=" + tokens.callToken() + " java -jar target/ghl-connectif-sync.jar call get-contact"
                    + " contactId=" + (ada == null ? "<id>" : ada));
        }
        synchronized (this) {
            for (String problem : problems) {
                console.accept("[sandbox] problem: " + problem);
            }
        }
    }

    private synchronized void problem(String what) {
        problems.add(what);
        console.accept("[story] !! " + what);
    }
}
