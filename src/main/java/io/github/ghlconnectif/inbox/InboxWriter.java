package io.github.ghlconnectif.inbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import io.github.ghlconnectif.store.StoreException;
import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the intake: one thread writes whatever events arrived meanwhile, up to {@code maxBatch}, in one
 * transaction, then completes each event's future. Under load the batches grow by themselves, so one commit serves
 * many requests.
 */
public final class InboxWriter implements Service {

    /** What became of an event offered to the inbox. */
    public enum Outcome { ACCEPTED, DUPLICATE }

    private static final Logger LOG = LoggerFactory.getLogger(InboxWriter.class);

    private record Pending(InboxEvent event, CompletableFuture<Outcome> result) {
    }

    /** Ends the writer's wait at {@link #stop()}: the writer waits without a timeout, so that it never wakes while idle. */
    private static final Pending WAKE_UP = new Pending(null, null);

    private final Inbox inbox;
    private final int maxBatch;
    private final IntConsumer onAccepted;
    private final BlockingQueue<Pending> queue;
    private final Thread thread;
    private volatile boolean running = true;

    public InboxWriter(Inbox inbox, int maxBatch, int queueCapacity, IntConsumer onAccepted) {
        this.inbox = inbox;
        this.maxBatch = maxBatch;
        this.onAccepted = onAccepted;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.thread = new Thread(this::run, "inbox-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Completes when the event is durably stored (or found to be a duplicate); fails when it cannot be stored. */
    public CompletableFuture<Outcome> submit(InboxEvent event) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        if (!running || !queue.offer(new Pending(event, result))) {
            result.completeExceptionally(new StoreException("the inbox writer is " + (running ? "saturated" : "stopped"), null));
        }
        return result;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, maxBatch - 1);
                batch.removeIf(pending -> pending == WAKE_UP);
                if (!batch.isEmpty()) {
                    write(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /** One transaction for the batch; if it fails, one per event, so that one bad event fails alone. */
    private void write(List<Pending> batch) {
        try {
            complete(batch, inbox.accept(batch.stream().map(Pending::event).toList()));
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                LOG.warn("Could not store an event in the inbox; it is answered 429 so that it is sent again: {}",
                        e.getMessage());
                batch.get(0).result().completeExceptionally(e);
                return;
            }
            for (Pending pending : batch) {
                write(List.of(pending));
            }
        }
    }

    private void complete(List<Pending> batch, boolean[] accepted) {
        int count = 0;
        for (boolean stored : accepted) {
            count += stored ? 1 : 0;
        }
        onAccepted.accept(count);
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(accepted[i] ? Outcome.ACCEPTED : Outcome.DUPLICATE);
        }
    }

    /** The writer's thread, for tests. */
    Thread thread() {
        return thread;
    }

    @Override
    public void start() {
        // the writer thread starts with the object
    }

    @Override
    public void stop() {
        running = false;
        // a full queue needs no wake-up: the writer drains it and then sees that it is stopped
        queue.offer(WAKE_UP);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
