/** Wires core, storage, HTTP and the provider plugins into one runnable service. */
module io.granary.app {
    requires io.granary.core;
    requires io.granary.adapter.sqlite;
    requires io.granary.adapter.postgres;
    requires java.sql;
    requires io.granary.adapter.http;
    requires io.granary.provider.sandbox;
    requires org.slf4j;
    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;
    requires micrometer.core;
    requires micrometer.registry.prometheus;

    uses io.granary.spi.ProviderAdapter;
}
