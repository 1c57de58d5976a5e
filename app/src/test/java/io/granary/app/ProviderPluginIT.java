package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.granary.testkit.FakeTokenServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third party's provider, built the way its author would build it and dropped into the plugins directory of the
 * real granary.jar. Granary's SPI and test kit are installed from a copy of the sources into a private local
 * repository (never ~/.m2, which other builds share); Maven reads everything else from ~/.m2 as a file://
 * repository first, so little or nothing is downloaded. Then {@code mvn package} builds examples/provider-example, running its own tests.
 */
final class ProviderPluginIT {

    private static final String JAR = "acme-provider-1.0.0.jar";
    private static final Set<String> NOT_COPIED = Set.of("target", ".git", "examples", "bench", "docs");

    @TempDir
    Path dir;

    @Test
    void examplePlugin_loadsFromThePluginsDirectory_andItsCredentialTurnsValidWithTheRotatedTokenStored() throws Exception {
        String mvn = onPath("mvn");
        assumeTrue(mvn != null, "mvn is not on PATH: ProviderPluginIT cannot build examples/provider-example, skipped");
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path granarySources = copy(root, dir.resolve("granary"));
        Path example = copy(root.resolve("examples").resolve("provider-example"), dir.resolve("provider-example"));
        Maven maven = new Maven(mvn, Path.of("target", "plugin-it-repo").toAbsolutePath(), cacheFirstSettings());

        // README: "mvn -B install -DskipTests" in Granary's root; only the parent, the SPI and the kit are needed here.
        maven.run(granarySources, "-pl", ".,spi,provider-testkit", "install", "-DskipTests");
        maven.run(example, "package");

        Path plugins = Files.createDirectories(dir.resolve("data").resolve("plugins"));
        Files.copy(example.resolve("target").resolve(JAR), plugins.resolve(JAR));
        try (FakeTokenServer fake = new FakeTokenServer(4);
             GranaryProcess granary = new GranaryProcess(dir.resolve("data"), Map.of(
                     "GRANARY_PROVIDER_ACME_PRODUCTION_TOKEN_URL", fake.tokenUrl(),
                     "GRANARY_PROVIDER_ACME_PRODUCTION_API_URL", fake.baseUrl(),
                     // to read the stored refresh token back
                     "GRANARY_REVEAL_SECRETS", "true")).start()) {
            ApiClient api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
            Map<String, String> origins = new java.util.HashMap<>();
            api.get("/services/usermanagement/api/providers").json().forEach(p -> origins.put(p.get("id").asText(), p.get("origin").asText()));
            assertEquals(JAR, origins.get("Acme"));
            assertEquals("built-in", origins.get("Trimble"));

            String userId = api.post("/services/usermanagement/api/users", "{\"name\":\"Ann\"}").json().get("id").asText();
            String path = "/services/usermanagement/api/users/" + userId + "/acme-credentials";
            String firstToken = fake.newGrant();
            assertEquals(201, api.post(path, "{\"clientId\":\"" + FakeTokenServer.CLIENT_ID + "\",\"clientSecret\":\""
                    + FakeTokenServer.CLIENT_SECRET + "\",\"refreshToken\":\"" + firstToken + "\"}").status());

            JsonNode credential = MetricsIT.waitFor(() -> api.get(path).json(), c -> c.get("status").asText().equals("VALID"));
            assertNotEquals(firstToken, credential.get("refreshToken").asText(), "the token was rotated");
            assertEquals(fake.currentRefreshToken(firstToken), credential.get("refreshToken").asText(), "the rotated token is stored");

            GranaryProcess.CommandResult listed = granary.run(Map.of(), "providers");
            assertTrue(listed.output().lines().anyMatch(line -> line.startsWith("Acme\tacme-credentials\t") && line.endsWith("\t" + JAR)),
                    listed.output());
        }
    }

    @Test
    void aJarThatCannotBeLoaded_stopsStartUp_withOneLineNamingIt() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("data").resolve("plugins"));
        Files.writeString(plugins.resolve("broken.jar"), "not a jar");

        // start() fails if the process exits before serving, and does not wait for one that serves by mistake.
        try (GranaryProcess granary = new GranaryProcess(dir.resolve("data"), Map.of())) {
            IllegalStateException exited = assertThrows(IllegalStateException.class, granary::start);

            String log = granary.log();
            assertTrue(exited.getMessage().startsWith("granary exited with 1"), exited.getMessage());
            assertEquals(1, log.lines().filter(line -> line.contains("broken.jar")).count(), log);
            assertTrue(log.contains("cannot load plugin broken.jar: not a readable jar"), log);
            assertTrue(log.lines().noneMatch(line -> line.startsWith("\tat ")), "no stack trace: " + log);
        }
    }

    /** Maven with a private local repository that reads released artifacts from ~/.m2 first (see cacheFirstSettings). */
    private record Maven(String executable, Path repository, Path settings) {

        void run(Path project, String... goals) throws Exception {
            List<String> command = new ArrayList<>(List.of(executable, "-B", "-ntp", "-q", "-s", settings.toString(),
                    "-Dmaven.repo.local=" + repository));
            command.addAll(List.of(goals));
            Path log = Files.createTempFile(project.getParent(), "mvn", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("MAVEN_OPTS", "-Xmx512m");
            Process process = builder.start();
            if (!process.waitFor(4, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("mvn " + String.join(" ", goals) + " did not finish within 4 minutes:\n" + Files.readString(log));
            }
            assertEquals(0, process.exitValue(), () -> "mvn " + String.join(" ", goals) + " in " + project + " failed:\n" + read(log));
        }
    }

    /**
     * ~/.m2 as a file:// repository tried before Maven Central (settings-profile repositories come first), so what the
     * outer build already fetched is copied, not downloaded; what it never needed (maven-install-plugin on a fresh
     * CI machine) still comes from Central.
     */
    private Path cacheFirstSettings() throws IOException {
        String cache = Path.of(System.getProperty("user.home"), ".m2", "repository").toUri().toString();
        return Files.writeString(dir.resolve("settings.xml"), """
                <settings>
                  <profiles>
                    <profile>
                      <id>local-cache</id>
                      <repositories><repository><id>local-cache</id><url>%1$s</url></repository></repositories>
                      <pluginRepositories><pluginRepository><id>local-cache</id><url>%1$s</url></pluginRepository></pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>local-cache</activeProfile></activeProfiles>
                </settings>
                """.formatted(cache));
    }

    /** The sources of a directory tree, without build output. */
    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(file);
                if (relative.toString().isEmpty()) {
                    Files.createDirectories(to);
                    continue;
                }
                boolean skipped = false;
                for (Path part : relative) {
                    skipped |= NOT_COPIED.contains(part.toString());
                }
                if (skipped) {
                    continue;
                }
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to.resolve(relative.toString()));
                } else {
                    Files.copy(file, to.resolve(relative.toString()));
                }
            }
        }
        return to;
    }

    private static String onPath(String program) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
