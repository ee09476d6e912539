package io.github.ghlconnectif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.ghlconnectif.config.ConfigurationCheck;
import org.junit.jupiter.api.Test;

/** The README and docs/: every relative link lands on a file (and heading) that exists, every property is documented. */
class DocsTest {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)\\)");
    static final Pattern READ = Pattern.compile(
            "\\.(?:get|getInt|getLong|getDouble|getBoolean|getDuration|optional|require|getChoice)\\(\"([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+)\"");
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\??([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+)");

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            Matcher link = LINK.matcher(Files.readString(page));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue;
                }
                String[] parts = target.split("#", 2);
                Path file = parts[0].isEmpty() ? page : page.getParent().resolve(parts[0]).normalize();
                if (!Files.exists(file)) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
                } else if (parts.length > 1 && Files.isRegularFile(file) && !anchors(file).contains(parts[1])) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void everyPropertyTheConnectorReadsIsInTheConfigurationPage() throws IOException {
        Set<String> read = new TreeSet<>(ConfigurationCheck.bundledDefaults().stringPropertyNames());
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("src/main/java"))) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(sources::add);
        }
        try (Stream<Path> files = Files.list(ROOT.resolve("routes"))) {
            files.filter(file -> file.toString().endsWith(".camel.yaml")).forEach(sources::add);
        }
        for (Path source : sources) {
            String text = Files.readString(source);
            for (Pattern pattern : List.of(READ, PLACEHOLDER)) {
                Matcher key = pattern.matcher(text);
                while (key.find()) {
                    read.add(key.group(1));
                }
            }
        }
        assertTrue(read.size() > 60, "found only " + read);
        String page = Files.readString(ROOT.resolve("docs/configuration.md"));
        List<String> missing = read.stream().filter(key -> !page.contains("`" + key + "`")).toList();
        assertEquals(List.of(), missing, "properties read by the connector but not in docs/configuration.md");
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("bench/README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(file -> file.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        assertTrue(pages.size() >= 7, "README.md, bench/README.md and the five pages of docs/: " + pages);
        return pages;
    }

    /** GitHub's anchors of a page's headings. */
    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new TreeSet<>();
        for (String line : Files.readAllLines(page)) {
            if (line.startsWith("#")) {
                anchors.add(line.replaceFirst("^#+\\s*", "").trim().toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
