/** The HTTP API on Undertow core with Jackson: Leaf-compatible routes over core's use cases. */
module io.granary.adapter.http {
    requires io.granary.core;
    requires undertow.core;
    requires xnio.api;
    requires com.fasterxml.jackson.databind;
    requires com.nimbusds.jose.jwt;
    requires com.github.benmanes.caffeine;
    requires org.slf4j;

    exports io.granary.adapter.http;
}
