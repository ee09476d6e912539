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

import io.github.ghlconnectif.config.Option;
import io.github.ghlconnectif.config.Options;
import org.junit.jupiter.api.Test;

/**
 * The README and docs/: every relative link lands on a file (and heading) that exists; every property read is declared,
 * and the table of properties is made from the declarations.
 */
class DocsTest {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)\\)");
    static final Pattern READ = Pattern.compile(
            "\\.(?:get|getInt|getLong|getDouble|getBoolean|getDuration|optional|require|getChoice)\\(\"([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+)\"");
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\??([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+):?");
    static final String TABLE_START = "<!-- properties:";
    static final String TABLE_END = "<!-- end of properties -->";

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
    void everyPropertyTheConnectorReadsIsDeclaredWithoutADefaultOfItsOwn() throws IOException {
        Set<String> read = new TreeSet<>();
        List<String> defaults = new ArrayList<>();
        for (Path source : sources()) {
            String text = Files.readString(source);
            for (Pattern pattern : List.of(READ, PLACEHOLDER)) {
                Matcher key = pattern.matcher(text);
                while (key.find()) {
                    read.add(key.group(1));
                    if (key.group(0).endsWith(":") || pattern == READ) {
                        defaults.add(ROOT.relativize(source) + ": " + key.group(0));
                    }
                }
            }
        }
        assertTrue(read.size() >= 2, "found only " + read);
        assertEquals(List.of(), read.stream().filter(key -> Options.find(key).isEmpty()).toList(),
                "properties read by the connector but not declared in config/*Options.java");
        assertEquals(List.of(), defaults, "read by key instead of through its declaration, or with a default of its own");
    }

    /**
     * The table of properties in docs/configuration.md is made from the declarations; run this test with
     * {@code -Ddocs.write=true} to write it after changing one.
     */
    @Test
    void theTableOfPropertiesIsTheDeclarations() throws IOException {
        Path file = ROOT.resolve("docs/configuration.md");
        String page = Files.readString(file);
        int start = page.indexOf(TABLE_START);
        int end = page.indexOf(TABLE_END);
        assertTrue(start >= 0 && end > start, "docs/configuration.md marks its table with " + TABLE_START + " and " + TABLE_END);
        String table = page.substring(page.indexOf('\n', start) + 1, end);
        String declared = table();
        if (Boolean.getBoolean("docs.write") && !table.equals(declared)) {
            Files.writeString(file, page.substring(0, page.indexOf('\n', start) + 1) + declared + page.substring(end));
            return;
        }
        assertEquals(declared, table, "docs/configuration.md: run DocsTest with -Ddocs.write=true to write its table");
    }

    /** One row per declared property: key, default, meaning, whether secret. */
    static String table() {
        StringBuilder table = new StringBuilder("| property | default | meaning | secret |\n|---|---|---|---|\n");
        for (Option<?> option : Options.all()) {
            String shown = option.shownDefault() != null ? option.shownDefault()
                    : option.defaultText() == null ? "none"
                    : option.defaultText().isEmpty() ? "empty" : "`" + option.defaultText() + "`";
            table.append("| `").append(option.key()).append("` | ").append(shown).append(" | ")
                    .append(option.description()).append(" | ").append(option.secret() ? "**yes**" : "no").append(" |\n");
        }
        return table.toString();
    }

    private static List<Path> sources() throws IOException {
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("src/main/java"))) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(sources::add);
        }
        try (Stream<Path> files = Files.list(ROOT.resolve("routes"))) {
            files.filter(file -> file.toString().endsWith(".camel.yaml")).forEach(sources::add);
        }
        return sources;
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
