package io.github.ghlconnectif.ghl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link LocationRateBudget} per GHL location, for the whole process. */
public final class RateBudgets {

    private final Map<String, LocationRateBudget> budgets = new ConcurrentHashMap<>();
    private final double backgroundShare;

    public RateBudgets() {
        this(1.0);
    }

    /** @param backgroundShare the share of each location's window that reconciliation and backfill may use */
    public RateBudgets(double backgroundShare) {
        this.backgroundShare = backgroundShare;
    }

    public LocationRateBudget forLocation(String locationId) {
        return budgets.computeIfAbsent(locationId, id -> new LocationRateBudget(backgroundShare));
    }

    public Map<String, LocationRateBudget> all() {
        return Map.copyOf(budgets);
    }
}
