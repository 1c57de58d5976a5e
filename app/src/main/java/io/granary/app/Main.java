package io.granary.app;

import io.granary.core.port.out.Storage;
import io.granary.core.domain.ApiOwner;
import io.granary.core.port.in.ConflictException;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.service.OwnerService;
import io.granary.core.service.PasswordHasher;
import io.granary.core.service.ProviderRegistry;
import io.granary.spi.CredentialField;
import io.granary.spi.ProviderDescriptor;
import java.util.List;
import java.util.stream.Collectors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar granary.jar [serve]} runs the service; {@code rotate-key} re-encrypts every secret under a new
 * master key; {@code owners add|list|disable|enable} manages API owners. Settings come from the environment.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "serve" : args[0];
        int exitCode = 0;
        try {
            Settings settings = Settings.fromEnvironment();
            switch (command) {
                case "serve" -> serve(settings);
                case "rotate-key" -> rotateKey(settings);
                case "migrate" -> MigrateCommand.run(settings, args);
                case "owners" -> owners(settings, args);
                case "providers" -> providers(settings, args.length > 1 && args[1].equals("--markdown"));
                case "help", "--help", "-h" -> usage();
                default -> {
                    usage();
                    exitCode = 2;
                }
            }
        } catch (IllegalStateException | InvalidInputException | ConflictException | NotFoundException e) {
            // Configuration and input problems: one clear line, no stack trace.
            LOG.error("{}", e.getMessage());
            exitCode = 1;
        }
        // Every way out drains the asynchronous log first, or the last lines (often the reason for exiting) are lost.
        flushLogs();
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    private static void serve(Settings settings) {
        Application app = Application.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM and Ctrl-C: finish in-flight requests, close the database, then let the JVM exit.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            flushLogs();
            stopped.countDown();
        }, "granary-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Logging is asynchronous (logback.xml): drain the queue before the JVM exits. */
    private static void flushLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.stop();
        }
    }

    /**
     * With a generated or file key: writes a new key in front of the ring, reseals everything, then drops the old
     * key. A crash in between leaves both keys in the file, so every value still opens; run it again.
     * With GRANARY_MASTER_KEY: the operator supplies the new key there and the old in GRANARY_PREVIOUS_MASTER_KEYS.
     */
    private static void rotateKey(Settings settings) {
        DataDirectory data = new DataDirectory(Path.of(settings.get("GRANARY_DATA_DIR", "granary-data")));
        try (DataDirectoryLock alone = DataDirectoryLock.alone(data, "rotate-key")) {
            rotateKey(settings, data);
        }
    }

    private static void rotateKey(Settings settings, DataDirectory data) {
        MasterKeys keys = MasterKeys.configured(settings, data);
        if (keys.isEmpty()) {
            throw new IllegalStateException("no master key to rotate: the database has never been started");
        }
        MasterKeys ring = keys;
        if (keys.source() != MasterKeys.Source.ENVIRONMENT) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            ring = keys.withNewCurrent(fresh);
            writeRing(data, ring);
        } else if (keys.keys().size() < 2) {
            throw new IllegalStateException("with GRANARY_MASTER_KEY, put the new key there and the old one in GRANARY_PREVIOUS_MASTER_KEYS");
        }
        int resealed;
        try (Storage storage = StorageFactory.configured(settings, data).open(ring.sealer())) {
            storage.verifySealer();
            resealed = storage.resealAll(ring.sealer());
        }
        if (keys.source() != MasterKeys.Source.ENVIRONMENT) {
            writeRing(data, ring.currentOnly());
        }
        LOG.info("re-encrypted {} secret values under key {}", resealed, MasterKeys.keyId(ring.keys().get(0)));
        if (keys.source() == MasterKeys.Source.ENVIRONMENT) {
            LOG.info("you may now remove GRANARY_PREVIOUS_MASTER_KEYS");
        }
    }

    private static void writeRing(DataDirectory data, MasterKeys ring) {
        if (ring.source() == MasterKeys.Source.GENERATED_FILE) {
            data.writePrivate(MasterKeys.GENERATED_FILE, ring.toFileContent());
        } else {
            Path file = Path.of(ring.fileName()).toAbsolutePath();
            new DataDirectory(file.getParent()).writePrivate(file.getFileName().toString(), ring.toFileContent());
        }
    }

    private static void owners(Settings settings, String[] args) {
        String action = args.length > 1 ? args[1] : "list";
        DataDirectory data = new DataDirectory(Path.of(settings.get("GRANARY_DATA_DIR", "granary-data")));
        try (Storage storage = Application.openStorage(settings, data, true)) {
            OwnerService owners = new OwnerService(storage.owners(), new PasswordHasher(), Clock.systemUTC());
            switch (action) {
                case "list" -> {
                    for (ApiOwner owner : owners.list()) {
                        System.out.println(owner.email() + "\t" + (owner.disabled() ? "disabled" : "enabled") + "\t" + owner.createdAt());
                    }
                }
                case "add" -> {
                    String email = argument(args, 2, "owners add EMAIL");
                    // From the environment or standard input, never the command line (it shows in `ps`).
                    String password = settings.get("GRANARY_OWNER_PASSWORD");
                    if (password == null) {
                        password = readLine();
                    }
                    owners.create(email, password);
                    System.out.println("added " + email);
                }
                case "disable", "enable" -> {
                    String email = argument(args, 2, "owners " + action + " EMAIL");
                    owners.setDisabled(email, action.equals("disable"));
                    System.out.println(action + "d " + email + (action.equals("disable") ? "; its tokens stop working at once" : ""));
                }
                default -> throw new IllegalStateException("unknown owners action '" + action + "': use add, list, disable or enable");
            }
        }
    }

    /** Lists the loaded providers, their fields and every endpoint setting with its value now in force. */
    private static void providers(Settings settings, boolean markdown) {
        ProviderRegistry registry = ProviderRegistry.load(settings.asLookup());
        if (markdown) {
            System.out.println("| provider | suffix | auth | environments (default) | POST fields |");
            System.out.println("|---|---|---|---|---|");
        }
        for (ProviderDescriptor p : registry.descriptors()) {
            String fields = p.fields().stream().map(Main::describe).collect(Collectors.joining(", "));
            String environments = p.environments().stream().sorted().map(Enum::name).collect(Collectors.joining(", ")) + " (" + p.defaultEnvironment() + ")";
            System.out.println(markdown
                    ? "| " + p.displayName() + " | `" + p.endpointSuffix() + "` | " + p.authType().label() + " | " + environments + " | " + fields + " |"
                    : p.id() + "\t" + p.endpointSuffix() + "\t" + p.authType().label() + "\t" + environments + "\t" + fields);
        }
        System.out.println(markdown ? "\n| setting | value |\n|---|---|" : "");
        registry.endpointSettings().forEach((name, url) -> System.out.println(markdown ? "| `" + name + "` | " + url + " |" : name + "=" + url));
    }

    private static String describe(CredentialField field) {
        StringBuilder out = new StringBuilder("`" + field.name() + "`");
        List<String> notes = new java.util.ArrayList<>();
        if (field.generatedByGranary()) {
            notes.add("generated");
        } else if (!field.required()) {
            notes.add("optional");
        }
        if (field.secret()) {
            notes.add(switch (field.answer()) {
                case MASKED -> "secret, masked";
                case OMITTED -> "secret, never returned";
                case CLEAR -> "token, returned";
            });
        }
        if (!notes.isEmpty()) {
            out.append(" (").append(String.join("; ", notes)).append(")");
        }
        return out.toString();
    }

    private static String argument(String[] args, int index, String usage) {
        if (args.length <= index) {
            throw new IllegalStateException("usage: java -jar granary.jar " + usage);
        }
        return args[index];
    }

    private static String readLine() {
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new IllegalStateException("give the password in GRANARY_OWNER_PASSWORD or on standard input");
            }
            return line;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the password from standard input");
        }
    }

    private static void usage() {
        System.out.println("""
                usage: java -jar granary.jar [command]
                  serve                      run the service (default)
                  rotate-key                 re-encrypt every stored secret under a new master key (refused while a service runs)
                  migrate --to JDBC_URL      copy this data directory's SQLite database into an empty PostgreSQL database
                  owners list                list API owners
                  owners add EMAIL           add an API owner; password from GRANARY_OWNER_PASSWORD or standard input
                  owners disable EMAIL       disable an API owner; its tokens stop working at once
                  owners enable EMAIL        enable it again
                  providers [--markdown]     list loaded providers, their fields and endpoint settings
                settings are environment variables; see README.md""");
    }
}
