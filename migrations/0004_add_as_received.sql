-- Instances kept as received: Fovea could not transcode or index their pixel data (a codec limit:
-- 1-bit, 32-bit, float or 16-bit colour samples, 12-bit DCT JPEG, video, JPEG XL ...), so the
-- object's received bytes are stored whole as <version>/object.dcm and served exactly as stored;
-- it has no frame rows and is not JPIP-servable. The value is the stable code of the refusal
-- (e.g. CODEC_ENCODE_BITS_ALLOCATED); NULL for every other instance.
ALTER TABLE instances ADD COLUMN as_received_reason TEXT;
