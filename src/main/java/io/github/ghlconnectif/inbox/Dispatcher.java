package io.github.ghlconnectif.inbox;

import static io.github.ghlconnectif.inbox.FlowHeaders.CONTACT_ID;
import static io.github.ghlconnectif.inbox.FlowHeaders.EVENTS;
import static io.github.ghlconnectif.inbox.FlowHeaders.EVENT_COUNT;
import static io.github.ghlconnectif.inbox.FlowHeaders.EVENT_KEY;
import static io.github.ghlconnectif.inbox.FlowHeaders.EVENT_TYPE;
import static io.github.ghlconnectif.inbox.FlowHeaders.EVENT_TYPES;
import static io.github.ghlconnectif.inbox.FlowHeaders.FAILED_ROUTE;
import static io.github.ghlconnectif.inbox.FlowHeaders.LOCATION_ID;
import static io.github.ghlconnectif.inbox.FlowHeaders.PRIORITY;
import static io.github.ghlconnectif.inbox.FlowHeaders.ROWS;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.ApiException;
import io.github.ghlconnectif.ghl.GhlEventTypes;
import io.github.ghlconnectif.ghl.Priority;
import io.github.ghlconnectif.metrics.ApiCalls;
import io.github.ghlconnectif.metrics.DispatchStats;
import io.github.ghlconnectif.store.RunWrites;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes events from the inbox and runs them through the flows: claims rows in batches, keeps the events of one contact
 * in arrival order and never two at once, coalesces what can be merged ({@link Coalescer}), and runs different
 * contacts in parallel. A row leaves the inbox only when its flow succeeded or it was dead-lettered; a transient
 * failure hands it back for a later attempt, with exponential backoff, and holds the contact's later events behind it.
 */
public final class Dispatcher extends ServiceSupport {

    /** Rows of source {@code rule} (a rule's run, stored after the shipped sync) go to this endpoint. */
    public static final String RULE_SOURCE = "rule";
    public static final String RULE_URI = "direct:run-rule";

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    /** One line per flow run, on a logger of its own so that it can be turned down apart from the rest. */
    private static final Logger EVENTS_LOG = LoggerFactory.getLogger("io.github.ghlconnectif.events");
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    /** How the dispatcher runs. */
    public record Options(String endpointUri, String connectifEndpointUri, String owner, int concurrency, int batchSize,
            Duration lease,
            Duration pollInterval, int maxAttempts, Duration initialDelay, Duration maxDelay, Duration commitDelay) {
    }

    private final Inbox inbox;
    private final CamelContext camel;
    private final ObjectMapper mapper;
    private final AtomicLong pending;
    private final Supplier<Set<String>> uninstalledLocations;
    private final BooleanSupplier targetDown;
    private final UnaryOperator<String> mask;
    private final Options options;
    private final ApiCalls apiCalls;
    private final DispatchStats stats;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final Map<String, AtomicLong> deadLettersByRoute = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Contacts handed to the workers and not finished (running or queued). */
    private final AtomicInteger contactsInFlight = new AtomicInteger();
    /**
     * Contacts this instance holds: claimed and not yet released. A contact is released only once its rows left the
     * inbox or were handed back, so that a claim never takes a contact's later rows while earlier ones are in flight.
     */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    /** Rows claimed and not yet released, whose leases the loop renews. */
    private final Set<Long> claimed = ConcurrentHashMap.newKeySet();
    /**
     * Contact runs that ended: the loop commits their writes and removes their succeeded rows in one transaction
     * (one commit per run, or fewer, was the cost), then releases their contacts.
     */
    private final Queue<Ended> ended = new ConcurrentLinkedQueue<>();
    /** When the oldest run in {@link #ended} ended (System.nanoTime), 0 when none is waiting. */
    private final AtomicLong firstEnded = new AtomicLong();
    /** A run in {@link #ended} is to be committed without waiting ({@link RunWrites#commitWithoutDelay()}). */
    private final AtomicBoolean endedDueAtOnce = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    /**
     * A contact's run that ended, to be committed: its rows, those whose flow succeeded, the store writes of its flows
     * (with its retry or dead letters), and what to do once they are committed.
     */
    private record Ended(String contact, List<InboxRow> rows, List<Long> succeeded, RunWrites writes,
            List<Runnable> afterCommit) {
    }

    private volatile boolean running;
    private boolean signalled;
    private Thread loop;
    private ExecutorService workers;
    private ProducerTemplate producer;
    private Set<String> uninstalled = Set.of();

    /**
     * @param targetDown true while GHL or Connectif is known to be down (a circuit is open): nothing is claimed then,
     *                   and failures do not count as attempts
     * @param mask       removes secrets from what is stored with a dead letter
     */
    public Dispatcher(Inbox inbox, CamelContext camel, ObjectMapper mapper, AtomicLong pending,
            Supplier<Set<String>> uninstalledLocations, BooleanSupplier targetDown, UnaryOperator<String> mask,
            Options options, ApiCalls apiCalls) {
        this.inbox = inbox;
        this.camel = camel;
        this.mapper = mapper;
        this.pending = pending;
        this.uninstalledLocations = uninstalledLocations;
        this.targetDown = targetDown;
        this.mask = mask;
        this.options = options;
        this.apiCalls = apiCalls;
        this.stats = new DispatchStats(apiCalls.registry());
    }

    /** New events were stored: look now rather than at the next poll. */
    public void wake() {
        lock.lock();
        try {
            signalled = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Events stored by a flow itself (a rule's run): counted as pending, and looked at now. */
    public void stored(int count) {
        pending.addAndGet(count);
        wake();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public long retries() {
        return retries.get();
    }

    /** Store commits of ended runs since start (several runs can share one). */
    public long commits() {
        return commits.get();
    }

    public DispatchStats stats() {
        return stats;
    }

    /** Dead letters written since start, by the route that failed. */
    public Map<String, Long> deadLettersByRoute() {
        Map<String, Long> counts = new TreeMap<>();
        deadLettersByRoute.forEach((route, count) -> counts.put(route, count.get()));
        return counts;
    }

    @Override
    protected void doStart() {
        producer = camel.createProducerTemplate();
        workers = Executors.newFixedThreadPool(options.concurrency(), runnable -> {
            Thread thread = new Thread(runnable, "dispatch-worker");
            thread.setDaemon(true);
            return thread;
        });
        running = true;
        loop = new Thread(this::run, "dispatcher");
        loop.setDaemon(true);
        loop.start();
        LOG.info("Dispatcher {} started: {} flows at once, claims of {} events, lease {}", options.owner(),
                options.concurrency(), options.batchSize(), options.lease());
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        wake();
        if (loop != null) {
            loop.join(TimeUnit.SECONDS.toMillis(10));
        }
        if (workers != null) {
            workers.shutdown();
            if (!workers.awaitTermination(20, TimeUnit.SECONDS)) {
                LOG.warn("Stopped with {} events still in flight; they are claimed again after their lease", inFlight.get());
                workers.shutdownNow();
            }
        }
        try {
            commitEnded();
        } catch (RuntimeException e) {
            LOG.warn("Could not remove the last processed events from the inbox; they run again at the next start: {}",
                    e.getMessage());
        }
        if (producer != null) {
            producer.close();
        }
    }

    private void run() {
        long nextHeartbeat = 0;
        long nextRefresh = 0;
        while (running) {
            try {
                long now = System.nanoTime();
                if (now >= nextRefresh) {
                    pending.set(inbox.depth());
                    uninstalled = uninstalledLocations.get();
                    nextRefresh = now + TimeUnit.SECONDS.toNanos(5);
                }
                if (now >= nextHeartbeat && inFlight.get() > 0) {
                    inbox.renewLeases(List.copyOf(claimed), options.lease());
                    nextHeartbeat = now + options.lease().toNanos() / 3;
                }
                int room = options.batchSize() - inFlight.get();
                // removing finished rows and claiming cost a commit each however few rows they touch: while every
                // worker has a contact, wait until a quarter of the batch is free instead of doing both after each
                // finished contact (finished rows are removed before the next claim, since they still hold their contact)
                boolean busy = contactsInFlight.get() >= options.concurrency() && room < Math.max(1, options.batchSize() / 4);
                if ((!busy || endedDueAtOnce.get()) && commitDue(now)) {
                    commitEnded();
                }
                if (busy || targetDown.getAsBoolean()) {
                    room = 0;
                }
                List<InboxRow> rows = room > 0 ? inbox.claim(options.owner(), room, options.lease(), held) : List.of();
                if (rows.isEmpty()) {
                    await(untilCommitDue());
                } else {
                    dispatch(rows);
                }
            } catch (RuntimeException e) {
                LOG.warn("Dispatcher cannot reach the inbox, trying again in {}: {}", options.pollInterval(), e.getMessage());
                await(options.pollInterval());
            }
        }
    }

    /**
     * Whether the runs that ended are to be committed now: once the oldest waited {@code commitDelay}. At a trickle each
     * run would otherwise be a commit (a write of the store file) of its own; the delay lets a few share one. Their
     * contacts stay held meanwhile, and a run not committed at a crash runs again, as before: except a run that sent
     * what a repeat would send again, which does not wait.
     */
    private boolean commitDue(long now) {
        long first = firstEnded.get();
        return !ended.isEmpty() && (!running || first == 0 || endedDueAtOnce.get()
                || now - first >= options.commitDelay().toNanos());
    }

    private Duration untilCommitDue() {
        long first = firstEnded.get();
        if (ended.isEmpty() || first == 0) {
            return options.pollInterval();
        }
        long left = options.commitDelay().toNanos() - (System.nanoTime() - first);
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(left, options.pollInterval().toNanos())));
    }

    private void await(Duration timeout) {
        lock.lock();
        try {
            if (!signalled && running) {
                wakeUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            signalled = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private void dispatch(List<InboxRow> rows) {
        Map<String, List<InboxRow>> byContact = new LinkedHashMap<>();
        for (InboxRow row : rows) {
            byContact.computeIfAbsent(row.event().contactKey(), key -> new ArrayList<>()).add(row);
            claimed.add(row.id());
        }
        held.addAll(byContact.keySet());
        for (Map.Entry<String, List<InboxRow>> contact : byContact.entrySet()) {
            List<InboxRow> contactRows = contact.getValue();
            inFlight.addAndGet(contactRows.size());
            contactsInFlight.incrementAndGet();
            workers.execute(() -> {
                Ended run = new Ended(contact.getKey(), contactRows, new ArrayList<>(), RunWrites.begin(), new ArrayList<>());
                try {
                    runContact(run);
                } finally {
                    run.writes().end();
                    ended.add(run);
                    firstEnded.compareAndSet(0, System.nanoTime());
                    if (run.writes().isDueAtOnce()) {
                        endedDueAtOnce.set(true);
                    }
                    inFlight.addAndGet(-contactRows.size());
                    contactsInFlight.decrementAndGet();
                    wake();
                }
            });
        }
    }

    /** Runs one contact's units in order; stops at the first transient failure, handing the rest back. */
    private void runContact(Ended run) {
        List<InboxRow> rows = run.rows();
        List<Map<String, Object>> events = new ArrayList<>();
        for (InboxRow row : rows) {
            events.add(parse(row));
        }
        List<DispatchUnit> units = Coalescer.units(rows, events);
        for (int i = 0; i < units.size(); i++) {
            DispatchUnit unit = units.get(i);
            if (uninstalled.contains(unit.lead().event().locationId())) {
                LOG.info("Skipped {} for {}: location {} uninstalled the app", unit.lead().event().type(),
                        unit.lead().event().contactKey(), unit.lead().event().locationId());
                finish(unit, run.succeeded());
                events(unit, DispatchStats.SKIPPED);
                continue;
            }
            ApiCalls.Run calls = apiCalls.begin();
            long start = System.nanoTime();
            Exchange result;
            try {
                result = run(unit);
            } finally {
                apiCalls.end();
            }
            long nanos = System.nanoTime() - start;
            stats.run(nanos);
            Throwable failure = result.getException();
            boolean down = failure != null && targetDown.getAsBoolean();
            if (failure == null) {
                finish(unit, run.succeeded());
                events(unit, DispatchStats.SYNCED);
                EVENTS_LOG.info("{}: synced {}", describe(unit), summary(nanos, calls));
            } else if (Failures.isTransient(failure) && (down || unit.lead().attempts() + 1 < options.maxAttempts())) {
                List<Long> rest = new ArrayList<>();
                units.subList(i, units.size()).forEach(remaining -> rest.addAll(remaining.ids()));
                retryLater(run, unit, rest, failure, !down, summary(nanos, calls));
                return;
            } else {
                deadLetter(run, unit, result, failure, summary(nanos, calls));
            }
        }
    }

    private void events(DispatchUnit unit, String outcome) {
        Instant now = Instant.now();
        for (InboxRow row : unit.rows()) {
            stats.event(row.event().type(), outcome, row.receivedAt(), now);
        }
    }

    private static String describe(DispatchUnit unit) {
        InboxEvent lead = unit.lead().event();
        return lead.type() + " for " + lead.contactKey() + " in location " + lead.locationId();
    }

    private static String summary(long nanos, ApiCalls.Run calls) {
        return "in " + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms (GHL calls " + calls.ghlCalls() + ", Connectif calls "
                + calls.connectifCalls() + (calls.ghlTraceId() == null ? "" : ", GHL traceId " + calls.ghlTraceId()) + ")";
    }

    private Exchange run(DispatchUnit unit) {
        InboxEvent lead = unit.lead().event();
        String uri = switch (lead.source()) {
            case "connectif" -> options.connectifEndpointUri();
            case RULE_SOURCE -> RULE_URI;
            default -> options.endpointUri();
        };
        Exchange result = producer.send(uri, exchange -> {
            exchange.getMessage().setBody(unit.leadEvent());
            exchange.getMessage().setHeader(EVENT_TYPE, lead.type());
            exchange.getMessage().setHeader(EVENT_COUNT, unit.rows().size());
            exchange.getMessage().setHeader(LOCATION_ID, lead.locationId());
            String contactId = "connectif".equals(lead.source())
                    ? (unit.leadEvent().get("ghlContactId") instanceof String id ? id : null)
                    : GhlEventTypes.contactIdOf(lead.type(), unit.leadEvent());
            if (contactId != null) {
                exchange.getMessage().setHeader(CONTACT_ID, contactId);
            }
            if (Boolean.TRUE.equals(unit.leadEvent().get("background"))) {
                exchange.getMessage().setHeader(PRIORITY, Priority.BACKGROUND.name());
            }
            exchange.setVariable(EVENTS, unit.events());
            exchange.setVariable(ROWS, unit.rows());
            exchange.setVariable(EVENT_TYPES, unit.types());
            exchange.setVariable(EVENT_KEY, lead.eventKey());
        });
        return result;
    }

    private void finish(DispatchUnit unit, List<Long> succeeded) {
        succeeded.addAll(unit.ids());
        pending.addAndGet(-unit.rows().size());
    }

    /**
     * Commits the runs that ended in one transaction and releases their contacts. A run that succeeded but is not
     * committed yet runs again after a crash: the flows are idempotent. When the joint commit fails, each run is
     * committed alone, so that one whose writes the store refuses does not hold back the others; that one's events
     * are handed back to run again (or dead-lettered after the last attempt).
     */
    private void commitEnded() {
        firstEnded.set(0);
        endedDueAtOnce.set(false);
        List<Ended> runs = new ArrayList<>();
        for (Ended run = ended.poll(); run != null; run = ended.poll()) {
            runs.add(run);
        }
        if (runs.isEmpty()) {
            return;
        }
        try {
            inbox.commit(runs.stream().map(Ended::writes).toList(), runs.stream().flatMap(run -> run.succeeded().stream()).toList());
            commits.incrementAndGet();
            runs.forEach(this::release);
            return;
        } catch (RuntimeException e) {
            if (runs.size() > 1) {
                LOG.debug("Could not commit {} runs together, committing each alone: {}", runs.size(), e.getMessage());
            }
        }
        for (int i = 0; i < runs.size(); i++) {
            Ended run = runs.get(i);
            try {
                try {
                    inbox.commit(List.of(run.writes()), run.succeeded());
                    commits.incrementAndGet();
                } catch (RuntimeException e) {
                    giveBack(run, e);
                }
            } catch (RuntimeException storeDown) {
                ended.addAll(runs.subList(i, runs.size()));
                throw storeDown;
            }
            release(run);
        }
    }

    private void release(Ended run) {
        run.afterCommit().forEach(Runnable::run);
        run.rows().forEach(row -> claimed.remove(row.id()));
        held.remove(run.contact());
    }

    /** The store refused the writes of a run: its events run again, or go to the dead letters after the last attempt. */
    private void giveBack(Ended run, RuntimeException failure) {
        InboxRow lead = run.rows().get(0);
        String cause = mask.apply(Failures.describe(failure));
        run.afterCommit().clear();
        if (lead.attempts() + 1 < options.maxAttempts()) {
            LOG.warn("Could not store the outcome of the events of {}; they run again: {}", run.contact(), cause);
            inbox.retryLater(run.rows().stream().map(InboxRow::id).toList(), Instant.now().plus(options.initialDelay()),
                    cause, true);
        } else {
            LOG.error("Could not store the outcome of the events of {} after {} attempts; dead-lettered: {}", run.contact(),
                    lead.attempts() + 1, cause);
            for (InboxRow row : run.rows()) {
                inbox.deadLetter(row, new Inbox.Failure("store", cause, null, null));
            }
        }
    }

    private void retryLater(Ended run, DispatchUnit unit, List<Long> ids, Throwable failure, boolean countAttempt,
            String summary) {
        retries.incrementAndGet();
        int attempt = unit.lead().attempts() + 1;
        long ceiling = Math.min(options.maxDelay().toMillis(), options.initialDelay().toMillis() << Math.min(attempt - 1, 20));
        long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        String cause = mask.apply(Failures.describe(failure));
        events(unit, DispatchStats.RETRY);
        stats.failure(failure(unit, "retry " + attempt + " of " + options.maxAttempts(), cause));
        EVENTS_LOG.warn("{}: failed {}, attempt {} of {}, retrying in {} ms: {}", describe(unit), summary, attempt,
                options.maxAttempts(), delay, cause);
        Instant notBefore = Instant.now().plusMillis(delay);
        run.writes().add(connection -> inbox.retryLater(connection, ids, notBefore, cause, countAttempt));
    }

    private static DispatchStats.Failure failure(DispatchUnit unit, String outcome, String cause) {
        InboxEvent lead = unit.lead().event();
        return new DispatchStats.Failure(Instant.now(), lead.type(), lead.locationId(), lead.contactKey(), outcome, cause);
    }

    private void deadLetter(Ended run, DispatchUnit unit, Exchange result, Throwable failure, String summary) {
        String route = result.getVariable(FAILED_ROUTE) instanceof String named ? named
                : result.getProperty(Exchange.FAILURE_ROUTE_ID, options.endpointUri(), String.class);
        ApiException api = Failures.apiException(failure);
        Inbox.Failure why = new Inbox.Failure(route, mask.apply(Failures.describe(failure)),
                api == null || api.getStatus() == 0 ? null : api.getStatus(), api == null ? null : mask.apply(api.getResponseBody()));
        List<Long> ids = new ArrayList<>();
        run.writes().add(connection -> {
            ids.clear();
            for (InboxRow row : unit.rows()) {
                ids.add(inbox.deadLetter(connection, row, why));
            }
        });
        run.afterCommit().add(() -> {
            deadLettersByRoute.computeIfAbsent(route, r -> new AtomicLong()).addAndGet(unit.rows().size());
            EVENTS_LOG.error("{}: failed {} in route {}, dead letter {}: {}", describe(unit), summary, route,
                    ids.size() == 1 ? ids.get(0) : ids, why.cause());
        });
        events(unit, DispatchStats.DEAD_LETTER);
        stats.failure(failure(unit, DispatchStats.DEAD_LETTER + " in " + route, why.cause()));
        pending.addAndGet(-unit.rows().size());
    }

    private Map<String, Object> parse(InboxRow row) {
        try {
            return mapper.readValue(row.event().payload(), MAP);
        } catch (Exception e) {
            return Map.of("type", row.event().type());
        }
    }
}
