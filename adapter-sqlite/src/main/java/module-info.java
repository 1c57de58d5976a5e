/** SQLite storage through Jdbi: implements core's storage ports. */
module io.granary.adapter.sqlite {
    requires io.granary.core;
    requires org.jdbi.v3.core;
    requires org.xerial.sqlitejdbc;
    requires org.slf4j;
    requires java.sql;

    exports io.granary.adapter.sqlite;
}
