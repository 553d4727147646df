package org.parley.feature.upload;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.parley.config.Option;
import org.parley.module.Identity;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.module.ServiceDomain;
import org.parley.route.IqRequest;
import org.parley.store.sql.Database;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.StanzaError;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.forms.DataForm;
import org.parley.xmpp.forms.Field;

/** HTTP File Upload (XEP-0363): see the package documentation. */
public final class UploadModule implements Module {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(UploadModule.class);

    public static final Option<String> DOMAIN = Option.domain("domain", null,
            "the upload service's domain").documentedAs("`upload.<domain>`");
    public static final Option<Integer> MAX_FILE_SIZE = Option.integer("maxFileSize", 100 << 20, 1, Integer.MAX_VALUE,
            "largest file in bytes; a larger request gets file-too-large with this limit");
    public static final Option<Integer> USER_QUOTA_MB = Option.integer("userQuotaMb", 1024, 1, 1 << 30,
            "MiB of files (and open slots) one account may hold; more gets resource-constraint");
    public static final Option<Duration> EXPIRE_AFTER = Option.duration("expireAfter", Duration.ofDays(7),
            Duration.ZERO, Duration.ofDays(3650), "uploaded files are deleted this long after their upload (0s = kept)");
    public static final Option<Duration> SLOT_TIMEOUT = Option.duration("slotTimeout", Duration.ofMinutes(5),
            Duration.ofSeconds(1), Duration.ofDays(1), "a slot's PUT URL is valid this long after the slot was given");
    public static final Option<String> STORAGE = Option.choice("storage", "files", List.of("files", "s3", "none"),
            "where files are kept: files under <dataDir>/uploads, s3 (S3-compatible object storage, upload.s3*;"
                    + " required in a cluster), or none (no upload service)");
    public static final Option<String> S3_ENDPOINT = Option.text("s3Endpoint", null,
            "the S3-compatible service's URL (http://127.0.0.1:9000); unset: AWS S3 in upload.s3Region")
            .check(UploadModule::isHttpUrl, "an http:// or https:// URL").documentedAs("AWS S3");
    public static final Option<String> S3_REGION = Option.text("s3Region", "us-east-1", "the bucket's region");
    public static final Option<String> S3_BUCKET = Option.text("s3Bucket", null,
            "the bucket files are kept in (it must exist); required with upload.storage s3");
    public static final Option<String> S3_ACCESS_KEY = Option.text("s3AccessKey", null,
            "access key id; unset: the AWS SDK's default credentials (AWS_ACCESS_KEY_ID, a profile, an instance role)");
    public static final Option<String> S3_SECRET_KEY = Option.text("s3SecretKey", null,
            "secret access key, given with upload.s3AccessKey (better as PARLEY_UPLOAD_S3_SECRET_KEY than in the file)");
    public static final Option<Boolean> S3_PATH_STYLE = Option.bool("s3PathStyle", false,
            "path-style bucket URLs (<endpoint>/<bucket>/<key>), as MinIO, Ceph and most self-hosted stores want");
    static final String ROUTE = "/upload";
    private static final QName REQUEST = new QName(SlotRequest.NAMESPACE, SlotRequest.ELEMENT);
    private static final int SWEEP_BATCH = 500;
    /** How long after its URL expired a pre-signed PUT may still be arriving (S3 checks the expiry when it begins). */
    static final Duration DIRECT_PUT_GRACE = Duration.ofHours(1);

    private final SecureRandom random = new SecureRandom();
    private volatile BlobStore blobs;
    private UploadStore store;
    private Clock clock;
    private long maxFileSize;
    private long quotaBytes;
    private Duration slotTimeout;
    private Duration expireAfter;
    private ModuleContext ctx;

    @Override
    public String name() {
        return "upload";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(DOMAIN, MAX_FILE_SIZE, USER_QUOTA_MB, EXPIRE_AFTER, SLOT_TIMEOUT, STORAGE, S3_ENDPOINT, S3_REGION,
                S3_BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY, S3_PATH_STYLE);
    }

    @Override
    public void openStorage(Database database) {
        database.migrate(name());
        store = new SqlUploadStore(database);
        database.onAccountRemoved((c, username) -> {
            List<String> ids = SqlUploadStore.removeOwner(c, username);
            // No store where the server is not running (the command line), or one that failed: those
            // files are recorded, and the server's sweep deletes them once it can.
            BlobStore b = blobs;
            SqlUploadStore.addOrphans(c, b == null ? ids : ids.stream().filter(id -> !deleteBlob(b, id)).toList());
        });
    }

    @Override
    public void start(ModuleContext context) {
        this.ctx = context;
        clock = context.clock();
        maxFileSize = context.option(MAX_FILE_SIZE);
        quotaBytes = (long) context.option(USER_QUOTA_MB) << 20;
        slotTimeout = context.option(SLOT_TIMEOUT);
        expireAfter = context.option(EXPIRE_AFTER);
        blobs = UploadStorage.open(context);
        if (blobs == null) {
            return; // upload.storage: none
        }
        String domain = context.option(DOMAIN) != null ? context.option(DOMAIN) : "upload." + context.serverJid().domain();
        ServiceDomain service = context.serviceDomain(domain, s -> {
            throw new StanzaErrorException(Condition.SERVICE_UNAVAILABLE, "the upload service answers slot requests only");
        });
        service.identity(new Identity("store", "file", "HTTP File Upload"));
        service.feature(SlotRequest.NAMESPACE);
        service.extendedInfo(DataForm.of(DataForm.Type.RESULT, SlotRequest.NAMESPACE,
                Field.of("max-file-size", Long.toString(maxFileSize))).toElement());
        service.iqGet(REQUEST, this::slot);
        new UploadHttp(store, () -> blobs, clock, slotTimeout).install(context.http(), maxFileSize);
        // As often as the shorter of the two deadlines, so neither an unused slot nor an expired
        // file outlives its deadline by more than that (at most hourly, at least every second).
        Duration shorter = expireAfter.isZero() || slotTimeout.compareTo(expireAfter) <= 0 ? slotTimeout : expireAfter;
        long every = Math.max(1, Math.min(shorter.toSeconds(), 3600));
        context.scheduler().scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.SECONDS);
    }

    /** XEP-0363 §4: a slot for a local account's file within the limits. */
    private Element slot(IqRequest request) {
        Jid from = request.from();
        if (from == null || from.local() == null || !from.domain().equals(ctx.serverJid().domain())) {
            throw new StanzaErrorException(Condition.FORBIDDEN, "only this server's accounts may upload");
        }
        SlotRequest req = SlotRequest.from(request.payload());
        if (req.size() > maxFileSize) {
            throw new StanzaErrorException(new StanzaError(Condition.NOT_ACCEPTABLE, StanzaError.Type.MODIFY,
                    "File too large. The maximum file size is " + maxFileSize + " bytes")
                    .withApplication(SlotRequest.fileTooLarge(maxFileSize)));
        }
        String id = newId();
        Upload slot = new Upload(id, from.local(), req.filename(), req.size(), req.contentType(), clock.instant(), null);
        if (!store.add(slot, quotaBytes)) {
            throw new StanzaErrorException(new StanzaError(Condition.RESOURCE_CONSTRAINT, StanzaError.Type.WAIT,
                    "Quota reached: your files may take " + (quotaBytes >> 20) + " MiB"));
        }
        String url = ctx.http().publicUrl(ROUTE + "/" + id + "/" + encode(req.filename())).toString();
        // With object storage the client PUTs to the store itself; the GET URL stays the server's,
        // which hands out a fresh pre-signed download each time (a link in a message outlives any signature).
        String put = blobs.uploadUrl(id, req.size(), req.contentType(), slotTimeout).map(Object::toString).orElse(url);
        return SlotRequest.slot(put, url);
    }

    /** 128 random bits, URL-safe: the slot's id and the unguessable part of its URLs. */
    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI u = new URI(text);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    @Override
    public void stop() {
        if (blobs instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing the upload storage: {}", e.getMessage());
            }
        }
    }

    /** A path segment: RFC 3986 percent-encoding (a space is %20, not '+'). */
    static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Deletes expired files, and slots whose PUT time is over: a slot with no file, or with object
     * storage, whose object did not arrive (one that did is recorded as uploaded now).
     */
    void sweep() {
        try {
            Instant now = clock.instant();
            BlobStore b = blobs;
            // A pre-signed PUT begun just before its URL expired may still be arriving.
            Instant unusedBefore = now.minus(slotTimeout).minus(b.direct() ? DIRECT_PUT_GRACE : Duration.ZERO);
            List<Upload> unused;
            do {
                unused = store.unused(unusedBefore, SWEEP_BATCH);
                for (Upload u : unused) {
                    if (!(b.direct() && arrived(b, u) && store.markUploaded(u.id(), now))) {
                        deleteBlob(b, u.id());
                        store.remove(u.id());
                    }
                }
            } while (unused.size() == SWEEP_BATCH);
            deleteOrphans(b);
            if (expireAfter.isZero()) {
                return;
            }
            List<String> ids;
            do {
                ids = store.uploadedBefore(now.minus(expireAfter), SWEEP_BATCH);
                for (String id : ids) {
                    deleteBlob(b, id);
                    store.remove(id);
                }
            } while (ids.size() == SWEEP_BATCH);
        } catch (RuntimeException | IOException e) { // a store outage among them: the next sweep retries
            log.warn("upload expiry failed, retried later: {}", e.getMessage());
        }
    }

    /** Whether the slot's object is in the store, whole (a pre-signed PUT went past the server). */
    static boolean arrived(BlobStore b, Upload u) throws IOException {
        return b.size(u.id()) == u.size();
    }

    /** Deletes removed accounts' files; stops at the first failure, for the next sweep to retry. */
    private void deleteOrphans(BlobStore b) {
        List<String> ids;
        do {
            ids = store.orphans(SWEEP_BATCH);
            for (String id : ids) {
                if (!deleteBlob(b, id)) {
                    return;
                }
                store.forgetOrphan(id);
            }
        } while (ids.size() == SWEEP_BATCH);
    }

    private static boolean deleteBlob(BlobStore b, String id) {
        try {
            b.delete(id);
            return true;
        } catch (IOException e) {
            log.warn("upload {} not deleted: {}", id, e.getMessage());
            return false;
        }
    }
}
