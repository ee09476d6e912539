package io.github.ghlconnectif.ghl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LocationRateBudgetTest {

    @Test
    void startsAtGhlsDocumentedLimitsAndFollowsTheHeaders() {
        LocationRateBudget budget = new LocationRateBudget();
        assertEquals(100, budget.max());
        assertEquals(10_000, budget.intervalMs());
        assertEquals(200_000, budget.dailyRemaining());

        budget.update(500, 5_000L, 420, 199_000L, 250_000L);

        assertEquals(500, budget.max());
        assertEquals(5_000, budget.intervalMs());
        assertEquals(199_000, budget.dailyRemaining());
        assertEquals(250_000, budget.dailyLimit());
    }

    @Test
    void backgroundWorkUsesOnlyItsShareOfAWindow() throws Exception {
        LocationRateBudget budget = new LocationRateBudget(0.5);
        budget.update(4, 60_000L, null, null, null);

        budget.acquire(Priority.BACKGROUND);
        budget.acquire(Priority.BACKGROUND);
        Thread third = new Thread(() -> take(budget, Priority.BACKGROUND, new ArrayList<>(), new CountDownLatch(1)));
        third.start();
        awaitWaiting(third);
        budget.acquire(Priority.LIVE);
        budget.acquire(Priority.LIVE);

        assertEquals(0, budget.remaining());
        assertTrue(third.isAlive(), "background work went past its share of the window");
        third.interrupt();
    }

    @Test
    void liveWorkGoesBeforeBackgroundWork() throws Exception {
        LocationRateBudget budget = new LocationRateBudget();
        budget.update(1, 300L, 0, null, null);
        budget.acquire(Priority.LIVE);
        List<Priority> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(2);
        Thread background = new Thread(() -> take(budget, Priority.BACKGROUND, order, done));
        background.start();
        awaitWaiting(background);
        Thread live = new Thread(() -> take(budget, Priority.LIVE, order, done));
        live.start();

        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of(Priority.LIVE, Priority.BACKGROUND), order);
    }

    @Test
    void aRequestCountsUntilAnIntervalAfterItsAnswerCame() throws Exception {
        AtomicLong now = new AtomicLong(1_000);
        LocationRateBudget budget = new LocationRateBudget(now::get, 1.0);
        budget.update(2, 1_000L, null, null, null);
        budget.acquire(Priority.LIVE);
        budget.acquire(Priority.LIVE);
        now.set(1_500);
        budget.completed();
        budget.completed();

        now.set(2_400); // a window opened by the first request would have ended at 2000
        assertEquals(0, budget.remaining());
        now.set(2_500); // the clock counts whole milliseconds: the answers may have come up to 1 ms after 1500
        assertEquals(0, budget.remaining());
        now.set(2_501);
        assertEquals(2, budget.remaining());
    }

    @Test
    void ghlsRemainingCountsOnlyWhatOthersUsedBeyondTheRequestsCountedHere() throws Exception {
        AtomicLong now = new AtomicLong(1_000);
        LocationRateBudget budget = new LocationRateBudget(now::get, 1.0);
        budget.update(10, 1_000L, null, null, null);
        budget.acquire(Priority.LIVE);
        budget.acquire(Priority.LIVE);
        budget.completed();
        budget.completed();

        budget.update(null, null, 8, null, null); // GHL counted our two requests only
        assertEquals(8, budget.remaining());
        budget.update(null, null, 5, null, null); // and now three from elsewhere, for an interval
        assertEquals(5, budget.remaining());
        now.set(2_002);
        assertEquals(10, budget.remaining());
    }

    private static void take(LocationRateBudget budget, Priority priority, List<Priority> order, CountDownLatch done) {
        try {
            budget.acquire(priority);
            order.add(priority);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            done.countDown();
        }
    }

    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (thread.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}
