/** SQLite storage through Jdbi: implements core's storage ports. Only the entry class is exported. */
module io.granary.adapter.sqlite {
    requires io.granary.core;
    requires org.jdbi.v3.core;
    requires org.xerial.sqlitejdbc;
    requires com.zaxxer.hikari;
    requires org.slf4j;
    requires java.sql;

    exports io.granary.adapter.sqlite;
}
