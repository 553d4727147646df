package org.parley.testing;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;

/**
 * A real S3-compatible server on loopback for the object-storage tests: S3Proxy (which checks AWS
 * Signature V4, pre-signed URLs included, as S3 does) over jclouds' in-memory store, with one
 * bucket, on a free port. The test reads what the bucket holds straight from that store, not
 * through the AWS SDK the server uses.
 */
public final class S3TestServer implements AutoCloseable {
    public static final String BUCKET = "parley-test";
    public static final String ACCESS_KEY = "parley-access";
    public static final String SECRET_KEY = "parley-secret-key";

    private final BlobStoreContext context;
    private final BlobStore blobs;
    private final S3Proxy proxy;

    private S3TestServer() throws Exception {
        context = ContextBuilder.newBuilder("transient").credentials("unused", "unused").build(BlobStoreContext.class);
        blobs = context.getBlobStore();
        blobs.createContainerInLocation(null, BUCKET);
        proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    public static S3TestServer start() {
        try {
            return new S3TestServer();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** The PARLEY_* settings of a server keeping its uploads in this bucket. */
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PARLEY_UPLOAD_STORAGE", "s3");
        env.put("PARLEY_UPLOAD_S3_ENDPOINT", endpoint().toString());
        env.put("PARLEY_UPLOAD_S3_BUCKET", BUCKET);
        env.put("PARLEY_UPLOAD_S3_ACCESS_KEY", ACCESS_KEY);
        env.put("PARLEY_UPLOAD_S3_SECRET_KEY", SECRET_KEY);
        env.put("PARLEY_UPLOAD_S3_PATH_STYLE", "true");
        return env;
    }

    /** The keys of the objects in the bucket. */
    public List<String> keys() {
        return blobs.list(BUCKET, ListContainerOptions.Builder.recursive()).stream().map(StorageMetadata::getName).toList();
    }

    public boolean has(String key) {
        return blobs.blobExists(BUCKET, key);
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            context.close();
        }
    }
}
