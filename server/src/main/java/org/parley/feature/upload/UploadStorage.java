package org.parley.feature.upload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.parley.config.ConfigException;
import org.parley.module.ModuleContext;

/** Opens the {@link BlobStore} that {@code upload.storage} names, refusing what a cluster cannot share. */
final class UploadStorage {
    private UploadStorage() {
    }

    /** The store, or null with {@code upload.storage: none}. */
    static BlobStore open(ModuleContext ctx) {
        String storage = ctx.option(UploadModule.STORAGE);
        if (storage.equals("none")) {
            return null;
        }
        if (storage.equals("files")) {
            if (ctx.clusterNodeId().isPresent()) {
                // A file uploaded through one node must download from every node.
                throw new ConfigException("upload.storage", "the nodes of a cluster must share their files: set s3"
                        + " (S3-compatible object storage, with upload.s3Bucket and the other upload.s3* settings),"
                        + " or none to run without file sharing; got files (this node's own disk)");
            }
            try {
                return new FileBlobStore(ctx.dataDir().resolve("uploads"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the upload directory", e);
            }
        }
        String bucket = ctx.option(UploadModule.S3_BUCKET);
        if (bucket == null) {
            throw new ConfigException("upload.s3Bucket", "must be set when upload.storage is s3");
        }
        String accessKey = ctx.option(UploadModule.S3_ACCESS_KEY);
        String secretKey = ctx.option(UploadModule.S3_SECRET_KEY);
        if ((accessKey == null) != (secretKey == null)) {
            throw new ConfigException(accessKey == null ? "upload.s3AccessKey" : "upload.s3SecretKey",
                    "upload.s3AccessKey and upload.s3SecretKey go together: set both, or neither for the AWS SDK's"
                            + " default credentials");
        }
        String endpoint = ctx.option(UploadModule.S3_ENDPOINT);
        S3BlobStore store = new S3BlobStore(new S3BlobStore.Settings(endpoint == null ? null : URI.create(endpoint),
                ctx.option(UploadModule.S3_REGION), bucket, accessKey, secretKey, ctx.option(UploadModule.S3_PATH_STYLE)));
        try {
            store.check();
        } catch (IOException e) {
            store.close();
            throw new ConfigException("upload.s3Bucket", e.getMessage()
                    + " (check upload.s3Endpoint, upload.s3Region, the credentials and upload.s3PathStyle)");
        }
        return store;
    }
}
