package io.granary.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The JDK's HttpServer on a free loopback port, with TCP_NODELAY. Without it the server's separate header and
 * body writes meet the client's delayed ACK (Nagle), and every answer arrives about 40 ms late: the refresh-storm
 * benchmark measured that instead of Granary (a 50 ms fake provider answered in 93 ms).
 */
public final class LoopbackHttpServer {

    static {
        // Read once, when the JDK's server configuration loads: this must run before the first server is created.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private LoopbackHttpServer() {
    }

    public static HttpServer create(int backlog) throws IOException {
        return HttpServer.create(new InetSocketAddress("127.0.0.1", 0), backlog);
    }
}
