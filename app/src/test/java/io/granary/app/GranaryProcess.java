package io.granary.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real granary.jar run as a separate process, as an operator would run it. */
final class GranaryProcess implements AutoCloseable {

    static final String ADMIN_EMAIL = "owner@farmapp.example";
    static final String ADMIN_PASSWORD = "correct horse battery staple";

    private final Path dataDir;
    private final Path log;
    private final Map<String, String> environment;
    private final int port;
    private Process process;

    GranaryProcess(Path dataDir, Map<String, String> settings) throws IOException {
        this.dataDir = dataDir;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        this.port = freePort();
        this.environment = new HashMap<>(settings);
        environment.put("GRANARY_PORT", String.valueOf(port));
        environment.put("GRANARY_DATA_DIR", dataDir.toString());
        environment.putIfAbsent("GRANARY_ADMIN_EMAIL", ADMIN_EMAIL);
        environment.putIfAbsent("GRANARY_ADMIN_PASSWORD", ADMIN_PASSWORD);
        environment.putIfAbsent("GRANARY_PUBLIC_URL", "http://127.0.0.1:" + port);
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("granary.jar", "target/granary.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run `mvn verify` (the IT needs the packaged jar)");
        }
        return jar;
    }

    GranaryProcess start() throws Exception {
        process = command(List.of()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("granary exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/services/usermanagement/api/providers")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 401) {
                    return this;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("granary did not start within 60 s:\n" + log());
    }

    /** Runs a command of the jar (e.g. {@code owners add}) against the same data directory and settings. */
    CommandResult run(Map<String, String> extraEnvironment, String... args) throws Exception {
        return runWithInput(extraEnvironment, null, args);
    }

    /** As {@link #run}, writing {@code input} (if not null) to the command's standard input. */
    CommandResult runWithInput(Map<String, String> extraEnvironment, String input, String... args) throws Exception {
        ProcessBuilder builder = command(List.of(args)).redirectErrorStream(true);
        builder.environment().putAll(extraEnvironment);
        Process command = builder.start();
        if (input != null) {
            command.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        command.getOutputStream().close();
        String output = new String(command.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!command.waitFor(60, TimeUnit.SECONDS)) {
            command.destroyForcibly();
            throw new IllegalStateException("command did not finish: " + List.of(args));
        }
        return new CommandResult(command.exitValue(), output);
    }

    record CommandResult(int exitCode, String output) {
    }

    private ProcessBuilder command(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // For profiling under the bench scripts, e.g. -Dgranary.jvmArgs="-XX:+PreserveFramePointer".
        String jvmArgs = System.getProperty("granary.jvmArgs", "").trim();
        if (!jvmArgs.isEmpty()) {
            command.addAll(List.of(jvmArgs.split("\\s+")));
        }
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("GRANARY_"));
        builder.environment().putAll(environment);
        return builder;
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** A sample of {@code /metrics}, named as printed (with its labels, if any), e.g. {@code granary_x_total}. */
    double metric(String sample) throws Exception {
        String text = new ApiClient(baseUrl()).get("/metrics").body();
        return text.lines().filter(line -> line.startsWith(sample + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(sample.length() + 1).trim())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + sample + " in /metrics"));
    }

    Path dataDir() {
        return dataDir;
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** SIGTERM, as a service manager sends it; returns the exit code. */
    int stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return process == null ? -1 : process.exitValue();
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("granary did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no graceful drain, as a power cut or the OOM killer would do it. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("granary survived SIGKILL for 30 s");
            }
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static Duration seconds(long n) {
        return Duration.ofSeconds(n);
    }
}
