package io.bingsan.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.logging.common.AppenderFactory;
import io.dropwizard.logging.common.ConsoleAppenderFactory;
import io.dropwizard.logging.common.async.AsyncLoggingEventAppenderFactory;
import io.dropwizard.logging.common.filter.NullLevelFilterFactory;
import io.dropwizard.request.logging.RequestLogFactory;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.RequestLog;
import org.slf4j.LoggerFactory;

/**
 * {@code requestLog: {type: ncsa}}: one line per request in the NCSA combined format with the
 * query string and the time taken in milliseconds, formatted by Jetty and written in batches by
 * {@link BatchedLogWriter}. Dropwizard's default (logback-access) copies every header and
 * parameter of each request for later formatting, which cost the server a sixth of its CPU per
 * cached table load; its {@code classic} type leaves the query string out of the line. The
 * appenders run on that writer's thread, so their own queue settings ({@code queueSize}, {@code
 * discardingThreshold}, {@code neverBlock}) do not apply: {@code maxQueuedLines} bounds the lines
 * waiting, and lines beyond it are dropped and counted.
 */
@JsonTypeName("ncsa")
public final class NcsaRequestLogFactory implements RequestLogFactory<RequestLog> {
  private static final String LOGGER = "http.request";

  @NotNull private TimeZone timeZone = TimeZone.getTimeZone("UTC");

  @Valid @NotNull
  private List<AppenderFactory<ILoggingEvent>> appenders = List.of(new ConsoleAppenderFactory<>());

  @NotNull private Duration flushInterval = Duration.milliseconds(200);

  @Min(1)
  @Max(1 << 24)
  private int maxQueuedLines = 65_536;

  /** The line's format, in Jetty's {@link CustomRequestLog} notation. */
  static String format(TimeZone timeZone) {
    return "%{client}a - %u %{dd/MMM/yyyy:HH:mm:ss Z|" + timeZone.getID() + "}t"
        + " \"%m %U%q %H\" %s %O \"%{Referer}i\" \"%{User-Agent}i\" %{ms}T";
  }

  @Override
  public boolean isEnabled() {
    return !appenders.isEmpty();
  }

  @Override
  public RequestLog build(String name) {
    Logger logger = (Logger) LoggerFactory.getLogger(LOGGER);
    // The lines go to these appenders only, not also to the application's log.
    logger.setAdditive(false);
    LoggerContext context = logger.getLoggerContext();
    AppenderAttachableImpl<ILoggingEvent> attached = new AppenderAttachableImpl<>();
    for (AppenderFactory<ILoggingEvent> appender : appenders) {
      withoutAsyncQueue(
              appender.build(
                  context,
                  name,
                  (loggerContext, zone) -> messageOnly(loggerContext),
                  new NullLevelFilterFactory<>(),
                  new AsyncLoggingEventAppenderFactory()))
          .forEach(attached::addAppender);
    }
    BatchedLogWriter writer =
        new BatchedLogWriter(
            context, LOGGER, attached, flushInterval.toJavaDuration(), maxQueuedLines);
    return new CustomRequestLog(writer, format(timeZone));
  }

  /**
   * The appenders Dropwizard wrapped in an {@link AsyncAppenderBase}, taken out of it. That queue
   * (256 events by default) silently discards INFO events once it is four-fifths full, which a
   * batch of lines always fills; {@link BatchedLogWriter}'s own thread already keeps appending off
   * the request threads, and its queue counts what it drops.
   */
  private static List<Appender<ILoggingEvent>> withoutAsyncQueue(
      Appender<ILoggingEvent> appender) {
    if (!(appender instanceof AsyncAppenderBase<ILoggingEvent> async)) {
      return List.of(appender);
    }
    List<Appender<ILoggingEvent>> wrapped = new ArrayList<>();
    async.iteratorForAppenders().forEachRemaining(wrapped::add);
    // Detached first: the queue's worker stops the appenders still attached when it ends.
    wrapped.forEach(async::detachAppender);
    async.stop();
    return wrapped;
  }

  private static PatternLayout messageOnly(LoggerContext context) {
    PatternLayout layout = new MessageLineLayout();
    layout.setContext(context);
    layout.setPattern("%msg%n");
    return layout;
  }

  /**
   * {@code %msg%n} spelled directly: a pattern builds each event in a fresh 256-byte buffer and
   * copies it out again, the largest allocation of a request log line.
   */
  private static final class MessageLineLayout extends PatternLayout {
    @Override
    public String doLayout(ILoggingEvent event) {
      return event.getFormattedMessage().concat(CoreConstants.LINE_SEPARATOR);
    }
  }

  @JsonProperty
  public TimeZone getTimeZone() {
    return timeZone;
  }

  @JsonProperty
  public void setTimeZone(TimeZone timeZone) {
    this.timeZone = timeZone;
  }

  @JsonProperty
  public List<AppenderFactory<ILoggingEvent>> getAppenders() {
    return appenders;
  }

  @JsonProperty
  public void setAppenders(List<AppenderFactory<ILoggingEvent>> appenders) {
    this.appenders = List.copyOf(appenders);
  }

  @JsonProperty
  public Duration getFlushInterval() {
    return flushInterval;
  }

  @JsonProperty
  public void setFlushInterval(Duration flushInterval) {
    this.flushInterval = flushInterval;
  }

  @JsonProperty
  public int getMaxQueuedLines() {
    return maxQueuedLines;
  }

  @JsonProperty
  public void setMaxQueuedLines(int maxQueuedLines) {
    this.maxQueuedLines = maxQueuedLines;
  }
}
