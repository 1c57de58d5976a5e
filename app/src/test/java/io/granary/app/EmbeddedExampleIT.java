package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/embedded builds and passes its own test as a user's project would: Granary embedded with no HTTP server,
 * a credential refreshed on schedule against a local token server, the rotated refresh token in its SQLite file.
 */
class EmbeddedExampleIT {

    @TempDir
    Path work;

    @Test
    void theEmbeddedExampleBuildsAgainstInstalledGranaryArtifacts_andItsTestPasses() throws Exception {
        ExampleBuild build = new ExampleBuild(work);
        build.installGranary("core", "adapter-sqlite", "provider-trimble", "provider-testkit");
        String output = build.verifyExample("embedded");
        assertTrue(output.contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0"), output);
    }
}
