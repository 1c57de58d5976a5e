/** PostgreSQL storage through Jdbi: implements core's storage ports for several instances on one database. */
module io.granary.adapter.postgres {
    requires io.granary.core;
    requires org.jdbi.v3.core;
    requires org.postgresql.jdbc;
    requires com.zaxxer.hikari;
    requires org.slf4j;
    requires java.sql;

    exports io.granary.adapter.postgres;
}
