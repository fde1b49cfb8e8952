package railyard.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * What the project's log4j2 configuration prints while this is open: each event that passes a
 * logger's level, formatted by the layouts of the appenders it reaches, as a user sees it.
 */
public final class CapturedLog implements AutoCloseable {
  /** A line of a Java stack trace, e.g. {@code at a.b.C.d(C.java:12) ~[c.jar:1.0]}. */
  private static final Pattern FRAME =
      Pattern.compile(
          "(?m)^\\s*(at\\s+)?[\\w$./]+\\((?:[\\w$]+\\.java:\\d+|Native Method|Unknown Source)\\)"
              + "(\\s*~?\\[[^\\]]*\\])?\\s*$");

  private final List<String> printed = new CopyOnWriteArrayList<>();
  private final List<Tap> taps = new ArrayList<>();

  private CapturedLog() {}

  /** Starts capturing at every configured logger, additive or not. */
  public static CapturedLog open() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration configuration = context.getConfiguration();
    CapturedLog log = new CapturedLog();
    List<LoggerConfig> loggers = new ArrayList<>(configuration.getLoggers().values());
    if (!loggers.contains(configuration.getRootLogger())) {
      loggers.add(configuration.getRootLogger());
    }
    for (LoggerConfig logger : loggers) {
      Tap tap = log.new Tap(configuration, logger);
      tap.start();
      logger.addAppender(tap, null, null);
      log.taps.add(tap);
    }
    context.updateLoggers();
    return log;
  }

  /** Everything printed that holds a stack trace. */
  public List<String> stackTraces() {
    return printed.stream().filter(line -> FRAME.matcher(line).find()).toList();
  }

  /** Everything printed, in order. */
  public List<String> printed() {
    return List.copyOf(printed);
  }

  @Override
  public void close() {
    for (Tap tap : taps) {
      tap.logger.removeAppender(tap.getName());
      tap.stop();
    }
    ((LoggerContext) LogManager.getContext(false)).updateLoggers();
  }

  /** Sees the events logged at its logger config and formats them as its appenders would. */
  private final class Tap extends AbstractAppender {
    private final Configuration configuration;
    private final LoggerConfig logger;

    Tap(Configuration configuration, LoggerConfig logger) {
      super("captured-" + System.identityHashCode(logger), null, null, true, Property.EMPTY_ARRAY);
      this.configuration = configuration;
      this.logger = logger;
    }

    @Override
    public void append(LogEvent event) {
      if (configuration.getLoggerConfig(event.getLoggerName()) != logger) {
        return; // passed up from a child logger: its own tap formats it
      }
      for (LoggerConfig config = logger; config != null; config = config.getParent()) {
        for (Appender appender : config.getAppenders().values()) {
          if (!(appender instanceof Tap) && appender.getLayout() != null) {
            printed.add(appender.getLayout().toSerializable(event).toString());
          }
        }
        if (!config.isAdditive()) {
          break;
        }
      }
    }
  }
}
