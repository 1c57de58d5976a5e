package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

final class BatchingConsoleAppenderTest {

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private LoggerContext context;
    private BatchingConsoleAppender appender;
    private Logger logger;

    @BeforeEach
    void start() {
        originalOut = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter()); // the one org.slf4j.MDC writes to
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %X{requestId:-} %msg%n");
        encoder.start();
        appender = new BatchingConsoleAppender();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
        logger = context.getLogger("test");
        logger.addAppender(appender);
    }

    @AfterEach
    void stop() {
        appender.stop();
        context.stop();
        System.setOut(originalOut);
    }

    private String output() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    private void awaitOutput(String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!output().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    @Test
    void everyLineFromManyThreads_isWrittenOnce_inEachThreadsOrder_byTheTimeStopReturns() throws Exception {
        int threads = 4;
        int lines = 20_000; // more than the queue holds: loggers must wait for room, not drop
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < lines; i++) {
                    logger.info("t{} line {}", thread, i);
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        appender.stop();

        String[] written = output().split("\n");
        assertEquals(threads * lines, written.length);
        int[] next = new int[threads];
        for (String line : written) {
            String[] parts = line.split(" ");
            int thread = Integer.parseInt(parts[2].substring(1));
            assertEquals(next[thread]++, Integer.parseInt(parts[4]), "out of order: " + line);
        }
    }

    @Test
    void aLineAppearsWithoutStopping_withTheMdcOfTheThreadThatLoggedIt() throws Exception {
        MDC.put("requestId", "req-1");
        try {
            logger.info("hello");
        } finally {
            MDC.remove("requestId");
        }
        awaitOutput("hello");
        assertEquals("INFO req-1 hello\n", output());
    }

    @Test
    void aLineThatGotPastTheStartedCheckBeforeStop_isStillWritten() {
        appender.stop(); // the writer thread has made its last round
        // What a logging thread does if stop() ran between doAppend's started check and append().
        appender.append(new ch.qos.logback.classic.spi.LoggingEvent(getClass().getName(), logger,
                ch.qos.logback.classic.Level.INFO, "late", null, null));
        assertEquals("INFO  late\n", output());
    }
}
