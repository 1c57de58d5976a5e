package io.granary.adapter.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.granary.adapter.postgres.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

final class TestPostgresTest {

    @Test
    void startsARealPostgresAndGivesEachTestItsOwnDatabase() throws Exception {
        TestPostgres.Database a = TestPostgres.newDatabase();
        TestPostgres.Database b = TestPostgres.newDatabase();
        try (Connection c = a.connect(); ResultSet rs = c.createStatement().executeQuery("SELECT current_database(), current_setting('server_version_num')::int")) {
            rs.next();
            assertEquals(a.name(), rs.getString(1));
            System.out.println("PostgreSQL " + rs.getInt(2));
        }
        try (Connection c = b.connect(); ResultSet rs = c.createStatement().executeQuery("SELECT current_database()")) {
            rs.next();
            assertEquals(b.name(), rs.getString(1));
        }
    }
}
