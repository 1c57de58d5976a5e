package io.granary.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Log lines to standard output: each is formatted on the thread that logs it, queued, and written by one
 * background thread in batches, one system call per batch. The writer wakes every {@value #FLUSH_MILLIS} ms, and
 * at once for a warning or an error. Nothing is dropped: when the queue is full, logging waits for room.
 *
 * <p>Why not Logback's AsyncAppender in front of a ConsoleAppender: it hands each event to its worker, which is
 * woken for it, formats it and writes and flushes it alone. With an access-log line per request, that was a fifth of
 * the throughput of reads answered from memory on 2 cores (bench/api-throughput.sh, same build: 36-38k req/s with
 * it, 45k with this). A synchronous appender is no answer: a slow stdout (a pipe, a busy disk) would stall
 * Undertow's IO threads. Formatting on the logging thread is what Logback's synchronous appenders do as well;
 * its encoders are safe to share between threads.
 */
public final class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    static final int FLUSH_MILLIS = 20;
    private static final int QUEUE_SIZE = 8192;
    private static final long STOP_WAIT_MILLIS = 5_000;

    /** Lines already encoded: the writer thread only joins and writes them. */
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_SIZE);
    private Encoder<ILoggingEvent> encoder;
    private Thread writer;
    private volatile boolean running;

    /** Set from logback.xml's {@code <encoder>}. */
    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("no encoder set for " + name);
            return;
        }
        running = true;
        writer = new Thread(this::writeLoop, "granary-log-writer");
        writer.setDaemon(true);
        writer.start();
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        byte[] line;
        try {
            line = encoder.encode(event); // here, on the logging thread: handing the event over cost more than this
        } catch (RuntimeException e) {
            addError("could not encode a log line", e);
            return;
        }
        boolean urgent = event.getLevel().isGreaterOrEqual(Level.WARN);
        if (!queue.offer(line)) {
            urgent = true;
            LockSupport.unpark(writer);
            putWaiting(line);
        }
        if (!running) {
            writeQueued(); // stop() may have begun after this line got past its check: the writer may be gone
        } else if (urgent) {
            LockSupport.unpark(writer);
        }
    }

    private void putWaiting(byte[] line) {
        boolean interrupted = false;
        while (true) {
            try {
                if (queue.offer(line, 100, TimeUnit.MILLISECONDS)) {
                    break;
                }
                if (!writer.isAlive()) {
                    writeQueued(); // the writer is gone (stopped, or killed by an Error): make room here
                }
            } catch (InterruptedException e) {
                interrupted = true; // a line is not lost to an interrupt; the caller still sees it afterwards
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        while (true) {
            boolean lastRound = !running; // read before draining: after stop, one more full drain
            boolean wrote;
            try {
                wrote = writeQueued();
            } catch (Throwable e) {
                // Even an Error must not end this thread: loggers would then wait on a full queue for ever.
                addError("could not write log lines", e);
                wrote = true;
            }
            if (!wrote) {
                if (lastRound) {
                    return;
                }
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS));
            }
        }
    }

    /** Writes every line queued now, with one system call; false if there was none. One writer at a time keeps order. */
    private synchronized boolean writeQueued() {
        List<byte[]> batch = new ArrayList<>();
        queue.drainTo(batch);
        if (batch.isEmpty()) {
            return false;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        batch.forEach(bytes::writeBytes);
        byte[] lines = bytes.toByteArray();
        System.out.write(lines, 0, lines.length); // resolved each time: tests and tools may replace System.out
        System.out.flush();
        return true;
    }

    /** Writes whatever is queued (waiting at most {@value #STOP_WAIT_MILLIS} ms), then stops. */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
