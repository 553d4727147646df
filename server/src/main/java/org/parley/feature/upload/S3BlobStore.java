package org.parley.feature.upload;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;
import software.amazon.awssdk.services.s3.presigner.model.PutObjectPresignRequest;

/**
 * Blobs as objects in a bucket of S3-compatible object storage (AWS S3, MinIO, Ceph RGW, Garage,
 * ...), through the AWS SDK for Java 2. Clients move the bytes themselves: a slot's PUT URL is a
 * pre-signed PUT (AWS Signature V4) that signs the object's {@code Content-Length} and, when the
 * client named one, its {@code Content-Type}, so the store refuses any other body (403); a
 * download is a pre-signed GET carrying the response headers. The server only asks the store
 * whether an object is there and deletes objects.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {

    /** Where and how to reach the bucket; null {@code endpoint} is AWS's own, null keys the SDK's default credentials. */
    public record Settings(URI endpoint, String region, String bucket, String accessKey, String secretKey,
                           boolean pathStyle) {
    }

    private final String bucket;
    private final S3Client client;
    private final S3Presigner presigner;

    public S3BlobStore(Settings s) {
        this.bucket = s.bucket();
        AwsCredentialsProvider credentials = s.accessKey() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKey(), s.secretKey()));
        Region region = Region.of(s.region());
        var clientBuilder = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .forcePathStyle(s.pathStyle())
                // Checksums only where S3 requires them: S3-compatible stores do not all take the
                // SDK's default trailing checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create());
        var presignerBuilder = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(s.pathStyle()).build());
        if (s.endpoint() != null) {
            clientBuilder.endpointOverride(s.endpoint());
            presignerBuilder.endpointOverride(s.endpoint());
        }
        this.client = clientBuilder.build();
        this.presigner = presignerBuilder.build();
    }

    /** Fails when the bucket cannot be reached with these settings, so a wrong setting stops start-up. */
    public void check() throws IOException {
        try {
            client.headBucket(b -> b.bucket(bucket));
        } catch (SdkException e) {
            throw new IOException("bucket " + bucket + " is not reachable: " + e.getMessage(), e);
        }
    }

    @Override
    public void put(String key, InputStream body, long size) throws IOException {
        try {
            client.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentLength(size).build(),
                    RequestBody.fromInputStream(body, size));
        } catch (SdkException e) {
            throw new IOException("the object was not stored: " + e.getMessage(), e);
        }
    }

    @Override
    public Path file(String key) {
        return null;
    }

    @Override
    public long size(String key) throws IOException {
        try {
            return client.headObject(h -> h.bucket(bucket).key(key)).contentLength();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return -1;
            }
            throw new IOException("cannot look the object up: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("cannot look the object up: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            client.deleteObject(d -> d.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw new IOException("the object was not deleted: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<URI> uploadUrl(String key, long size, String contentType, Duration validFor) {
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(key).contentLength(size);
        if (contentType != null) {
            put.contentType(contentType);
        }
        return Optional.of(uri(presigner.presignPutObject(PutObjectPresignRequest.builder()
                .signatureDuration(validFor).putObjectRequest(put.build()).build()).url()));
    }

    @Override
    public Optional<URI> downloadUrl(String key, Duration validFor, DownloadHeaders headers) {
        GetObjectRequest get = GetObjectRequest.builder().bucket(bucket).key(key)
                .responseContentType(headers.contentType())
                .responseContentDisposition(headers.contentDisposition())
                .responseCacheControl(headers.cacheControl())
                .build();
        return Optional.of(uri(presigner.presignGetObject(GetObjectPresignRequest.builder()
                .signatureDuration(validFor).getObjectRequest(get).build()).url()));
    }

    @Override
    public boolean direct() {
        return true;
    }

    private static URI uri(java.net.URL url) {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the SDK made an invalid URL", e);
        }
    }

    @Override
    public void close() {
        presigner.close();
        client.close();
    }
}
