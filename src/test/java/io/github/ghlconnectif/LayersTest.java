package io.github.ghlconnectif;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * No import runs back up a layer: each class of the connector may use only what stands in a lower layer, or in its
 * own package. A package (or a class placed on its own) that is in no layer fails the test, so that a new one is put
 * in its place on purpose. Same-package uses count too where a class is placed apart from its package (the root
 * package holds both the lowest words and the entry point).
 */
class LayersTest {

    private static final String ROOT = "io.github.ghlconnectif";

    /**
     * Lowest first. A lower-case name is a package; {@code Name} a class of the root package; {@code pkg.Name} a class
     * placed apart from its package.
     */
    private static final List<List<String>> LAYERS = List.of(
            List.of("config", "metrics", "http"),
            List.of("store", "ApiException", "CircuitBreaker"),
            List.of("ApiSender"),
            // ConfigurationCheck checks every property at start-up, the store's URL among them
            List.of("ghl", "connectif", "config.ConfigurationCheck"),
            List.of("auth"),
            List.of("inbox"),
            List.of("webhook", "sync"),
            List.of("reconcile", "rules", "writeback"),
            List.of("Connector"),
            // the routes of an area, beside the area's own classes, given their parts by camel/ConnectorConfiguration
            List.of("admin", "observe", "auth.OAuthRoutes", "reconcile.ScheduledRoutes"),
            List.of("camel", "cli"),
            List.of("sandbox"),
            List.of("Application"));

    /** Classes that count as another: the connector builds its access check from itself and keeps it. */
    private static final Map<String, String> SAME_UNIT = Map.of("AccessCheck", "Connector");

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile(
            "^import (?:static )?" + Pattern.quote(ROOT) + "\\.((?:[a-z]\\w*\\.)*)([A-Z]\\w*)", Pattern.MULTILINE);
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*|\"(?:\\\\.|[^\"\\\\])*\"", Pattern.DOTALL);

    @Test
    void noImportRunsBackUpALayer() throws IOException {
        Map<String, Integer> layer = new HashMap<>();
        for (int i = 0; i < LAYERS.size(); i++) {
            for (String unit : LAYERS.get(i)) {
                layer.put(unit, i);
            }
        }
        Map<String, List<String>> classesByPackage = new HashMap<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java", ROOT.split("\\.")))) {
            sources = files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
        }
        Map<Path, String> packages = new HashMap<>();
        for (Path source : sources) {
            Matcher matcher = PACKAGE.matcher(Files.readString(source));
            String pkg = matcher.find() ? relative(matcher.group(1)) : "";
            packages.put(source, pkg);
            classesByPackage.computeIfAbsent(pkg, key -> new ArrayList<>()).add(simpleName(source));
        }
        Set<String> problems = new TreeSet<>();
        for (Path source : sources) {
            String text = Files.readString(source);
            String pkg = packages.get(source);
            String from = unit(pkg, simpleName(source));
            Set<String> used = new TreeSet<>();
            Matcher imports = IMPORT.matcher(text);
            while (imports.find()) {
                String imported = imports.group(1).isEmpty() ? "" : imports.group(1).substring(0, imports.group(1).length() - 1);
                used.add(unit(imported, imports.group(2)));
            }
            String code = COMMENTS.matcher(text).replaceAll(" ");
            for (String sibling : classesByPackage.get(pkg)) {
                if (Pattern.compile("\\b" + sibling + "\\b").matcher(code).find()) {
                    used.add(unit(pkg, sibling));
                }
            }
            for (String to : used) {
                if (to.equals(from)) {
                    continue;
                }
                if (!layer.containsKey(from) || !layer.containsKey(to)) {
                    problems.add("not in a layer: " + (layer.containsKey(from) ? to : from));
                } else if (layer.get(to) >= layer.get(from)) {
                    problems.add(simpleName(source) + " (" + from + ") uses " + to + ", which is not below it");
                }
            }
        }
        assertEquals("", problems.stream().collect(Collectors.joining("\n")));
    }

    private static String unit(String pkg, String className) {
        if (pkg.isEmpty()) {
            return SAME_UNIT.getOrDefault(className, className);
        }
        String apart = pkg + "." + className;
        return LAYERS.stream().anyMatch(units -> units.contains(apart)) ? apart : pkg;
    }

    private static String relative(String pkg) {
        return pkg.equals(ROOT) ? "" : pkg.substring(ROOT.length() + 1);
    }

    private static String simpleName(Path source) {
        String name = source.getFileName().toString();
        return name.substring(0, name.length() - ".java".length());
    }
}
