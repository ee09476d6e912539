package io.github.ghlconnectif.store;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The GHL locations this connector serves: {@code ghl.location-id}, and with OAuth the locations where the app is
 * installed, restricted by the optional allow-lists {@code ghl.allowed-locations} and {@code ghl.allowed-companies}
 * (when either is set, a location passes when it is listed or its company is).
 */
public final class ServedLocations {

    private final Optional<String> configured;
    private final Locations installs;
    private final Set<String> allowedLocations;
    private final Set<String> allowedCompanies;

    /** @param installs the installed locations; null when only {@code configured} is served (private token) */
    public ServedLocations(Optional<String> configured, Locations installs, Set<String> allowedLocations,
            Set<String> allowedCompanies) {
        this.configured = configured;
        this.installs = installs;
        this.allowedLocations = Set.copyOf(allowedLocations);
        this.allowedCompanies = Set.copyOf(allowedCompanies);
    }

    public boolean serves(String locationId) {
        if (configured.filter(locationId::equals).isPresent()) {
            return true;
        }
        return installs != null && installs.isInstalled(locationId) && allowed(locationId, companyOf(locationId));
    }

    /** Whether the allow-lists let a location (of a company, when known) in. */
    public boolean allowed(String locationId, String companyId) {
        if (allowedLocations.isEmpty() && allowedCompanies.isEmpty()) {
            return true;
        }
        return locationId != null && allowedLocations.contains(locationId)
                || companyId != null && allowedCompanies.contains(companyId);
    }

    /** Every location served now. */
    public Set<String> all() {
        Set<String> all = new TreeSet<>();
        configured.ifPresent(all::add);
        if (installs != null) {
            installs.installed().stream().filter(location -> allowed(location, companyOf(location))).forEach(all::add);
        }
        return all;
    }

    private String companyOf(String locationId) {
        return allowedCompanies.isEmpty() ? null : installs.companyOf(locationId).orElse(null);
    }
}
