package dev.obscura.examples;

import dev.obscura.transport.s3.S3ProxyServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An s3proxy server for the in-process tool, with its key in the AWS SDK's standard system
 * properties ({@code aws.accessKeyId}/{@code aws.secretAccessKey}), as the environment would
 * give it, for as long as it runs. {@link #close} stops the server and restores the properties.
 * Public for the tests of other packages (hardening).
 */
public final class CliS3Server implements AutoCloseable {
  public final S3ProxyServer server;
  /** The server's address, for {@code --endpoint}. */
  public final String endpoint;
  private final List<String[]> savedProperties = new ArrayList<>();

  private CliS3Server(S3ProxyServer server) {
    this.server = server;
    this.endpoint = server.endpoint().toString();
  }

  /** Starts a server keeping its data under {@code dir}. */
  public static CliS3Server start(Path dir) throws Exception {
    S3ProxyServer server = new S3ProxyServer(dir);
    try {
      server.start();
    } catch (Exception e) {
      server.close();
      throw e;
    }
    CliS3Server s = new CliS3Server(server);
    s.setProperty("aws.accessKeyId", S3ProxyServer.IDENTITY);
    s.setProperty("aws.secretAccessKey", S3ProxyServer.CREDENTIAL);
    return s;
  }

  private void setProperty(String name, String value) {
    savedProperties.add(new String[] {name, System.getProperty(name)});
    System.setProperty(name, value);
  }

  @Override
  public void close() throws Exception {
    for (String[] p : savedProperties) {
      if (p[1] == null) {
        System.clearProperty(p[0]);
      } else {
        System.setProperty(p[0], p[1]);
      }
    }
    server.close();
  }
}
