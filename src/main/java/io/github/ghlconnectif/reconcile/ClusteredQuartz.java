package io.github.ghlconnectif.reconcile;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import io.github.ghlconnectif.store.Store;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.jdbcjobstore.PostgreSQLDelegate;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Instances sharing a PostgreSQL store run Quartz clustered, on its JDBC job store in that database (tables of
 * migration V9): each timer fires on one instance, and a dead instance's timers move to the others.
 */
public final class ClusteredQuartz {

    static final String CLUSTER_NAME = "ghl-connectif-sync";

    private ClusteredQuartz() {
    }

    /** Makes the {@code quartz} component use a clustered scheduler on the store; {@code instanceId} is this instance's. */
    public static void configure(CamelContext camel, Store store, String instanceId) {
        String dataSource = "store-" + instanceId;
        DBConnectionManager.getInstance().addConnectionProvider(dataSource, new StoreConnections(store));
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", CLUSTER_NAME);
        properties.setProperty("org.quartz.scheduler.instanceId", instanceId);
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.threadPool.threadCount", "2");
        properties.setProperty("org.quartz.jobStore.class", JobStoreTX.class.getName());
        properties.setProperty("org.quartz.jobStore.driverDelegateClass", PostgreSQLDelegate.class.getName());
        properties.setProperty("org.quartz.jobStore.dataSource", dataSource);
        properties.setProperty("org.quartz.jobStore.isClustered", "true");
        properties.setProperty("org.quartz.jobStore.clusterCheckinInterval", "5000");
        try {
            camel.getComponent("quartz", QuartzComponent.class).setSchedulerFactory(new StdSchedulerFactory(properties) {
                @Override
                public Scheduler getScheduler() throws SchedulerException {
                    Scheduler scheduler = super.getScheduler();
                    // Quartz keeps one scheduler per name in the JVM; another instance in this JVM needs its own
                    SchedulerRepository.getInstance().remove(scheduler.getSchedulerName());
                    return scheduler;
                }
            });
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot configure the clustered Quartz scheduler: " + e.getMessage(), e);
        }
    }

    /** Quartz's connections come from the store's pool. */
    private record StoreConnections(Store store) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return store.connection();
        }

        @Override
        public void shutdown() {
        }

        @Override
        public void initialize() {
        }
    }
}
