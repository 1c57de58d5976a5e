package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13, section 6: found when tried as a new user would. */
class OperatingSafetyIT {

    @TempDir
    Path dir;

    @Test
    void rotateKey_isRefusedWhileAServiceRuns_andRunsOnceItCrashed_andEveryDataFileIsOwnerOnly() throws Exception {
        Path data = dir.resolve("data");
        GranaryProcess service = new GranaryProcess(data, Map.of()).start();
        try {
            Path keyFile = data.resolve(MasterKeys.GENERATED_FILE);
            String key = Files.readString(keyFile);

            GranaryProcess.CommandResult refused = new GranaryProcess(data, Map.of()).run(Map.of(), "rotate-key");
            assertEquals(1, refused.exitCode(), refused.output());
            assertTrue(refused.output().contains("rotate-key refused: a Granary service is running on"), refused.output());
            assertFalse(refused.output().contains("\tat "), "one line, no stack trace:\n" + refused.output());
            assertEquals(key, Files.readString(keyFile), "the key ring is untouched");

            try (Stream<Path> files = Files.list(data)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.getFileName().toString());
                }
            }
            assertTrue(Files.exists(data.resolve("granary.db-wal")), "the WAL was among the files checked");
        } finally {
            service.kill(); // a crash: the OS releases the lock
        }
        GranaryProcess.CommandResult rotated = new GranaryProcess(data, Map.of()).run(Map.of(), "rotate-key");
        assertEquals(0, rotated.exitCode(), rotated.output());
    }

    @Test
    void aSecondInstanceOnATakenPort_stopsInOneLineNamingGranaryPort() throws Exception {
        try (GranaryProcess first = new GranaryProcess(dir.resolve("first"), Map.of()).start()) {
            GranaryProcess.CommandResult second = new GranaryProcess(dir.resolve("second"), Map.of())
                    .run(Map.of("GRANARY_PORT", String.valueOf(first.port())), "serve");
            assertEquals(1, second.exitCode(), second.output());
            List<String> errors = second.output().lines().filter(line -> line.contains("ERROR")).toList();
            assertEquals(1, errors.size(), second.output());
            assertTrue(errors.get(0).contains("GRANARY_PORT"), second.output());
            assertFalse(second.output().contains("\tat "), "no stack trace:\n" + second.output());
        }
    }
}
