package io.github.ghlconnectif.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar run as a user runs it: {@code java -jar} in a folder of its own, configured by the environment. */
public final class JarRun {

    public static final Path JAR = Path.of(System.getProperty("connector.jar", "target/ghl-connectif-sync.jar"))
            .toAbsolutePath();

    private final Path workDir;

    public JarRun(Path workDir) {
        this.workDir = workDir;
    }

    /** What a finished command left: its exit code and what it printed on stdout and stderr. */
    public record Result(int exit, String out, String err) {

        /** Every non-blank line of stdout and stderr. */
        public List<String> lines() {
            return (out + "\n" + err).lines().filter(line -> !line.isBlank()).toList();
        }
    }

    public Process start(Map<String, String> env, String... args) throws IOException {
        return start(List.of(), env, args);
    }

    /** Started with JVM options before {@code -jar}, such as {@code -Xmx112m}. */
    public Process start(List<String> jvmOptions, Map<String, String> env, String... args) throws IOException {
        assertTrue(Files.isRegularFile(JAR), "no connector jar at " + JAR + " (run mvn verify, which packages it first)");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("out.log").toFile()).redirectError(workDir.resolve("err.log").toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    public Result run(Map<String, String> env, String... args) throws Exception {
        Process process = start(env, args);
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the command did not finish");
        return output(process.exitValue());
    }

    /** What the process printed so far. */
    public Result output(int exit) throws IOException {
        return new Result(exit, Files.readString(workDir.resolve("out.log"), StandardCharsets.UTF_8),
                Files.readString(workDir.resolve("err.log"), StandardCharsets.UTF_8));
    }

    /** The first answer of {@code url} once the connector listens. */
    public static HttpResponse<String> awaitHttp(String url) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            try {
                return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }
}
