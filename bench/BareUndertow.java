import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The baseline for bench/api-throughput.sh: Undertow answering a fixed small JSON body on its IO thread, with
 * Undertow's defaults. What Granary adds on top (auth, routing, a database read, JSON) shows as the difference.
 * Run as a single source file: java -cp <undertow jars> bench/BareUndertow.java PORT
 */
public final class BareUndertow {
    public static void main(String[] args) {
        ByteBuffer body = ByteBuffer.wrap("{\"id\":\"3f2c1a9e-0000-4000-8000-000000000000\",\"status\":\"VALID\"}"
                .getBytes(StandardCharsets.UTF_8));
        Undertow.builder()
                .addHttpListener(Integer.parseInt(args[0]), "127.0.0.1")
                .setHandler(exchange -> {
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                    exchange.getResponseSender().send(body.duplicate());
                })
                .build().start();
        System.out.println("baseline listening on " + args[0]);
    }
}
