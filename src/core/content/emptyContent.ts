// The empty descriptor's bytes (image-spec: `{}`), for pushing the empty config of artifacts.
export const EMPTY_JSON = Buffer.from('{}');
