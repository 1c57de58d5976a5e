package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.service.ProviderRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code java -jar granary.jar providers} marks the providers whose defaults no public source confirms. */
final class ProvidersListingTest {

    @Test
    void listing_marksClaasRavenAgvanceAndPanoramaUnverified_andTheOthersSourced() {
        List<String> lines = listing();

        for (String id : List.of("CLAAS", "Raven", "Agvance", "Panorama")) {
            String line = line(lines, id);
            assertTrue(line.contains("UNVERIFIED"), line);
            assertTrue(line.contains("GRANARY_PROVIDER_"), line);
        }
        for (String id : List.of("JohnDeere", "ClimateFieldView", "CNHI", "Trimble", "AgLeader", "RavenSlingshot", "Stara", "Sentera")) {
            String line = line(lines, id);
            assertTrue(line.contains("\tsourced (see docs/providers.md)\t"), line);
        }
    }

    private static List<String> listing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Main.printProviders(ProviderRegistry.load(name -> null), false, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return Arrays.asList(bytes.toString(StandardCharsets.UTF_8).split("\n"));
    }

    private static String line(List<String> lines, String id) {
        return lines.stream().filter(l -> l.startsWith(id + "\t")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + id + " in " + lines));
    }
}
