// What the views' drag and drop carries (shared by the controller and the light part that registers the views).
export const TREE_MIME = 'application/vnd.code.tree.stowage.artifacts';
export const URI_LIST = 'text/uri-list';
export const PLAIN_TEXT = 'text/plain';

export const DRAG_MIME_TYPES: readonly string[] = [TREE_MIME, PLAIN_TEXT];
export const DROP_MIME_TYPES: readonly string[] = [TREE_MIME, URI_LIST];
