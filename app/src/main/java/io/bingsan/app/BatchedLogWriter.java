package io.bingsan.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * Takes request log lines from request threads and hands them to the appenders on a thread of its
 * own, a batch every interval. Handing each line over at once would wake that thread once per
 * request, which cost a tenth of the server's CPU on small loads. When more lines wait than the
 * queue holds, new ones are dropped and counted, and the count is logged with the next batch.
 */
final class BatchedLogWriter extends AbstractLifeCycle implements RequestLog.Writer {
  private final LoggerContext context;
  private final String loggerName;
  private final AppenderAttachableImpl<ILoggingEvent> appenders;
  private final long intervalNanos;
  private final BlockingQueue<String> lines;
  private final AtomicLong dropped = new AtomicLong();
  private Thread flusher;

  BatchedLogWriter(
      LoggerContext context,
      String loggerName,
      AppenderAttachableImpl<ILoggingEvent> appenders,
      Duration interval,
      int maxQueuedLines) {
    this.context = context;
    this.loggerName = loggerName;
    this.appenders = appenders;
    this.intervalNanos = interval.toNanos();
    this.lines = new ArrayBlockingQueue<>(maxQueuedLines);
  }

  @Override
  public void write(String line) {
    if (!lines.offer(line)) {
      dropped.incrementAndGet();
    }
  }

  @Override
  protected void doStart() {
    flusher = Thread.ofPlatform().daemon().name("request-log").start(this::flushEveryInterval);
  }

  @Override
  protected void doStop() throws InterruptedException {
    flusher.interrupt();
    flusher.join();
    flush();
    appenders.detachAndStopAllAppenders();
  }

  private void flushEveryInterval() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        TimeUnit.NANOSECONDS.sleep(intervalNanos);
      } catch (InterruptedException stopping) {
        return;
      }
      flush();
    }
  }

  /** Appends every waiting line, in the order written. */
  void flush() {
    List<String> batch = new ArrayList<>(lines.size());
    lines.drainTo(batch);
    long lost = dropped.getAndSet(0);
    if (lost > 0) {
      batch.add(lost + " request log lines dropped: more were waiting than the queue holds");
    }
    long now = System.currentTimeMillis();
    String thread = Thread.currentThread().getName();
    for (String line : batch) {
      LoggingEvent event = new LoggingEvent();
      // Appenders read the event's MDC through its context.
      event.setLoggerContext(context);
      event.setLevel(Level.INFO);
      event.setLoggerName(loggerName);
      event.setMessage(line);
      event.setTimeStamp(now);
      event.setThreadName(thread);
      appenders.appendLoopOnAppenders(event);
    }
  }
}
