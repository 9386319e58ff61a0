// The OCI image layout format (image-layout.md): its file names, version and how large its own files may be.
export const INDEX_FILE = 'index.json';
export const LAYOUT_FILE = 'oci-layout';
export const LAYOUT_VERSION = '1.0.0';
/** index.json: about 50,000 tagged entries; a bigger one is hostile (or a link to /dev/zero) and is refused before it is read. */
export const MAX_INDEX_BYTES = 16 * 1024 * 1024;
/** oci-layout holds one short field. */
export const MAX_LAYOUT_FILE_BYTES = 64 * 1024;
