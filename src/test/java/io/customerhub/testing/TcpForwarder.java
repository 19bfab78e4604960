package io.customerhub.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A database that is really down, then up: a local port that refuses connections until
 * {@link #start()}, then forwards every connection to {@code target}; {@link #close()} cuts every connection and
 * refuses new ones until it is started again.
 */
public final class TcpForwarder implements AutoCloseable {

    private final int port;
    private final int target;
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;

    public TcpForwarder(int target) throws IOException {
        this.target = target;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** Accepts connections (again, after {@link #close}) and forwards them. */
    public void start() throws IOException {
        server = new ServerSocket(port);
        Thread acceptor = new Thread(() -> {
            try {
                while (!server.isClosed()) {
                    Socket client = server.accept();
                    Socket upstream = new Socket("127.0.0.1", target);
                    open.add(client);
                    open.add(upstream);
                    pipe(client.getInputStream(), upstream.getOutputStream());
                    pipe(upstream.getInputStream(), client.getOutputStream());
                }
            } catch (IOException e) {
                // closed
            }
        }, "tcp-forwarder-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void pipe(InputStream in, OutputStream out) {
        Thread thread = new Thread(() -> {
            try (in; out) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close();
        }
        for (AutoCloseable socket : open) {
            socket.close();
        }
    }
}
