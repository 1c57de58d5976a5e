/** Wires core, storage, HTTP and the provider plugins into one runnable service. */
module io.granary.app {
    requires io.granary.core;
    requires io.granary.adapter.sqlite;
    requires io.granary.adapter.http;
    requires org.slf4j;

    uses io.granary.core.spi.ProviderAdapter;
}
