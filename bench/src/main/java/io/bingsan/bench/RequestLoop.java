package io.bingsan.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Closed-loop workers whose operations are each one GET, driven from one thread over non-blocking
 * keep-alive connections, one per worker, as {@code wrk} drives them. The bodies are framed and
 * dropped; a worker sends its next request as soon as its last answer is complete.
 */
final class RequestLoop implements AutoCloseable {
  /** What each worker sends. */
  interface Requests {
    /** Worker {@code worker}'s next request, whole, as {@link HttpTarget#get} builds it. */
    byte[] next(int worker);

    /** Sees each answer's status, on the loop's thread. */
    default void answered(int status) {}
  }

  /** How often the loop looks for requests that have waited too long. */
  private static final long TIMEOUT_CHECK_MILLIS = 100;

  private static final long TIMEOUT_NANOS =
      TimeUnit.MILLISECONDS.toNanos(HttpConnection.TIMEOUT_MILLIS);

  private final HttpTarget target;
  private final Requests requests;
  private final Selector selector;
  private final List<Exchange> exchanges = new ArrayList<>();

  private RequestLoop(HttpTarget target, Requests requests, Selector selector) {
    this.target = target;
    this.requests = requests;
    this.selector = selector;
  }

  /** Connects {@code concurrency} workers; the loop runs when {@link #drive} is called. */
  static RequestLoop open(HttpTarget target, int concurrency, Requests requests)
      throws IOException {
    RequestLoop loop = new RequestLoop(target, requests, Selector.open());
    try {
      for (int worker = 0; worker < concurrency; worker++) {
        Exchange exchange = loop.new Exchange(worker);
        exchange.connect();
        loop.exchanges.add(exchange);
      }
    } catch (IOException e) {
      loop.close();
      throw e;
    }
    return loop;
  }

  /** Runs every worker until the counter stops them, then returns. */
  void drive(ClosedLoop.Counter counter, ClosedLoop.Recorder recorder) {
    int active = 0;
    for (Exchange exchange : exchanges) {
      if (exchange.start(counter, recorder)) {
        active++;
      }
    }
    long nextTimeoutCheck = System.nanoTime();
    while (active > 0) {
      try {
        selector.select(TIMEOUT_CHECK_MILLIS);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (SelectionKey key : selector.selectedKeys()) {
        Exchange exchange = (Exchange) key.attachment();
        if (exchange.advance(key, counter, recorder) && !exchange.start(counter, recorder)) {
          active--;
        }
      }
      selector.selectedKeys().clear();
      long now = System.nanoTime();
      if (now >= nextTimeoutCheck) {
        nextTimeoutCheck = now + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_CHECK_MILLIS);
        for (Exchange exchange : exchanges) {
          if (exchange.timedOut(now, counter, recorder) && !exchange.start(counter, recorder)) {
            active--;
          }
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    for (Exchange exchange : exchanges) {
      exchange.disconnect();
    }
    selector.close();
  }

  /** One worker's connection and the request it has in flight. */
  private final class Exchange {
    private final int worker;
    private final ResponseReader reader = new ResponseReader();
    private final ByteBuffer inbound = ByteBuffer.allocate(64 * 1024);
    private SocketChannel channel;
    private SelectionKey key;
    private ByteBuffer outbound;
    private long begin;
    private boolean inFlight;

    Exchange(int worker) {
      this.worker = worker;
    }

    void connect() throws IOException {
      channel = SocketChannel.open(target.address());
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.configureBlocking(false);
      key = channel.register(selector, SelectionKey.OP_READ, this);
    }

    /** Sends the worker's next request: false once the window is over or it cannot connect. */
    boolean start(ClosedLoop.Counter counter, ClosedLoop.Recorder recorder) {
      begin = System.nanoTime();
      if (!counter.mayStart(begin)) {
        disconnect();
        return false;
      }
      try {
        if (channel == null) {
          connect();
        }
        reader.expect("GET", false);
        outbound = ByteBuffer.wrap(requests.next(worker));
        inFlight = true;
        write();
        return true;
      } catch (IOException e) {
        // Sending again at once would spin on a server that is gone: the worker stops instead.
        fail(e, counter, recorder);
        return false;
      }
    }

    /** Moves the exchange on as its socket allows: true once its answer is complete or failed. */
    boolean advance(SelectionKey ready, ClosedLoop.Counter counter, ClosedLoop.Recorder recorder) {
      try {
        if (ready.isValid() && ready.isWritable()) {
          write();
        }
        if (!ready.isValid() || !ready.isReadable()) {
          return false;
        }
        inbound.clear();
        boolean complete =
            channel.read(inbound) < 0 ? reader.endOfStream() : reader.read(inbound.flip());
        if (complete) {
          inFlight = false;
          requests.answered(reader.status());
          counter.count(recorder, begin, System.nanoTime(), reader.status());
          if (reader.closeAfter()) {
            disconnect();
          }
        }
        return complete;
      } catch (IOException e) {
        fail(e, counter, recorder);
        return true;
      }
    }

    boolean timedOut(long now, ClosedLoop.Counter counter, ClosedLoop.Recorder recorder) {
      if (!inFlight || now - begin < TIMEOUT_NANOS) {
        return false;
      }
      fail(
          new SocketTimeoutException("No answer in " + HttpConnection.TIMEOUT_MILLIS + " ms"),
          counter,
          recorder);
      return true;
    }

    private void write() throws IOException {
      channel.write(outbound);
      int interest = SelectionKey.OP_READ;
      key.interestOps(outbound.hasRemaining() ? interest | SelectionKey.OP_WRITE : interest);
    }

    /** Counts the request as unanswered; the worker reconnects for its next one. */
    private void fail(Exception e, ClosedLoop.Counter counter, ClosedLoop.Recorder recorder) {
      inFlight = false;
      recorder.failed(e);
      counter.count(recorder, begin, System.nanoTime(), ClosedLoop.NO_ANSWER);
      disconnect();
    }

    void disconnect() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // Closing a broken socket fails the same way it broke; nothing is left to release.
        }
        channel = null;
      }
    }
  }
}
