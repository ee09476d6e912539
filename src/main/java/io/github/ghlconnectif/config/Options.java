package io.github.ghlconnectif.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every declared property, area by area, in the order of the documentation. */
public final class Options {

    /** The classes that declare properties, each as {@code public static final Option} fields. */
    public static final List<Class<?>> AREAS = List.of(CamelOptions.class, GhlOptions.class, IntakeOptions.class,
            SyncOptions.class, AdminOptions.class, ConnectifOptions.class, StoreOptions.class, SandboxOptions.class,
            RuleOptions.class);

    private static final List<Option<?>> ALL = declared();

    private Options() {
    }

    public static List<Option<?>> all() {
        return ALL;
    }

    public static Optional<Option<?>> find(String key) {
        return ALL.stream().filter(option -> option.key().equals(key)).findFirst();
    }

    /** The fields in the order they are written (as the JVM lists them), which is the order of the documentation. */
    private static List<Option<?>> declared() {
        List<Option<?>> options = new ArrayList<>();
        for (Class<?> area : AREAS) {
            for (Field field : area.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == Option.class) {
                    try {
                        options.add((Option<?>) field.get(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return List.copyOf(options);
    }
}
