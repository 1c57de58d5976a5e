import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The baseline for bench/api-throughput.sh: Undertow answering a fixed small JSON body with Undertow's defaults.
 * With "io" (the default) it answers on the IO thread; with "worker" it first hands the request to a worker thread
 * in blocking mode, as any handler that reads a database must. What Granary adds on top (auth, routing, database
 * reads, JSON) shows as the difference.
 * Run as a single source file: java -cp <undertow jars> bench/BareUndertow.java PORT [io|worker]
 */
public final class BareUndertow {
    public static void main(String[] args) {
        ByteBuffer body = ByteBuffer.wrap("{\"id\":\"3f2c1a9e-0000-4000-8000-000000000000\",\"status\":\"VALID\"}"
                .getBytes(StandardCharsets.UTF_8));
        HttpHandler answer = exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send(body.duplicate());
        };
        boolean worker = args.length > 1 && args[1].equals("worker");
        Undertow.builder()
                .addHttpListener(Integer.parseInt(args[0]), "127.0.0.1")
                .setHandler(worker ? new BlockingHandler(answer) : answer)
                .build().start();
        System.out.println("baseline (" + (worker ? "worker" : "io") + ") listening on " + args[0]);
    }
}
