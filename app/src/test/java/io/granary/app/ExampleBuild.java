package io.granary.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds a project under {@code examples/} the way a user would: {@code mvn install} of the Granary modules it
 * needs into a private local repository, then {@code mvn verify} of the example against that repository. The
 * private repository reads everything else from this build's local repository (as a file:// remote), so nothing
 * is downloaded twice and the shared repository is never written.
 */
final class ExampleBuild {

    private final Path root = Path.of(System.getProperty("granary.root", "..")).toAbsolutePath().normalize();
    private final Path work;
    private final Path settings;

    ExampleBuild(Path work) throws IOException {
        this.work = work;
        String cache = System.getProperty("granary.localRepository", System.getProperty("user.home") + "/.m2/repository");
        this.settings = work.resolve("settings.xml");
        Files.writeString(settings, """
                <settings>
                  <profiles><profile><id>build-cache</id>
                    <repositories><repository><id>build-cache</id><url>%1$s</url></repository></repositories>
                    <pluginRepositories><pluginRepository><id>build-cache</id><url>%1$s</url></pluginRepository></pluginRepositories>
                  </profile></profiles>
                  <activeProfiles><activeProfile>build-cache</activeProfile></activeProfiles>
                </settings>
                """.formatted(Path.of(cache).toUri()), StandardCharsets.UTF_8);
    }

    /** {@code mvn install} of these Granary modules (and what they need), tests skipped: they ran in this build. */
    void installGranary(String... modules) throws Exception {
        mvn(root, "install", "-pl", String.join(",", modules), "-am", "-Dmaven.test.skip=true");
    }

    /** {@code mvn verify} of {@code examples/<name>}, its own tests included. @return the build's output */
    String verifyExample(String name) throws Exception {
        return mvn(root.resolve("examples").resolve(name), "verify");
    }

    private String mvn(Path dir, String... goals) throws Exception {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-ntp", "-s", settings.toString(),
                "-Dmaven.repo.local=" + work.resolve("repo")));
        command.addAll(List.of(goals));
        Path log = Files.createTempFile(work, "mvn", ".log");
        Process mvn = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!mvn.waitFor(5, TimeUnit.MINUTES)) {
            mvn.destroyForcibly();
            throw new AssertionError("mvn " + String.join(" ", goals) + " in " + dir + " took over 5 minutes");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (mvn.exitValue() != 0) {
            throw new AssertionError("mvn " + String.join(" ", goals) + " in " + dir + " failed:\n" + output);
        }
        return output;
    }
}
