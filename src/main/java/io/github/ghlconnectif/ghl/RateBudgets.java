package io.github.ghlconnectif.ghl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link LocationRateBudget} per GHL location, for the whole process. */
public final class RateBudgets {

    private final Map<String, LocationRateBudget> budgets = new ConcurrentHashMap<>();

    public LocationRateBudget forLocation(String locationId) {
        return budgets.computeIfAbsent(locationId, id -> new LocationRateBudget());
    }

    public Map<String, LocationRateBudget> all() {
        return Map.copyOf(budgets);
    }
}
